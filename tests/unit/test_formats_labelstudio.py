"""annotator/formats/labelstudio.py: Label Studio JSON tasks, offsets in UTF-16 code units (no database)."""

import json

import pytest

from annotator.formats import FormatError, labelstudio
from tests.unit.formats_data import (
    FLAG_UA,
    GRIN,
    LABELS,
    assert_golden,
    assert_golden_records,
    export_records,
    golden_bytes,
)


def problems_of(data):
    with pytest.raises(FormatError) as caught:
        labelstudio.read(data if isinstance(data, bytes) else json.dumps(data, indent=1).encode())
    return [(problem.line, problem.message) for problem in caught.value.problems]


def export(records):
    return b"".join(labelstudio.write(records))


def task(text, *results, completed_by=1):
    return {"id": 1, "data": {"text": text}, "annotations": [{"completed_by": completed_by, "result": list(results)}]}


def labels(start, end, label="A", **value):
    return {"type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "labels": [label], **value}}


class TestRead:
    def test_golden_file_reads_as_expected(self):
        assert_golden_records(
            "import-labelstudio.json.records.json", labelstudio.read(golden_bytes("import-labelstudio.json"))
        )

    def test_utf16_offsets_become_code_points(self):
        english = labelstudio.read(golden_bytes("import-labelstudio.json"))[0]
        assert [(item["start"], item["end"], item["text"]) for item in english["spans"]] == [
            (154, 176, f"said Olena Petrenko {FLAG_UA}"),
            (114, 153, '"We were handed forty pages on Friday,"'),
            (243, 272, "a spokesperson told reporters"),
        ]

    def test_annotators_come_from_completed_by_or_created_username(self):
        english, ukrainian = labelstudio.read(golden_bytes("import-labelstudio.json"))
        assert [item["annotator"] for item in english["spans"]] == ["alice@example.org", "bob@example.org",
                                                                    "bob@example.org"]
        assert {item["annotator"] for item in ukrainian["spans"]} == {"alice"}

    def test_cancelled_annotations_predictions_and_choices_are_left_out(self):
        english = labelstudio.read(golden_bytes("import-labelstudio.json"))[0]
        assert "Place" not in {item["label"] for item in english["spans"]}

    def test_region_notes_become_span_notes(self):
        english = labelstudio.read(golden_bytes("import-labelstudio.json"))[0]
        assert english["spans"][0]["note"] == "names the source"

    def test_crlf_in_the_task_text_moves_the_spans_with_it(self):
        ukrainian = labelstudio.read(golden_bytes("import-labelstudio.json"))[1]
        assert [item["text"] for item in ukrainian["spans"]] == [
            "Олена Петренко", f"«Нам дали сорок сторінок у п'ятницю» {GRIN}", "голосування.\nОлена"
        ]
        assert ukrainian["external_id"] == "vistnyk-17"

    def test_data_keys_fill_fields_and_metadata(self):
        english = labelstudio.read(golden_bytes("import-labelstudio.json"))[0]
        assert english["title"] == "Harbour council delays the ferry vote"
        assert english["metadata"] == {"outlet": "The Quayside Ledger", "labelstudio_id": 11}
        assert english["line"] == 2

    def test_one_label_result_naming_two_labels_makes_two_spans(self):
        result = labels(0, 3)
        result["value"]["labels"] = ["A", "B"]
        [record] = labelstudio.read(json.dumps([task("abc def", result)]).encode())
        assert [(item["start"], item["end"], item["label"]) for item in record["spans"]] == [(0, 3, "A"), (0, 3, "B")]

    def test_a_single_task_object_reads_too(self):
        [record] = labelstudio.read(json.dumps(task(f"{GRIN} ok", labels(3, 5))).encode())
        assert record["spans"][0]["text"] == "ok"

    def test_a_task_without_data_uses_its_own_keys(self):
        [record] = labelstudio.read(b'[{"id": 4, "article": "Only field", "annotations": []}]')
        assert record["text"] == "Only field"


class TestReadRefuses:
    def test_an_offset_inside_a_surrogate_pair(self):
        text = f"a{GRIN}b"  # UTF-16: a 0, grin 1-2, b 3
        assert problems_of([task(text, labels(2, 4))]) == [
            (2, "task 1, annotation 1, result 1: start 2 falls inside a surrogate pair (the middle of one character)")
        ]

    def test_every_problem_is_reported_with_the_line_its_task_starts(self):
        tasks = [
            task("fine", labels(0, 4)),
            task(f"{GRIN}{GRIN}", labels(0, 5), labels(1.5, 2), labels(2, 0)),
            task("abc", labels(0, 2, text="xy")),
            {"id": 4, "data": {"body": 1, "other": 2}},
            "not a task",
            {"data": {"text": "x"}, "annotations": [{"result": [{"type": "hypertextlabels", "value": {}}]}]},
        ]
        data = json.dumps(tasks, indent=1).encode()
        lines = [number for number, line in enumerate(data.decode().split("\n"), 1) if line in (" {", ' "not a task",')]
        assert problems_of(data) == [
            (lines[1], "task 2, annotation 1, result 1: end 5 is outside the text (4 UTF-16 code units)"),
            (lines[1], "task 2, annotation 1, result 2: start must be an integer, not 1.5"),
            (lines[1], "task 2, annotation 1, result 3: start 1 is not before end 0"),
            (lines[2], "task 3, annotation 1, result 1: text 'xy' is not the text at 0:2 ('ab')"),
            (lines[3], "task 4: data has no text field"),
            (lines[4], "task 5: must be an object, not a string"),
            (lines[5], "task 6, annotation 1, result 1: HyperText regions (XPath offsets) do not import; "
                       "use a Text project"),
        ]

    def test_truncated_json_names_its_line(self):
        data = json.dumps([task("one"), task("two")], indent=1).encode()[:-30]  # ends after '"completed_by": 1,'
        assert problems_of(data) == [
            (data.count(b"\n") + 1, "not valid JSON (Expecting property name enclosed in double quotes at column 1)")
        ]

    def test_a_file_that_is_not_a_list_of_tasks(self):
        assert problems_of(b'\n"text"') == [(2, 'a Label Studio export is a JSON list of tasks ([{"data": …}, …])')]

    def test_nan_and_unpaired_surrogates_are_refused(self):
        assert problems_of(b'[{"data": {"text": "a", "n": NaN}}]') == [(1, "not valid JSON (NaN is not a JSON value)")]
        assert problems_of(b'[{"data": {"text": "a\\ud83d"}}]') == [
            (1, "task 1: text contains a NUL character or an unpaired UTF-16 surrogate")
        ]

    def test_non_utf8_bytes_name_their_line(self):
        assert problems_of(b'[\n{"data": {"text": "\xe9"}}]')[0][0] == 2


class TestWrite:
    def test_golden_export(self):
        assert_golden("export-labelstudio.json", export(export_records()))

    def test_offsets_are_utf16_code_units_that_slice_the_text_as_a_browser_would(self):
        for task_out, record in zip(json.loads(export(export_records())), export_records(), strict=True):
            utf16 = record["text"].encode("utf-16-le")
            for annotation in task_out["annotations"]:
                for result in annotation["result"]:
                    value = result["value"]
                    covered = utf16[value["start"] * 2 : value["end"] * 2].decode("utf-16-le")
                    assert covered == value["text"]

    def test_one_annotation_per_annotator_and_the_gold_layer_is_ground_truth(self):
        ukrainian = json.loads(export(export_records()))[1]
        assert [(a.get("completed_by"), a["ground_truth"], len(a["result"])) for a in ukrainian["annotations"]] == [
            ({"username": "alice"}, False, 2),
            (None, True, 1),
            ({"username": "bob"}, False, 1),
        ]

    def test_no_records_is_an_empty_list(self):
        assert json.loads(export([])) == []

    def test_the_labeling_config_names_every_label(self):
        config = labelstudio.label_config(LABELS)
        assert '<Label value="Source attribution" background="#4e79a7"/>' in config
        assert '<Text name="text" value="$text"/>' in config


def kept(record):
    return sorted((s["start"], s["end"], s["label"], s["annotator"], s["note"]) for s in record["spans"])


class TestRoundTrip:
    def test_export_then_import_gives_back_spans_annotators_and_notes(self):
        records = export_records()
        imported = labelstudio.read(export(records))
        for original, back in zip(records, imported, strict=True):
            assert back["text"] == original["text"]
            assert back["external_id"] == original["external_id"]
            assert back["metadata"] == original["metadata"]
            assert kept(back) == kept(original)

    def test_export_import_export_is_identical(self):
        records = export_records()
        first = export(records)
        again = [{**back, "id": record["id"]} for back, record in zip(labelstudio.read(first), records, strict=True)]
        for back, record in zip(again, records, strict=True):
            statuses = {(s["start"], s["end"], s["label"]): s["review_status"] for s in record["spans"]}
            for item in back["spans"]:
                item["review_status"] = statuses[(item["start"], item["end"], item["label"])]
        assert export(again) == first

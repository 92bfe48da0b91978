"""annotator/formats/labelstudio.py: Label Studio JSON tasks, offsets in code points (no database)."""

import io
import json
import zipfile
from xml.etree import ElementTree

import pytest

from annotator import formats
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
from tests.unit.formats_unicode import PIECES, TEXT, code_points, utf16_units


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

    def test_code_point_offsets_are_taken_as_they_are(self):
        english = labelstudio.read(golden_bytes("import-labelstudio.json"))[0]
        assert [(item["start"], item["end"], item["text"]) for item in english["spans"]] == [
            (154, 176, f"said Olena Petrenko {FLAG_UA}"),
            (114, 153, '"We were handed forty pages on Friday,"'),
            (243, 272, "a spokesperson told reporters"),
        ]

    @pytest.mark.parametrize("piece", PIECES)
    def test_spans_after_emoji_flags_families_and_accents_cover_their_characters(self, piece):
        start, end = code_points(piece)
        [record] = labelstudio.read(json.dumps([task(TEXT, labels(start, end, text=piece))]).encode())
        assert [(item["start"], item["end"], item["text"]) for item in record["spans"]] == [(start, end, piece)]

    def test_annotators_come_from_completed_by_or_created_username(self):
        english, ukrainian = labelstudio.read(golden_bytes("import-labelstudio.json"))
        assert [item["annotator"] for item in english["spans"]] == ["alice@example.org", "bob@example.org",
                                                                    "bob@example.org"]
        assert {item["annotator"] for item in ukrainian["spans"]} == {"alice"}

    @pytest.mark.parametrize(
        ("completed_by", "annotator"),
        [
            ({"email": "alice@slant.invalid"}, "alice"),  # what Slant exports for a username
            ({"email": "bob@example.org"}, "bob@example.org"),  # a username that is an email address
            ({"id": 4, "email": "carol@slant.invalid", "first_name": "", "last_name": ""}, "carol"),  # Label Studio's
            ({"username": "dan"}, "dan"),  # Slant's exports before completed_by had an email
            ("erin", "erin"),
        ],
    )
    def test_completed_by_gives_the_username_back(self, completed_by, annotator):
        [record] = labelstudio.read(json.dumps([task("abc", labels(0, 1), completed_by=completed_by)]).encode())
        assert record["spans"][0]["annotator"] == annotator

    def test_created_username_of_a_made_up_address_gives_the_username_back(self):
        data = task("abc", labels(0, 1), completed_by=7)
        data["annotations"][0]["created_username"] = "alice@slant.invalid, 7"
        [record] = labelstudio.read(json.dumps([data]).encode())
        assert record["spans"][0]["annotator"] == "alice"

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
        [record] = labelstudio.read(json.dumps(task(f"{GRIN} ok", labels(2, 4))).encode())
        assert record["spans"][0]["text"] == "ok"

    def test_a_task_without_data_uses_its_own_keys(self):
        [record] = labelstudio.read(b'[{"id": 4, "article": "Only field", "annotations": []}]')
        assert record["text"] == "Only field"


class TestReadRefuses:
    def test_utf16_offsets_from_before_label_studios_emoji_fix_miss_their_text(self):
        start, end = utf16_units("family said")
        assert problems_of([task(TEXT, labels(start, end, text="family said"))]) == [
            (2, "task 1, annotation 1, result 1: text 'family said' is not the text at 35:46 (' said \"the ')")
        ]

    def test_every_problem_is_reported_with_the_line_its_task_starts(self):
        tasks = [
            task("fine", labels(0, 4)),
            task(f"{GRIN}{GRIN}", labels(0, 5), labels(1.5, 2), labels(1, 0)),
            task("abc", labels(0, 2, text="xy")),
            {"id": 4, "data": {"body": 1, "other": 2}},
            "not a task",
            {"data": {"text": "x"}, "annotations": [{"result": [{"type": "hypertextlabels", "value": {}}]}]},
        ]
        data = json.dumps(tasks, indent=1).encode()
        lines = [number for number, line in enumerate(data.decode().split("\n"), 1) if line in (" {", ' "not a task",')]
        assert problems_of(data) == [
            (lines[1], "task 2, annotation 1, result 1: end 5 is past the end of the text (2 code points)"),
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

    def test_offsets_are_code_points_that_slice_the_text_as_label_studio_stores_them(self):
        for task_out, record in zip(json.loads(export(export_records())), export_records(), strict=True):
            text = task_out["data"]["text"]
            for annotation in task_out["annotations"]:
                for result in annotation["result"]:
                    value = result["value"]
                    assert text[value["start"] : value["end"]] == value["text"]
                    assert (value["start"], value["end"]) == code_points(value["text"], record["text"])

    def test_spans_after_emoji_flags_families_and_accents_keep_their_code_points(self):
        spans = [{"start": start, "end": end, "label": "X", "annotator": "alice"}
                 for start, end in map(code_points, PIECES)]  # fmt: skip
        [task_out] = json.loads(export([{"id": 1, "text": TEXT, "spans": spans}]))
        values = [result["value"] for result in task_out["annotations"][0]["result"]]
        assert [(value["start"], value["end"], value["text"]) for value in values] == [
            (*code_points(piece), piece) for piece in PIECES
        ]

    def test_one_annotation_per_annotator_and_the_gold_layer_is_ground_truth(self):
        ukrainian = json.loads(export(export_records()))[1]
        assert [(a.get("completed_by"), a["ground_truth"], len(a["result"])) for a in ukrainian["annotations"]] == [
            ({"email": "alice@slant.invalid"}, False, 2),
            (None, True, 1),
            ({"email": "bob@slant.invalid"}, False, 1),
        ]

    def test_no_records_is_an_empty_list(self):
        assert json.loads(export([])) == []

    def test_a_username_that_is_an_email_address_is_its_email(self):
        record = {"id": 1, "text": "abc", "spans": [{"start": 0, "end": 1, "label": "A", "annotator": "eve@x.org"}]}
        [task_out] = json.loads(export([record]))
        assert task_out["annotations"][0]["completed_by"] == {"email": "eve@x.org"}

    def test_the_labeling_config_names_every_label(self):
        config = labelstudio.label_config(LABELS)
        assert '<Label value="Source attribution" background="#4e79a7"/>' in config
        assert '<Text name="text" value="$text"/>' in config

    def test_every_result_fits_the_labeling_config(self):
        view = ElementTree.fromstring(labelstudio.label_config(LABELS))  # noqa: S314 (our own XML)
        controls = {(tag.get("name"), tag.get("toName")): {label.get("value") for label in tag}
                    for tag in view.iter("Labels")}  # fmt: skip
        objects = {tag.get("name"): tag.get("value") for tag in view.iter("Text")}
        for task_out in json.loads(export(export_records())):
            for annotation in task_out["annotations"]:
                for result in annotation["result"]:
                    assert set(result["value"]["labels"]) <= controls[(result["from_name"], result["to_name"])]
                    assert objects[result["to_name"]] == "$text" and "text" in task_out["data"]

    def test_a_zipped_export_holds_the_labeling_config(self):
        data = b"".join(formats.write("labelstudio", export_records(), labels=LABELS, as_zip=True, readme="# card"))
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.namelist() == ["README.md", "dataset-labelstudio.json", "label_config.xml"]
        assert archive.read("label_config.xml").decode() == labelstudio.label_config(LABELS)


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

"""annotator/formats/labelstudio.py: Label Studio JSON tasks, offsets in code points (no database)."""

import io
import json
import zipfile
from xml.etree import ElementTree

import pytest

from annotator import formats
from annotator.formats import FormatError, labelstudio
from annotator.formats.base import answer_value_from
from tests.unit.formats_data import (
    FLAG_UA,
    GRIN,
    LABELS,
    QUESTIONS,
    RELATION_TYPES,
    assert_golden,
    assert_golden_records,
    export_records,
    golden_bytes,
    relation_ends,
)
from tests.unit.formats_unicode import PIECES, TEXT, code_points, utf16_units


def problems_of(data):
    with pytest.raises(FormatError) as caught:
        labelstudio.read(data if isinstance(data, bytes) else json.dumps(data, indent=1).encode())
    return [(problem.line, problem.message) for problem in caught.value.problems]


def answers_as_imported(record):
    """The record's answers with the values the import makes of Label Studio's choices and ratings (QUESTIONS')."""
    kinds = {question["name"]: question for question in QUESTIONS}
    return [
        {**item, "value": answer_value_from(item.pop("form"), item["value"], kind=kinds[item["question"]]["kind"],
                                            minimum=kinds[item["question"]]["min"])}
        for item in record["answers"]
    ]  # fmt: skip


def export(records):
    return b"".join(labelstudio.write(records, questions=QUESTIONS))


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
                for result in regions(annotation):
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
        assert [(a.get("completed_by"), a["ground_truth"], len(regions(a))) for a in ukrainian["annotations"]] == [
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
        view = ElementTree.fromstring(labelstudio.label_config(LABELS, RELATION_TYPES))  # noqa: S314 (our own XML)
        controls = {(tag.get("name"), tag.get("toName")): {label.get("value") for label in tag}
                    for tag in view.iter("Labels")}  # fmt: skip
        objects = {tag.get("name"): tag.get("value") for tag in view.iter("Text")}
        [relation_control] = view.iter("Relations")
        for task_out in json.loads(export(export_records())):
            for annotation in task_out["annotations"]:
                for result in regions(annotation):
                    assert set(result["value"]["labels"]) <= controls[(result["from_name"], result["to_name"])]
                    assert objects[result["to_name"]] == "$text" and "text" in task_out["data"]
                for result in links(annotation):
                    assert set(result["labels"]) <= {tag.get("value") for tag in relation_control}

    def test_a_zipped_export_holds_the_labeling_config(self):
        data = b"".join(formats.write("labelstudio", export_records(), labels=LABELS, as_zip=True, readme="# card"))
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.namelist() == ["README.md", "dataset-labelstudio.json", "label_config.xml"]
        assert archive.read("label_config.xml").decode() == labelstudio.label_config(LABELS)


def regions(annotation):
    return [result for result in annotation["result"] if result["type"] == "labels"]


def links(annotation):
    return [result for result in annotation["result"] if result["type"] == "relation"]


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
            back["answers"] = answers_as_imported(back)
        assert export(again) == first


def region(ident, start, end, label="A"):
    return {**labels(start, end, label), "id": ident}


def link(start, end, *types, direction="right"):
    """A `relation` result as Label Studio's editor serializes it (RelationStore.serialize)."""
    result = {"from_id": start, "to_id": end, "type": "relation", "direction": direction}
    return {**result, "labels": list(types)} if types else result


PESKOV = f"{GRIN} Peskov told reporters the talks would resume."
CYRILLIC = "Пєсков сказав журналістам, що переговори відновляться."


def read_relations(text, *results, completed_by="alice@slant.invalid"):
    [record] = labelstudio.read(json.dumps([task(text, *results, completed_by=completed_by)]).encode())
    spans = {item["id"]: item for item in record["spans"]}
    return [(item["type"], spans[item["from"]]["text"], spans[item["to"]]["text"], item["annotator"])
            for item in record["relations"]]  # fmt: skip


class TestReadRelations:
    def test_a_relation_result_joins_the_labels_results_it_names_after_an_emoji(self):
        found = read_relations(PESKOV, region("p", 2, 8, "Source"), region("t", 9, 13, "Cue"),
                               link("t", "p", "source"))  # fmt: skip
        assert found == [("source", "told", "Peskov", "alice")]

    def test_cyrillic_regions_and_their_relation(self):
        found = read_relations(CYRILLIC, region("p", 0, 6, "Source"), region("c", 7, 13, "Cue"),
                               link("c", "p", "source"))  # fmt: skip
        assert found == [("source", "сказав", "Пєсков", "alice")]

    @pytest.mark.parametrize(
        ("direction", "expected"),
        [("right", ("told", "Peskov")), ("left", ("Peskov", "told")), ("bi", ("told", "Peskov"))],
    )
    def test_left_swaps_the_ends_and_bi_reads_as_drawn(self, direction, expected):
        found = read_relations(PESKOV, region("p", 2, 8), region("t", 9, 13), link("t", "p", "r", direction=direction))
        assert [(start, end) for _, start, end, _ in found] == [expected]

    def test_a_result_without_direction_reads_from_to_as_label_studio_defaults(self):
        result = link("t", "p", "r")
        del result["direction"]
        found = read_relations(PESKOV, region("p", 2, 8), region("t", 9, 13), result)
        assert [(start, end) for _, start, end, _ in found] == [("told", "Peskov")]

    def test_several_labels_make_several_relations(self):
        found = read_relations(PESKOV, region("p", 2, 8), region("t", 9, 13), link("t", "p", "source", "quotes"))
        assert [kind for kind, *_ in found] == ["source", "quotes"]

    def test_a_region_with_several_labels_is_joined_by_the_span_of_its_first(self):
        both = region("p", 2, 8, "Source")
        both["value"]["labels"] = ["Source", "Person"]
        [record] = labelstudio.read(json.dumps([task(PESKOV, both, region("t", 9, 13), link("t", "p", "r"))]).encode())
        spans = {item["id"]: item["label"] for item in record["spans"]}
        assert [spans[item["to"]] for item in record["relations"]] == ["Source"]
        assert len(record["spans"]) == 3

    def test_the_same_region_ids_in_two_annotations_stay_apart(self):
        # An annotation started from a prediction keeps its region ids, so two annotators' regions can share them.
        data = {"data": {"text": PESKOV}, "annotations": [
            {"completed_by": {"email": name}, "result": [region("p", 2, 8), region("t", 9, 13), link("t", "p", "r")]}
            for name in ("alice@slant.invalid", "bob@slant.invalid")
        ]}  # fmt: skip
        [record] = labelstudio.read(json.dumps([data]).encode())
        owners = {item["id"]: item["annotator"] for item in record["spans"]}
        assert [(owners[item["from"]], owners[item["to"]], item["annotator"]) for item in record["relations"]] == [
            ("alice", "alice", "alice"), ("bob", "bob", "bob")
        ]

    def test_a_relation_of_a_cancelled_annotation_is_left_out(self):
        data = task(PESKOV, region("p", 2, 8), region("t", 9, 13), link("t", "p", "r"))
        data["annotations"][0]["was_cancelled"] = True
        [record] = labelstudio.read(json.dumps([data]).encode())
        assert (record["spans"], record["relations"]) == ([], [])


class TestReadRelationsRefuses:
    def test_every_problem_names_its_task_annotation_and_result(self):
        data = {"data": {"text": PESKOV}, "annotations": [
            {"completed_by": 1, "result": [region("p", 2, 8), region("t", 9, 13)]},
            {"completed_by": 2, "result": [
                region("q", 2, 8),
                link("t", "q", "r"),  # t is a region of annotation 1
                link("q", "missing", "r"),
                link("q", "q"),  # no label: no type
                link("q", "q", "r", direction="up"),
                {**link("q", "q"), "labels": "r"},
            ]},
        ]}  # fmt: skip
        assert problems_of([data]) == [
            (2, "task 1, annotation 2, result 2: from_id 't' is not the id of a labels result of this annotation"
                " (it is one of annotation 1)"),
            (2, "task 1, annotation 2, result 3: to_id 'missing' is not the id of a labels result of this"
                " annotation"),
            (2, "task 1, annotation 2, result 4: a relation without labels has no type; label it in Label Studio or"
                " remove it"),
            (2, "task 1, annotation 2, result 5: direction must be one of right, left, bi, not 'up'"),
            (2, "task 1, annotation 2, result 6: labels must be a list of relation type names, not a string"),
        ]  # fmt: skip

    def test_a_relation_to_a_region_refused_for_its_offsets_adds_no_second_problem(self):
        assert problems_of([task(PESKOV, region("p", 2, 99), region("t", 9, 13), link("t", "p", "r"))]) == [
            (2, "task 1, annotation 1, result 1: end 99 is past the end of the text (47 code points)")
        ]


class TestWriteRelations:
    def test_each_relation_is_a_result_in_label_studios_own_shape_in_its_annotators_annotation(self):
        english = json.loads(export(export_records()))[0]

        alice, bob = (links(annotation) for annotation in english["annotations"])
        assert alice == [{"from_id": "s1", "to_id": "s2", "type": "relation", "direction": "right",
                          "labels": ["Located at"]}]  # fmt: skip
        assert bob == [{"from_id": "s5", "to_id": "s3", "type": "relation", "direction": "right",
                        "labels": ["Says"], "meta": {"text": ["=the quote it frames"]}}]  # fmt: skip

    def test_relations_between_the_same_two_spans_share_one_result(self):
        # Label Studio keeps one relation per ordered pair of regions and drops a second.
        record = {"id": 1, "text": "Peskov said", "spans": [
            {"id": 1, "start": 0, "end": 6, "label": "Source", "annotator": "alice"},
            {"id": 2, "start": 7, "end": 11, "label": "Cue", "annotator": "alice"},
        ], "relations": [
            {"type": "source", "from": 2, "to": 1, "annotator": "alice"},
            {"type": "speaker", "from": 2, "to": 1, "annotator": "alice"},
            {"type": "source", "from": 1, "to": 2, "annotator": "alice"},
        ]}  # fmt: skip

        [task_out] = json.loads(export([record]))

        assert [(item["from_id"], item["to_id"], item["labels"]) for item in links(task_out["annotations"][0])] == [
            ("s2", "s1", ["source", "speaker"]), ("s1", "s2", ["source"])
        ]

    def test_the_labeling_config_names_every_relation_type(self):
        config = labelstudio.label_config(LABELS, RELATION_TYPES)
        assert '  <Relations>\n    <Relation value="Located at" background="#59a14f"/>\n' in config
        assert '<Relation value="Says" background="#b07aa1"/>\n  </Relations>' in config
        assert "<Relations>" not in labelstudio.label_config(LABELS)

    def test_a_zipped_export_holds_the_relation_types_in_its_labeling_config(self):
        data = b"".join(formats.write("labelstudio", export_records(), labels=LABELS, relation_types=RELATION_TYPES,
                                      as_zip=True, readme="# card"))  # fmt: skip
        config = zipfile.ZipFile(io.BytesIO(data)).read("label_config.xml").decode()
        assert config == labelstudio.label_config(LABELS, RELATION_TYPES)


class TestRoundTripRelations:
    def test_export_then_import_gives_back_relations_annotators_and_notes(self):
        records = export_records()
        imported = labelstudio.read(export(records))
        assert [relation_ends(record, "annotator", "note") for record in imported] == [
            relation_ends(record, "annotator", "note") for record in records
        ]


def choices(name, *options):
    return {"type": "choices", "from_name": name, "to_name": "text", "value": {"choices": list(options)}}


def rating(name, stars):
    return {"type": "rating", "from_name": name, "to_name": "text", "value": {"rating": stars}}


class TestReadAnswers:
    def test_choices_and_rating_results_answer_the_question_their_from_name_names(self):
        data = json.dumps([task("Peskov told reporters", choices("Primary frame", "Economic"),
                                choices("Frames", "Economic", "Political"), rating("Slant", 2),
                                completed_by={"email": "alice@slant.invalid"})]).encode()  # fmt: skip
        [record] = labelstudio.read(data)
        assert record["answers"] == [
            {"question": "Primary frame", "value": ["Economic"], "annotator": "alice", "review_status": None,
             "form": "choices"},
            {"question": "Frames", "value": ["Economic", "Political"], "annotator": "alice", "review_status": None,
             "form": "choices"},
            {"question": "Slant", "value": 2, "annotator": "alice", "review_status": None, "form": "rating"},
        ]  # fmt: skip

    def test_the_import_makes_one_choice_a_single_answer_and_a_rating_a_step_of_the_scale(self):
        [record] = labelstudio.read(json.dumps([task("abc", choices("Primary frame", "Legality"), rating("Slant", 1),
                                                     rating("Slant", 5))]).encode())  # fmt: skip
        assert [item["value"] for item in answers_as_imported(record)] == ["Legality", -2, 2]

    def test_a_result_without_its_value_is_a_problem_with_its_line(self):
        broken = [{"type": "choices", "from_name": "Tone", "value": {"rating": 3}},
                  {"type": "rating", "from_name": "Slant", "value": {"rating": 2.5}},
                  {"type": "choices", "from_name": 7, "value": {"choices": ["pro"]}},
                  {"type": ["choices"], "from_name": "Tone", "value": {}}]  # fmt: skip
        assert problems_of([task("abc", *broken)]) == [
            (2, "task 1, annotation 1, result 1: value must hold choices"),
            (2, "task 1, annotation 1, result 2: value must be an option, a list of options or an integer, not a"
                " number"),
            (2, "task 1, annotation 1, result 3: question must be a question's name, not 7"),
        ]  # fmt: skip


class TestWriteAnswers:
    def test_each_answer_is_a_choices_or_rating_result_of_its_annotators_annotation(self):
        english, ukrainian = json.loads(export(export_records()))
        alice, bob = ([result for result in annotation["result"] if result["type"] in ("choices", "rating")]
                      for annotation in english["annotations"])  # fmt: skip
        assert [(result["from_name"], result["to_name"], result["type"], result["value"]) for result in alice] == [
            ("Primary frame", "text", "choices", {"choices": ["Political"]}),
            ("Slant", "text", "rating", {"rating": 2}),  # -1 on a scale from -2: its second step
        ]
        assert [result["value"] for result in bob] == [{"choices": ["Economic", "Political"]}, {"rating": 5}]
        gold = next(annotation for annotation in ukrainian["annotations"] if annotation["ground_truth"])
        assert gold["result"][-1]["value"] == {"choices": ["Economic"]}

    def test_the_labeling_config_has_a_control_per_question_named_as_it(self):
        view = ElementTree.fromstring(labelstudio.label_config(LABELS, (), QUESTIONS))  # noqa: S314 (our own XML)
        controls = {tag.get("name"): tag for tag in view if tag.tag in ("Choices", "Rating")}
        assert {name: (tag.tag, tag.get("toName")) for name, tag in controls.items()} == {
            "Primary frame": ("Choices", "text"), "Frames": ("Choices", "text"), "Slant": ("Rating", "text"),
        }  # fmt: skip
        assert controls["Primary frame"].get("choice") == "single"
        assert controls["Frames"].get("choice") == "multiple"
        assert [choice.get("value") for choice in controls["Frames"]] == ["Economic", "Political", "Legality"]
        assert controls["Slant"].get("maxRating") == "5"
        assert [tag.get("value") for tag in view.iter("Header")] == ["Primary frame", "Frames", "Slant"]

    def test_every_answer_result_fits_the_labeling_config(self):
        view = ElementTree.fromstring(labelstudio.label_config(LABELS, (), QUESTIONS))  # noqa: S314 (our own XML)
        controls = {tag.get("name"): tag for tag in view if tag.tag in ("Choices", "Rating")}
        for task_out in json.loads(export(export_records())):
            for annotation in task_out["annotations"]:
                for result in annotation["result"]:
                    control = controls.get(result.get("from_name"))
                    if result["type"] == "choices":
                        assert set(result["value"]["choices"]) <= {choice.get("value") for choice in control}
                    elif result["type"] == "rating":
                        assert 1 <= result["value"]["rating"] <= int(control.get("maxRating"))

    def test_a_zipped_export_holds_the_questions_in_its_labeling_config(self):
        data = b"".join(formats.write("labelstudio", export_records(), labels=LABELS, questions=QUESTIONS,
                                      as_zip=True, readme="# card"))  # fmt: skip
        config = zipfile.ZipFile(io.BytesIO(data)).read("label_config.xml").decode()
        assert config == labelstudio.label_config(LABELS, (), QUESTIONS)
        assert '<Rating name="Slant" toName="text" maxRating="5"/>' in config

"""Predictions read by the codecs that hold them (formats.predictions, base.Predictions): JSON Lines spans with a
score and a source, Label Studio's predictions with theirs; offsets in code points and moved with the line endings
exactly as for spans (no database)."""

import json

import pytest

from annotator import formats
from annotator.errors import InvalidInput
from annotator.formats import FormatError

# Invented: a flag, a skin-toned thumb and a combining accent before the phrase, and a CRLF the text loses.
TEXT = "🇺🇦 Kyiv 👍🏽 café\u0301\r\nThe mayor told residents the trams would run."
PHRASE = "The mayor told residents"
START = TEXT.index(PHRASE)
STORED_START = START - 1  # the \r before the phrase is gone once line endings are normalised


def read(name, value):
    data = value if isinstance(value, bytes) else json.dumps(value, ensure_ascii=False).encode()
    return list(formats.predictions(name, data))


def problems(name, value):
    with pytest.raises(FormatError) as caught:
        read(name, value)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def predicted(record):
    return [(record["text"][s["start"] : s["end"]], s["start"], s["label"], s["score"], s["source"])
            for s in record["spans"]]  # fmt: skip


def span(**fields):
    return {"start": START, "end": START + len(PHRASE), "label": "Cue", **fields}


class TestJsonLines:
    def test_each_span_keeps_its_score_and_source_at_code_point_offsets(self):
        line = {"external_id": "k-1", "text": TEXT,
                "spans": [span(score=0.25, source="m:1"), span(label="Source", score=1)]}  # fmt: skip

        [record] = read("jsonl", json.dumps(line).encode() + b"\n")

        assert predicted(record) == [(PHRASE, STORED_START, "Cue", 0.25, "m:1"), (PHRASE, STORED_START, "Source", 1.0,
                                                                                   None)]  # fmt: skip
        assert type(record["spans"][1]["score"]) is float

    def test_relations_and_answers_are_passed_over(self):
        line = {"text": TEXT, "spans": [span(id=1)], "relations": [{"type": "x", "from": 1, "to": 9}],
                "answers": "not even a list"}  # fmt: skip

        [record] = read("jsonl", json.dumps(line).encode())

        assert (len(record["spans"]), record["relations"], record["answers"]) == (1, [], [])

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"score": 1.0001}, "span 1: score must be null or a number from 0 to 1, not 1.0001"),
            ({"score": [0.5]}, "span 1: score must be null or a number from 0 to 1, not [0.5]"),
            ({"source": 7}, "span 1: source must be null or a string of 1 to 100 characters"),
            ({"source": "a\x00b"}, "span 1: source must be null or a string of 1 to 100 characters"),
        ],
    )
    def test_a_bad_score_or_source_is_a_problem_of_its_line(self, fields, message):
        lines = [{"text": "Fine."}, {"text": TEXT, "spans": [span(**fields)]}]

        assert problems("jsonl", "\n".join(json.dumps(line) for line in lines).encode()) == [(2, message)]

    def test_offsets_are_checked_as_for_spans(self):
        line = {"text": TEXT, "spans": [span(start=START + 2, text=PHRASE)]}

        [(number, message)] = problems("jsonl", line)

        assert number == 1 and message.startswith("span 1: text 'The mayor told residents' is not the text at")


def task(*predictions, **data):
    return {"id": 5, "data": {"text": TEXT, **data}, "annotations": [{"result": []}], "predictions": list(predictions)}


def result(label="Cue", **fields):
    value = {"start": START, "end": START + len(PHRASE), "text": PHRASE, "labels": [label]}
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value, **fields}


class TestLabelStudio:
    def test_the_results_score_beats_the_predictions_and_model_version_is_the_source(self):
        tasks = [task({"model_version": "v7", "score": 0.4, "result": [result(score=0.9), result("Source")]},
                      {"result": [result()]}, external_id="k-1")]  # fmt: skip

        [record] = read("labelstudio", tasks)

        assert record["external_id"] == "k-1"
        assert predicted(record) == [
            (PHRASE, STORED_START, "Cue", 0.9, "v7"),
            (PHRASE, STORED_START, "Source", 0.4, "v7"),
            (PHRASE, STORED_START, "Cue", None, None),
        ]

    def test_a_numeric_model_version_is_its_text_and_an_empty_one_none(self):
        [record] = read("labelstudio", [task({"model_version": 3, "result": [result()]},
                                             {"model_version": "", "result": [result("Source")]})])  # fmt: skip

        assert [s["source"] for s in record["spans"]] == ["3", None]

    def test_results_other_than_labels_and_the_annotations_are_passed_over(self):
        choice = {"from_name": "tone", "to_name": "text", "type": "choices", "value": {"choices": ["pro"]}}
        tasks = [task({"result": [choice]})]
        tasks[0]["annotations"] = [{"result": [result()]}]

        [record] = read("labelstudio", tasks)

        assert record["spans"] == []

    def test_bad_predictions_are_problems_of_the_tasks_line(self):
        broken = {"model_version": ["x"], "result": {"start": 0}}
        tasks = [task({"score": 2, "result": [result()]}, "not a prediction", broken)]

        assert problems("labelstudio", tasks) == [
            (1, "task 1, prediction 1, result 1: score must be null or a number from 0 to 1, not 2"),
            (1, "task 1, prediction 2: must be an object, not a string"),
            (1, "task 1, prediction 3: model_version must be a string, not a list"),
            (1, "task 1, prediction 3: result must be a list, not an object"),
        ]


class TestWhichFormats:
    def test_only_json_lines_and_label_studio_hold_predictions(self):
        assert [fmt.name for fmt in formats.PREDICTION_FORMATS] == ["jsonl", "labelstudio"]

    @pytest.mark.parametrize("name", ["txt", "csv", "html", "doccano", "brat"])
    def test_another_format_is_refused_naming_the_format(self, name):
        with pytest.raises(InvalidInput) as caught:
            formats.predictions(name, b"")

        assert list(caught.value.detail) == ["format"]

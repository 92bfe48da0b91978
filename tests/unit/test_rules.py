"""annotator/rules.py: the span, label, question and answer rules every layer shares (no database)."""

from types import SimpleNamespace

import pytest

from annotator.rules import (
    answer_problems,
    answer_value,
    answered_question_problems,
    label_problems,
    question_problems,
    span_problems,
    suggestion_problems,
)

TEXT = "Peskov told 😀 reporters"
LENGTH = len(TEXT)


class TestSpanProblems:
    def test_a_span_inside_the_text_is_sound(self):
        assert span_problems(TEXT, 0, len(TEXT)) == []

    def test_the_text_given_must_be_the_slice_in_code_points(self):
        start = TEXT.index("😀")
        assert span_problems(TEXT, start, start + 1, "😀") == []
        assert span_problems(TEXT, start, start + 1, "😀 ") == [
            ("text", f"text '😀 ' is not the text at {start}:{start + 1} ('😀')")
        ]

    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            (-1, 3, [("start", "start -1 is negative")]),
            (LENGTH, LENGTH + 1, [("start", f"start {LENGTH} is past the end of the text ({LENGTH} code points)")]),
            (4, 4, [("end", "start 4 is not before end 4")]),
            (5, 2, [("end", "start 5 is not before end 2")]),
            (0, LENGTH + 1, [("end", f"end {LENGTH + 1} is past the end of the text ({LENGTH} code points)")]),
        ],
    )
    def test_offsets_outside_the_text_or_reversed_are_named(self, start, end, expected):
        assert span_problems(TEXT, start, end) == expected

    def test_the_text_is_not_compared_when_the_offsets_are_wrong(self):
        assert [field for field, _ in span_problems(TEXT, 3, 2, "anything")] == ["end"]


class TestLabelProblems:
    def test_an_active_label_of_the_project_is_sound(self):
        assert label_problems(SimpleNamespace(name="Source", active=True), named=1) == []

    def test_a_label_the_project_lacks_is_named_as_the_caller_named_it(self):
        assert label_problems(None, named="'Appeal'") == [("label", "label 'Appeal' is not in this project")]

    def test_a_deactivated_label_is_refused(self):
        assert label_problems(SimpleNamespace(name="Source", active=False), named=1) == [
            ("label", "label 'Source' is deactivated")
        ]


class TestQuestionRules:
    @pytest.mark.parametrize(
        ("shape", "field"),
        [
            ({"kind": "single", "options": ["a"], "min": None, "max": None}, "options"),
            ({"kind": "multi", "options": ["a", "a"], "min": None, "max": None}, "options"),
            ({"kind": "single", "options": ["a", "b"], "min": 0, "max": None}, "min"),
            ({"kind": "scale", "options": [], "min": 2, "max": 1}, "max"),
            ({"kind": "scale", "options": [], "min": 1.0, "max": 3}, "min"),
            ({"kind": "scale", "options": ["a", "b"], "min": 1, "max": 3}, "options"),
        ],
    )
    def test_a_shape_that_does_not_fit_its_kind_names_the_field(self, shape, field):
        assert field in {name for name, _ in question_problems(**shape)}

    @pytest.mark.parametrize(
        "shape",
        [
            {"kind": "single", "options": ["a", "b"], "min": None, "max": None},
            {"kind": "multi", "options": ["a", "b", "c"], "min": None, "max": None},
            {"kind": "scale", "options": [], "min": -3, "max": 3},
            {"kind": "scale", "options": [], "min": 0, "max": 100},
        ],
    )
    def test_a_sound_shape_has_no_problems(self, shape):
        assert question_problems(**shape) == []

    @pytest.mark.parametrize(
        ("kind", "value", "sound"),
        [
            ("single", "b", True),
            ("single", "z", False),
            ("single", ["b"], False),
            ("multi", ["b", "a"], True),
            ("multi", [], False),
            ("multi", ["a", "a"], False),
            ("multi", "a", False),
            ("scale", 3, True),
            ("scale", 4, False),
            ("scale", True, False),
            ("scale", 2.0, False),
        ],
    )
    def test_an_answer_is_checked_by_its_questions_kind(self, kind, value, sound):
        question = SimpleNamespace(kind=kind, options=["a", "b"] if kind != "scale" else [], min=1, max=3)

        assert (answer_problems(question, value) == []) is sound

    def test_a_multi_answer_is_kept_in_the_questions_order(self):
        question = SimpleNamespace(kind="multi", options=["a", "b", "c"], min=None, max=None)

        assert answer_value(question, ["c", "a"]) == ["a", "c"]

    def test_a_question_the_project_lacks_or_deactivated_is_named(self):
        assert answered_question_problems(None, named=7) == [("question", "question 7 is not in this project")]
        assert answered_question_problems(SimpleNamespace(name="Tone", active=False), named=3) == [
            ("question", "question 'Tone' is deactivated")
        ]


class TestSuggestionProblems:
    @pytest.mark.parametrize("score", [None, 0, 0.0, 0.5, 1, 1.0])
    def test_a_score_that_is_null_or_from_0_to_1_is_sound(self, score):
        assert suggestion_problems(score=score, source="lexicon:cues") == []

    @pytest.mark.parametrize("score", [-0.0001, 1.0001, 2, -1])
    def test_a_score_outside_0_to_1_is_named(self, score):
        assert [field for field, _ in suggestion_problems(score=score, source="m")] == ["score"]

    @pytest.mark.parametrize("source", ["", "x" * 101])
    def test_a_source_not_1_to_100_characters_is_named(self, source):
        assert [field for field, _ in suggestion_problems(score=None, source=source)] == ["source"]

    def test_a_source_of_100_characters_is_sound(self):
        assert suggestion_problems(score=None, source="x" * 100) == []

"""annotator/rules.py: the span and label rules every layer shares (no database)."""

from types import SimpleNamespace

import pytest

from annotator.rules import label_problems, span_problems

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

"""annotator/formats/conll.py: BIO tags over the agreement tokens (no database)."""

from annotator.formats import conll
from annotator.text import tokenize
from tests.unit.formats_data import CAFE, EN, FLAG_UA, assert_golden, export_records


def span(start, end, label):
    return {"start": start, "end": end, "label": label}


def export(records):
    return b"".join(conll.write(records))


class TestTags:
    def test_a_span_tags_every_token_it_touches(self):
        text = "Peskov told reporters, then left."
        assert conll.tags(text, [span(2, 14, "Source attribution")]) == [
            ("Peskov", "B-Source_attribution"),
            ("told", "I-Source_attribution"),
            ("reporters", "I-Source_attribution"),
            (",", "O"),
            ("then", "O"),
            ("left", "O"),
            (".", "O"),
        ]

    def test_the_earlier_span_wins_an_overlap_and_the_later_is_left_out_whole(self):
        text = "one two three four"
        tagged = conll.tags(text, [span(4, 18, "Late"), span(0, 7, "Early")])
        assert [tag for _, tag in tagged] == ["B-Early", "I-Early", "O", "O"]

    def test_of_two_spans_starting_together_the_longer_wins(self):
        text = "one two three"
        tagged = conll.tags(text, [span(0, 3, "Short"), span(0, 13, "Long")])
        assert [tag for _, tag in tagged] == ["B-Long", "I-Long", "I-Long"]

    def test_a_nested_span_gives_way_to_the_one_around_it(self):
        text = "said Olena Petrenko today"
        tagged = conll.tags(text, [span(5, 19, "Person"), span(0, 19, "Source")])
        assert [tag for _, tag in tagged] == ["B-Source", "I-Source", "I-Source", "O"]

    def test_equal_spans_go_to_the_label_first_in_alphabetical_order(self):
        tagged = conll.tags("word", [span(0, 4, "Zeta"), span(0, 4, "Alpha")])
        assert tagged == [("word", "B-Alpha")]

    def test_adjacent_spans_each_begin_with_b(self):
        tagged = conll.tags("one two", [span(0, 3, "A"), span(4, 7, "A")])
        assert tagged == [("one", "B-A"), ("two", "B-A")]

    def test_emoji_flags_and_combining_accents_are_tokens_as_agreement_sees_them(self):
        text = f"{CAFE} {FLAG_UA}"
        tagged = conll.tags(text, [span(0, len(text), "Place")])
        assert [token for token, _ in tagged] == [text[start:end] for start, end in tokenize(text)]
        assert [tag for _, tag in tagged] == ["B-Place"] + ["I-Place"] * (len(tagged) - 1)

    def test_a_span_over_white_space_only_tags_nothing(self):
        assert conll.tags("a  b", [span(1, 3, "Gap")]) == [("a", "O"), ("b", "O")]


class TestWrite:
    def test_golden_export(self):
        assert_golden("export.conll", export(export_records()))

    def test_one_token_a_line_and_a_blank_line_after_each_document(self):
        blocks = export(export_records()).decode().split("\n\n")
        assert blocks[-1] == ""
        assert len(blocks) - 1 == len(export_records())
        english = blocks[0].split("\n")
        assert len(english) == len(tokenize(EN))
        assert all(len(line.split("\t")) == 2 for line in english)

    def test_white_space_in_label_names_becomes_underscore(self):
        text = export(export_records()).decode()
        assert "B-Source_attribution" in text and "Source attribution" not in text

    def test_no_records_is_an_empty_file(self):
        assert export([]) == b""

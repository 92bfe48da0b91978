"""annotator/formats/conll.py: BIO tags over the agreement tokens (no database)."""

import pytest

from annotator.formats import conll
from annotator.formats.base import UniqueNames
from annotator.text import tokenize
from tests.unit.formats_data import CAFE, EN, FLAG_UA, LABELS, UK, assert_golden, export_records

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man, ZWJ, woman, ZWJ, girl


def span(start, end, label):
    return {"start": start, "end": end, "label": label}


def export(records, labels=()):
    return b"".join(conll.write(records, labels=labels))


def read_conll2003(data):
    """[(document id, [(token, tag)])] as a CoNLL-2003 reader takes the file: a line starting with -DOCSTART-
    opens a document (here the id is its fifth field), blank lines end sentences, other lines are `token tag`."""
    documents = []
    for line in data.decode().split("\n"):
        if line.startswith("-DOCSTART-"):
            documents.append((line.split()[4], []))
        elif line.strip():
            token, tag = line.split("\t")
            documents[-1][1].append((token, tag))
    return documents


def entities(tagged):
    """[(type, first token index, last + 1)] of BIO tags, as seqeval's get_entities groups them."""
    found = []
    for index, (_, tag) in enumerate(tagged):
        if tag.startswith("B-") or (tag.startswith("I-") and (not found or found[-1][2] != index)):
            found.append([tag[2:], index, index + 1])
        elif tag.startswith("I-") and found[-1][0] == tag[2:]:
            found[-1][2] = index + 1
    return [tuple(item) for item in found]


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

    @pytest.mark.parametrize(
        ("text", "tokens"),
        [
            ("Cafe\u0301 owner", ["Cafe\u0301", "owner"]),  # spaCy read the old export as "Cafe ́ owner"
            (f"a {FAMILY} b", ["a", FAMILY, "b"]),
            ("I \u2764\ufe0f it", ["I", "\u2764\ufe0f", "it"]),
            (f"Kyiv {FLAG_UA}!", ["Kyiv", FLAG_UA, "!"]),
        ],
        ids=["combining-accent", "zwj", "vs16", "flag"],
    )
    def test_no_grapheme_cluster_is_split_across_tokens(self, text, tokens):
        assert [token for token, _ in conll.tags(text, [])] == tokens

    def test_a_span_over_white_space_only_tags_nothing(self):
        assert conll.tags("a  b", [span(1, 3, "Gap")]) == [("a", "O"), ("b", "O")]


class TestWrite:
    def test_golden_export(self):
        assert_golden("export.conll", export(export_records(), LABELS))

    def test_each_document_follows_a_docstart_line_carrying_its_id(self):
        lines = export(export_records()).decode().split("\n")
        assert lines[:3] == ["-DOCSTART- -X- O O\t7\tO", "", "Harbour\tO"]
        assert "-DOCSTART- -X- O O\t8\tO" in lines

    def test_a_conll2003_reader_finds_every_document_by_id_with_its_tokens(self):
        documents = read_conll2003(export(export_records(), LABELS))
        assert [doc_id for doc_id, _ in documents] == ["7", "8"]
        for (_, tagged), text in zip(documents, (EN, UK), strict=True):
            assert [token for token, _ in tagged] == [text[start:end] for start, end in tokenize(text)]
        assert entities(documents[1][1])[:2] == [("Diplomatic_claim", 3, 6), ("Diplomatic_claim", 6, 8)]

    def test_an_empty_document_keeps_its_place(self):
        records = [
            {"id": 1, "text": "One.", "spans": []},
            {"id": 2, "text": " \n\t ", "spans": []},
            {"id": 3, "text": "Three.", "spans": [span(0, 5, "X")]},
        ]
        data = export(records)
        assert data.decode() == (
            "-DOCSTART- -X- O O\t1\tO\n\nOne\tO\n.\tO\n\n"
            "-DOCSTART- -X- O O\t2\tO\n\n"
            "-DOCSTART- -X- O O\t3\tO\n\nThree\tB-X\n.\tO\n\n"
        )
        assert [(doc_id, len(tagged)) for doc_id, tagged in read_conll2003(data)] == [("1", 2), ("2", 0), ("3", 2)]

    def test_a_text_quoting_docstart_never_makes_a_docstart_line(self):
        data = export([{"id": 1, "text": "-DOCSTART- -X- O O in the text", "spans": []}])
        assert [line for line in data.decode().split("\n") if line.startswith("-DOCSTART-")] == [
            "-DOCSTART- -X- O O\t1\tO"
        ]

    def test_white_space_in_label_names_becomes_underscore(self):
        text = export(export_records()).decode()
        assert "B-Source_attribution" in text and "Source attribution" not in text

    def test_names_that_would_collide_get_distinct_tags(self):
        labels = [{"name": "Call to action"}, {"name": "Call_to_action"}, {"name": "a|b, c"}]
        record = {"id": 1, "text": "one two three", "spans": [span(0, 3, "Call to action"),
                  span(4, 7, "Call_to_action"), span(8, 13, "a|b, c")]}  # fmt: skip
        tagged = read_conll2003(export([record], labels))[0][1]
        assert [tag for _, tag in tagged] == ["B-Call_to_action_2", "B-Call_to_action", "B-a_b_c"]

    def test_the_tags_are_the_brat_types(self):
        labels = [{"name": name} for name in ("Джерело", "Café ☕", "label")]
        assert UniqueNames(label["name"] for label in labels).forms == {
            "Джерело": "label_2", "Café ☕": "Cafe", "label": "label"
        }  # fmt: skip
        record = {"id": 1, "text": "a b", "spans": [span(0, 1, "Джерело"), span(2, 3, "Café ☕")]}
        assert [tag for _, tag in read_conll2003(export([record], labels))[0][1]] == ["B-label_2", "B-Cafe"]

    def test_no_records_is_an_empty_file(self):
        assert export([]) == b""

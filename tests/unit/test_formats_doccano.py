"""annotator/formats/doccano.py: doccano's sequence-labeling JSON Lines, offsets in UTF-16 code units by default
(no database)."""

import json

import pytest

from annotator.formats import FormatError, doccano
from tests.unit.formats_data import (
    CAFE,
    FLAG_UA,
    assert_golden,
    assert_golden_records,
    comparable,
    export_records,
    golden_bytes,
)
from tests.unit.formats_unicode import PIECES, TEXT, code_points, utf16_slice, utf16_units


def problems_of(data, **options):
    with pytest.raises(FormatError) as caught:
        doccano.read(data, **options)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def export(records, **options):
    return b"".join(doccano.write(records, **options))


def line(text, *spans):
    return json.dumps({"text": text, "label": [list(item) for item in spans]}).encode()


def tricky_record():
    spans = [{"start": start, "end": end, "label": "X", "annotator": None}
             for start, end in map(code_points, PIECES)]  # fmt: skip
    return {"id": 1, "text": TEXT, "spans": spans}


class TestRead:
    def test_golden_file_reads_as_expected(self):
        assert_golden_records("import-doccano.jsonl.records.json", doccano.read(golden_bytes("import-doccano.jsonl")))

    def test_label_triples_are_code_point_spans_with_no_annotator(self):
        english = doccano.read(golden_bytes("import-doccano.jsonl"))[0]
        assert [(item["text"], item["label"], item["annotator"]) for item in english["spans"]] == [
            (f"said Olena Petrenko {FLAG_UA}", "Source attribution", None),
            ('"We were handed forty pages on Friday,"', "Editorial appeal", None),
            (CAFE, "Place", None),
            ("a spokesperson told reporters", "Source attribution", None),
        ]

    def test_the_entities_variant_reads_and_crlf_moves_its_offsets(self):
        ukrainian = doccano.read(golden_bytes("import-doccano.jsonl"))[1]
        assert [item["text"] for item in ukrainian["spans"]] == [
            "Олена Петренко", "«Нам дали сорок сторінок у п'ятницю» 😀", "голосування.\nОлена"
        ]

    def test_doccano_ids_and_extra_keys_go_to_metadata(self):
        english, ukrainian = doccano.read(golden_bytes("import-doccano.jsonl"))
        assert english["external_id"] == ""
        assert english["metadata"] == {"doccano_id": 101, "outlet": "The Quayside Ledger"}
        assert ukrainian["metadata"] == {"doccano_id": 102}


class TestReadOffsets:
    def test_the_issues_example_stores_the_word_doccano_shows(self):
        [record] = doccano.read(line("\U0001f600 hello world again", (9, 14, "X")))
        assert record["spans"][0]["text"] == "world"

    @pytest.mark.parametrize("piece", PIECES)
    def test_utf16_offsets_cover_the_characters_doccano_shows(self, piece):
        start, end = utf16_units(piece)
        [record] = doccano.read(line(TEXT, (start, end, "X")))
        assert [(item["start"], item["end"], item["text"]) for item in record["spans"]] == [
            (*code_points(piece), piece)
        ]

    @pytest.mark.parametrize("piece", PIECES)
    def test_codepoints_reads_offsets_written_through_doccanos_api(self, piece):
        [record] = doccano.read(line(TEXT, (*code_points(piece), "X")), offsets="codepoints")
        assert record["spans"][0]["text"] == piece

    def test_the_entities_variant_counts_utf16_too(self):
        start, end = utf16_units("family said")
        data = json.dumps({"text": TEXT, "entities": [{"start_offset": start, "end_offset": end, "label": "X"}]})
        [record] = doccano.read(data.encode())
        assert record["spans"][0]["text"] == "family said"

    def test_crlf_after_an_emoji_moves_utf16_offsets_too(self):
        text = "\U0001f600\r\nOlena \U0001f1fa\U0001f1e6 said"  # UTF-16: grin 0-1, CR 2, LF 3, Olena 4-8, flag 10-13
        [record] = doccano.read(line(text, (4, 14, "X")))
        assert record["text"] == "\U0001f600\nOlena \U0001f1fa\U0001f1e6 said"
        assert record["spans"][0]["text"] == "Olena \U0001f1fa\U0001f1e6"

    def test_an_unknown_unit_is_refused(self):
        with pytest.raises(ValueError, match="offsets 'bytes'"):
            doccano.read(line("abc", (0, 1, "X")), offsets="bytes")


class TestReadRefuses:
    def test_a_utf16_offset_inside_a_surrogate_pair_names_its_line(self):
        data = b"\n".join([line("fine", (0, 4, "X")), line("a\U0001f600b", (2, 4, "X"), (0, 2, "Y"))])
        assert problems_of(data) == [
            (2, "label 1: start 2 falls inside a surrogate pair (the middle of one character)"),
            (2, "label 2: end 2 falls inside a surrogate pair (the middle of one character)"),
        ]

    def test_utf16_offsets_past_the_end_are_refused_in_utf16_units(self):
        text = "\U0001f600\U0001f600"  # 2 code points, 4 UTF-16 code units
        assert problems_of(line(text, (0, 5, "X"), (4, 4, "Y"), (-1, 2, "Z"))) == [
            (1, "label 1: end 5 is past the end of the text (4 UTF-16 code units)"),
            (1, "label 2: start 4 is past the end of the text (4 UTF-16 code units)"),
            (1, "label 3: start -1 is negative"),
        ]

    def test_code_point_offsets_past_the_end_are_refused_in_code_points(self):
        assert problems_of(line("\U0001f600\U0001f600", (0, 3, "X")), offsets="codepoints") == [
            (1, "label 1: end 3 is past the end of the text (2 code points)")
        ]


    def test_every_problem_is_reported_with_its_line(self):
        data = "\n".join(
            [
                '{"text": "abc", "label": [[0, 2, "A"]]}',
                '{"text": "abc", "label": [[0, 9, "A"], [1, "2", "B"], [0, 1]]}',
                '{"text": "abc", "label": ["positive"]}',
                '{"text": "abc", "entities": [{"start_offset": 2, "end_offset": 1, "label": "A"}, 5]}',
                '{"label": [[0, 1, "A"]]}',
                '{"text": "abc", "label": [[0, 1, "A"]',
            ]
        ).encode()
        assert problems_of(data) == [
            (2, "label 1: end 9 is past the end of the text (3 UTF-16 code units)"),
            (2, "label 2: end must be an integer, not '2'"),
            (2, "label 3: must be [start, end, label], not [0, 1]"),
            (3, "label 1: 'positive' is a document category; only span labels import"),
            (4, "entity 1: start 2 is not before end 1"),
            (4, "entity 2: must be an object, not a number"),
            (5, "text is missing or empty"),
            (6, "not valid JSON (unexpected end of data at column 38)"),
        ]

    def test_non_utf8_bytes_name_their_line(self):
        assert problems_of(b'{"text": "a"}\n\n{"text": "\xff"}') == [
            (3, "byte 0xff at column 11 is not UTF-8; save the file as UTF-8 and import again")
        ]


class TestWrite:
    def test_golden_export(self):
        assert_golden("export-doccano.jsonl", export(export_records()))

    def test_each_line_has_text_and_label_triples_first(self):
        for line, record in zip(export(export_records()).splitlines(), export_records(), strict=True):
            row = json.loads(line)
            assert list(row)[:3] == ["id", "text", "label"]
            assert [label for _, _, label in row["label"]] == [item["label"] for item in record["spans"]]


class TestWriteOffsets:
    def test_offsets_are_utf16_code_units_that_slice_the_text_as_doccano_shows_it(self):
        row = json.loads(export([tricky_record()]))
        assert [utf16_slice(row["text"], start, end) for start, end, _ in row["label"]] == list(PIECES)

    def test_codepoints_writes_python_offsets(self):
        row = json.loads(export([tricky_record()], offsets="codepoints"))
        assert [row["text"][start:end] for start, end, _ in row["label"]] == list(PIECES)

    def test_the_golden_export_counts_utf16(self):
        for line_out, record in zip(export(export_records()).splitlines(), export_records(), strict=True):
            row = json.loads(line_out)
            assert [utf16_slice(row["text"], start, end) for start, end, _ in row["label"]] == [
                item["text"] for item in record["spans"]
            ]


class TestRoundTrip:
    def test_export_then_import_gives_back_texts_offsets_and_labels(self):
        records = export_records()
        imported = doccano.read(export(records))
        assert comparable(imported) == comparable(records)
        assert [record["external_id"] for record in imported] == ["ledger-031", ""]
        assert [record["metadata"] for record in imported] == [record["metadata"] for record in records]

    @pytest.mark.parametrize("offsets", ["utf16", "codepoints"])
    def test_either_unit_round_trips_the_tricky_document(self, offsets):
        [back] = doccano.read(export([tricky_record()], offsets=offsets), offsets=offsets)
        assert [item["text"] for item in back["spans"]] == list(PIECES)

    def test_export_import_export_is_identical(self):
        records = export_records()
        first = export(records)
        again = [{**back, "id": record["id"]} for back, record in zip(doccano.read(first), records, strict=True)]
        assert export(again) == first

"""annotator/formats/doccano.py: doccano's sequence-labeling and relation-extraction JSON Lines, offsets in UTF-16 code
units by default (no database)."""

import json

import pytest

from annotator.formats import FormatError, doccano
from tests.unit.formats_data import (
    CAFE,
    FLAG_UA,
    RELATION_TYPES,
    assert_golden,
    assert_golden_records,
    comparable,
    export_records,
    golden_bytes,
    relation_ends,
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


def relation_line(text, entities, relations, **fields):
    """A relation-extraction line: `entities` as (id, start, end, label), `relations` as (from_id, to_id, type)."""
    return json.dumps({
        "text": text,
        "entities": [{"id": ident, "start_offset": start, "end_offset": end, "label": label}
                     for ident, start, end, label in entities],
        "relations": [{"id": number, "from_id": start, "to_id": end, "type": kind}
                      for number, (start, end, kind) in enumerate(relations, 1)],
        **fields,
    }).encode()  # fmt: skip


PESKOV = "\U0001f600 Peskov told reporters the talks would resume."
CYRILLIC = "Пєсков сказав журналістам, що переговори відновляться."


class TestReadRelations:
    def test_relations_join_entities_by_id_after_an_emoji_counted_in_utf16(self):
        # "Peskov" starts at code point 2, UTF-16 unit 3: the emoji counts two.
        data = relation_line(PESKOV, [(10, 3, 9, "Source"), (11, 10, 14, "Cue")], [(11, 10, "source")])

        [record] = doccano.read(data)

        assert [(item["id"], item["text"]) for item in record["spans"]] == [(10, "Peskov"), (11, "told")]
        assert [(item["type"], item["from"], item["to"], item["annotator"]) for item in record["relations"]] == [
            ("source", 11, 10, None)
        ]

    def test_codepoints_reads_relations_of_data_written_through_doccanos_api(self):
        data = relation_line(PESKOV, [(0, 2, 8, "Source"), (1, 9, 13, "Cue")], [(1, 0, "source")])

        [record] = doccano.read(data, offsets="codepoints")

        assert [item["text"] for item in record["spans"]] == ["Peskov", "told"]
        assert [(item["from"], item["to"]) for item in record["relations"]] == [(1, 0)]

    def test_cyrillic_entities_and_their_relation(self):
        data = relation_line(CYRILLIC, [(1, 0, 6, "Source"), (2, 7, 13, "Cue")], [(2, 1, "source")])

        [record] = doccano.read(data)

        assert [item["text"] for item in record["spans"]] == ["Пєсков", "сказав"]
        assert record["relations"][0]["type"] == "source"

    def test_doccanos_own_example_reads_with_its_comments_left_out(self):
        # backend/data_export/pipeline/examples/relation_extraction/example.jsonl, with the Comments a doccano
        # export adds (data_export/models.py, ExportedComment.to_dict).
        data = relation_line(
            "Google was founded on September 4, 1998, by Larry Page and Sergey Brin.",
            [(0, 0, 6, "ORG"), (1, 22, 39, "DATE"), (2, 44, 54, "PERSON"), (3, 59, 70, "PERSON")],
            [(0, 1, "foundedAt"), (0, 2, "foundedBy"), (0, 3, "foundedBy")],
            id=42, Comments=[{"id": 1, "comment": "check the date"}],
        )

        [record] = doccano.read(data)

        assert [(item["from"], item["to"], item["type"]) for item in record["relations"]] == [
            (0, 1, "foundedAt"), (0, 2, "foundedBy"), (0, 3, "foundedBy")
        ]
        assert record["metadata"] == {"doccano_id": 42}

    def test_a_sequence_labeling_line_beside_it_has_no_relations(self):
        data = b"\n".join([line("abc", (0, 1, "X")), relation_line("abc", [(1, 0, 1, "X")], [])])

        first, second = doccano.read(data)

        assert (first.get("relations"), second.get("relations")) == (None, None)
        assert [item["text"] for item in first["spans"] + second["spans"]] == ["a", "a"]


class TestReadRelationsRefuses:
    def test_every_problem_names_its_line(self):
        entities = [(1, 3, 9, "Source"), (2, 10, 14, "Cue")]
        data = b"\n".join([
            relation_line(PESKOV, entities, [(2, 1, "source")]),
            relation_line(PESKOV, entities, [(2, 9, "source"), (2, 1, ""), (None, 1, "source")]),
            relation_line(PESKOV, [(1, 3, 9, "Source"), (1, 10, 14, "Cue")], []),
            json.dumps({"text": "abc", "label": [[0, 1, "X"]], "relations": [{"from_id": 1, "to_id": 2,
                                                                            "type": "t"}]}).encode(),
            json.dumps({"text": "abc", "entities": [], "relations": {"type": "t"}}).encode(),
        ])  # fmt: skip

        assert problems_of(data) == [
            (2, "relation 1: to_id 9 is not the id of a span of this document"),
            (2, "relation 2: type must be a relation type's name, not ''"),
            (2, "relation 3: from_id is missing; it names a span by its id"),
            (3, "entity 2: id 1 is the id of an earlier span of this document"),
            (4, "relations need entities with ids to join; this line has none"),
            (5, "relations must be a list, not an object"),
        ]

    def test_a_relation_to_an_entity_inside_a_surrogate_pair_adds_no_second_problem(self):
        data = relation_line(PESKOV, [(1, 1, 9, "Source"), (2, 10, 14, "Cue")], [(2, 1, "source")])

        assert problems_of(data) == [
            (1, "entity 1: start 1 falls inside a surrogate pair (the middle of one character)")
        ]


class TestWriteRelations:
    def export_lines(self, records=None, **options):
        data = export(export_records() if records is None else records, relation_types=RELATION_TYPES, **options)
        return [json.loads(row) for row in data.splitlines()]

    def test_with_relation_types_each_line_has_entities_and_relations_as_doccano_exports_them(self):
        english = self.export_lines()[0]

        assert list(english)[:4] == ["id", "text", "entities", "relations"]
        assert "label" not in english and "Comments" not in english
        # Code points 154:176, after a ship emoji and ending in a flag of two regional indicators.
        assert english["entities"][0] == {"id": 101, "label": "Source attribution",
                                          "start_offset": 155, "end_offset": 179}  # fmt: skip
        assert [list(item) for item in english["relations"]] == [["id", "from_id", "to_id", "type"]] * 2
        assert [(item["from_id"], item["to_id"], item["type"]) for item in english["relations"]] == [
            (101, 102, "Located at"), (105, 103, "Says")
        ]

    def test_entity_offsets_count_utf16_and_codepoints_on_request(self):
        for options, cut in (({}, utf16_slice), ({"offsets": "codepoints"}, lambda text, s, e: text[s:e])):
            for row, record in zip(self.export_lines(**options), export_records(), strict=True):
                assert [cut(row["text"], item["start_offset"], item["end_offset"]) for item in row["entities"]] == [
                    item["text"] for item in record["spans"]
                ]

    def test_relations_without_ids_are_numbered_in_their_line(self):
        [row] = self.export_lines([{"id": 1, "text": "ab", "spans": [
            {"id": 7, "start": 0, "end": 1, "label": "X"}, {"id": 8, "start": 1, "end": 2, "label": "Y"}],
            "relations": [{"type": "Says", "from": 7, "to": 8}, {"id": 30, "type": "Says", "from": 8, "to": 7}]}])

        assert [item["id"] for item in row["relations"]] == [1, 30]

    def test_without_relation_types_the_export_stays_sequence_labeling(self):
        assert export(export_records(), relation_types=()) == export(export_records())


class TestRoundTripRelations:
    def test_export_then_import_gives_back_spans_and_relations_by_their_ends(self):
        records = export_records()

        imported = doccano.read(export(records, relation_types=RELATION_TYPES))

        assert comparable(imported) == comparable(records)
        assert list(map(relation_ends, imported)) == list(map(relation_ends, records))

    @pytest.mark.parametrize("offsets", ["utf16", "codepoints"])
    def test_export_import_export_is_identical(self, offsets):
        first = export(export_records(), relation_types=RELATION_TYPES, offsets=offsets)
        again = [{**back, "id": record["id"]}
                 for back, record in zip(doccano.read(first, offsets=offsets), export_records(), strict=True)]
        for back, record in zip(again, export_records(), strict=True):
            back["relations"] = [{**item, "id": None} for item in back["relations"]]
            assert len(back["relations"]) == len(record["relations"])
        assert export(again, relation_types=RELATION_TYPES, offsets=offsets) == first

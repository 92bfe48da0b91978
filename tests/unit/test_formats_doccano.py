"""annotator/formats/doccano.py: doccano's sequence-labeling JSON Lines (no database)."""

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


def problems_of(data):
    with pytest.raises(FormatError) as caught:
        doccano.read(data)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def export(records):
    return b"".join(doccano.write(records))


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


class TestReadRefuses:
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
            (2, "label 1: end 9 is past the end of the text (3 code points)"),
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
            assert row["label"] == [[item["start"], item["end"], item["label"]] for item in record["spans"]]


class TestRoundTrip:
    def test_export_then_import_gives_back_texts_offsets_and_labels(self):
        records = export_records()
        imported = doccano.read(export(records))
        assert comparable(imported) == comparable(records)
        assert [record["external_id"] for record in imported] == ["ledger-031", ""]
        assert [record["metadata"] for record in imported] == [record["metadata"] for record in records]

    def test_export_import_export_is_identical(self):
        records = export_records()
        first = export(records)
        again = [{**back, "id": record["id"]} for back, record in zip(doccano.read(first), records, strict=True)]
        assert export(again) == first

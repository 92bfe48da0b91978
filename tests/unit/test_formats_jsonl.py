"""annotator/formats/jsonl.py: JSON Lines import and export (no database)."""

import json
from datetime import UTC, datetime

import pytest

from annotator.formats import FormatError, jsonl
from tests.unit.formats_data import (
    CAFE,
    FLAG_UA,
    assert_golden,
    assert_golden_records,
    export_records,
    golden_bytes,
)

DOCUMENT_KEYS = ["id", "external_id", "title", "text", "source", "url", "author", "published_at", "language",
                 "metadata", "spans", "relations", "answers"]
SPAN_KEYS = ["id", "start", "end", "label", "text", "annotator", "review_status", "origin", "note", "codebook_version"]
RELATION_KEYS = ["type", "from", "to", "annotator", "review_status", "note", "codebook_version"]
ANSWER_KEYS = ["question", "value", "annotator", "review_status", "codebook_version"]


def problems_of(data):
    with pytest.raises(FormatError) as caught:
        jsonl.read(data)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def export(records):
    return b"".join(jsonl.write(records))


class TestRead:
    def test_golden_file_reads_as_expected(self):
        assert_golden_records("import.jsonl.records.json", jsonl.read(golden_bytes("import.jsonl")))

    def test_offsets_after_emoji_flag_and_accent_are_code_points(self):
        english = jsonl.read(golden_bytes("import.jsonl"))[0]
        assert [item["text"] for item in english["spans"]] == [
            f"said Olena Petrenko {FLAG_UA}",
            '"We were handed forty pages on Friday,"',
            CAFE,
            "a spokesperson told reporters",
        ]
        assert [item["annotator"] for item in english["spans"]] == ["alice", "bob", None, "bob"]

    def test_crlf_becomes_lf_and_later_spans_move_with_it(self):
        ukrainian = jsonl.read(golden_bytes("import.jsonl"))[1]
        assert "\r" not in ukrainian["text"]
        texts = [ukrainian["text"][item["start"] : item["end"]] for item in ukrainian["spans"]]
        assert texts == ["Олена Петренко", "«Нам дали сорок сторінок у п'ятницю» 😀", "голосування.\nОлена"]

    def test_document_fields_and_defaults(self):
        english, ukrainian, note = jsonl.read(golden_bytes("import.jsonl"))
        assert english["metadata"] == {"section": "harbour", "tags": ["ferry", "council"]}
        assert english["published_at"] == "2024-03-05T09:30:00+01:00"
        assert ukrainian["published_at"] == "2024-03-06T00:00:00"
        assert ukrainian["spans"][1]["note"] == "quote marks «» included"
        assert note["external_id"] == "" and note["spans"] == [] and note["metadata"] == {}
        assert [record["line"] for record in (english, ukrainian, note)] == [1, 2, 3]

    def test_a_crlf_file_with_a_byte_order_mark_reads_the_same(self):
        data = golden_bytes("import.jsonl")
        assert jsonl.read(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")) == jsonl.read(data)

    def test_a_numeric_external_id_becomes_text(self):
        [record] = jsonl.read(b'{"text": "a", "external_id": 42}')
        assert record["external_id"] == "42"

    def test_blank_lines_are_skipped_and_counted(self):
        [record] = jsonl.read(b'\n\n{"text": "third line"}\n\n')
        assert record["line"] == 3

    def test_a_spans_origin_is_kept_when_given(self):
        line = {"text": "Peskov said", "spans": [{"start": 0, "end": 6, "label": "S", "origin": "lexicon:cues"},
                                                  {"start": 7, "end": 11, "label": "S", "origin": None}]}  # fmt: skip
        [record] = jsonl.read(json.dumps(line).encode())
        assert [span.get("origin") for span in record["spans"]] == ["lexicon:cues", None]

    @pytest.mark.parametrize("origin", ["", "x" * 101, 3, ["a"], "a\x00b"])
    def test_an_origin_that_is_no_source_is_refused(self, origin):
        line = {"text": "Peskov said", "spans": [{"start": 0, "end": 6, "label": "S", "origin": origin}]}
        with pytest.raises(FormatError, match="origin"):
            jsonl.read(json.dumps(line).encode())


class TestReadRefuses:
    def test_truncated_json_names_its_line(self):
        assert problems_of(b'{"text": "one"}\n{"text": "two", "spans": [{"sta') == [
            (2, "not valid JSON (unexpected end of data at column 32)")
        ]

    def test_every_problem_in_the_file_is_reported_with_its_line(self):
        data = "\n".join(
            [
                '{"text": "fine", "spans": [{"start": 0, "end": 4, "label": "A"}]}',
                '{"text": "", "title": 3}',
                '{"text": "abc", "spans": [{"start": 1, "end": 9, "label": "A"}, {"start": 2, "end": 1, "label": "A"}]'
                "}",
                '{"text": "abc", "spans": [{"start": "0", "end": 2.0, "label": "A"}]}',
                '{"text": "abc", "spans": [{"start": -1, "end": 2}]}',
                '["not", "an", "object"]',
                '{"text": "abc", "titel": "typo"}',
                '{"text": "abc", "spans": {"start": 0}}',
                '{"text": "abc", "metadata": "not an object", "published_at": "yesterday"}',
            ]
        ).encode()
        assert problems_of(data) == [
            (2, "text is missing or empty"),
            (2, "title must be a string, not a number"),
            (3, "span 1: end 9 is past the end of the text (3 code points)"),
            (3, "span 2: start 2 is not before end 1"),
            (4, "span 1: start must be an integer, not '0'"),
            (4, "span 1: end must be an integer, not 2.0"),
            (5, "span 1: start -1 is negative"),
            (5, "span 1: label must be a label name, not None"),
            (6, "each line must be a JSON object, not a list"),
            (7, "unknown field(s) titel; put extra fields in metadata"),
            (8, "spans must be a list, not an object"),
            (9, "published_at 'yesterday' is not an ISO 8601 date or date-time"),
            (9, "metadata must be a JSON object, not a string"),
        ]

    def test_non_utf8_bytes_name_their_line(self):
        data = b'{"text": "ok"}\n{"text": "caf\xe9"}\n{"text": "fine"}\n{"title": "\xff", "text": "x"}'
        assert problems_of(data) == [
            (2, "byte 0xe9 at column 14 is not UTF-8; save the file as UTF-8 and import again"),
            (4, "byte 0xff at column 12 is not UTF-8; save the file as UTF-8 and import again"),
        ]

    def test_spans_of_a_line_without_text_report_only_the_missing_text(self):
        assert problems_of(b'{"spans": [{"start": 0, "end": 1, "label": "A"}]}') == [(1, "text is missing or empty")]

    def test_a_repeated_external_id_names_both_lines(self):
        data = (
            b'{"text": "a", "external_id": "x"}\n'
            b'{"text": "b", "external_id": "y"}\n'
            b'{"text": "c", "external_id": "x"}\n'
        )
        assert problems_of(data) == [(3, "external_id 'x' repeats the one on line 1")]

    def test_span_text_that_differs_from_the_document_is_refused(self):
        data = b'{"text": "Peskov told", "spans": [{"start": 0, "end": 6, "label": "A", "text": "Pesko"}]}'
        assert problems_of(data) == [(1, "span 1: text 'Pesko' is not the text at 0:6 ('Peskov')")]

    def test_a_span_over_nothing_but_the_cr_of_a_crlf_is_refused(self):
        data = b'{"text": "a\\r\\nb", "spans": [{"start": 1, "end": 2, "label": "A"}]}'
        assert problems_of(data) == [(1, "span 1: covers nothing but the carriage return of a line break")]

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ('{"text": "a\\u0000b"}', "text contains a NUL character or an unpaired UTF-16 surrogate"),
            ('{"text": "a\\ud83d b"}', "not valid JSON (no low surrogate in string at column 12)"),
            ('{"text": "a", "metadata": {"x": NaN}}', "not valid JSON (unexpected character, expected a JSON value"),
            ('{"text": "   \\n "}', "text has nothing but white space"),
            ('{"text": "a", "url": "' + "u" * 2001 + '"}', "url is longer than 2000 characters"),
            ('{"text": "a", "spans": [{"start": 0, "end": 1, "label": "A", "review_status": "maybe"}]}',
             "span 1: review_status must be one of pending, accepted, rejected, not 'maybe'"),
        ],
    )
    def test_values_the_database_cannot_hold_are_refused(self, line, message):
        [(number, found)] = problems_of(line.encode())
        assert number == 1
        assert found.startswith(message)

    def test_an_empty_file_holds_no_documents(self):
        assert problems_of(b"\n\n") == [(None, "The file holds no documents.")]


def line_with_relations(*relations, spans=None):
    spans = spans if spans is not None else [
        {"id": 1, "start": 0, "end": 6, "label": "Source", "annotator": "alice"},
        {"id": "cue", "start": 7, "end": 11, "label": "Cue", "annotator": "alice"},
    ]  # fmt: skip
    return json.dumps({"text": "Peskov told reporters", "spans": spans, "relations": list(relations)}).encode()


class TestReadRelations:
    def test_relations_name_their_ends_by_span_id(self):
        data = line_with_relations({"type": "source", "from": "cue", "to": 1, "note": "a\r\nb"})
        [record] = jsonl.read(data)
        assert [item["id"] for item in record["spans"]] == [1, "cue"]
        assert record["relations"] == [
            {"type": "source", "from": "cue", "to": 1, "annotator": None, "note": "a\nb", "review_status": None}
        ]

    def test_a_line_without_relations_has_an_empty_list(self):
        [record] = jsonl.read(b'{"text": "abc"}')
        assert record["relations"] == []

    def test_every_problem_of_a_relation_names_its_line(self):
        data = b"\n".join([
            b'{"text": "fine"}',
            line_with_relations(
                {"type": "", "from": 1, "to": "cue"},
                {"type": "source", "to": "cue"},
                {"type": "source", "from": 7, "to": 1.0},
                {"type": "source", "from": 1, "to": "cue", "annotator": 3, "review_status": "maybe"},
                "not an object",
            ),
            line_with_relations(spans=[
                {"id": 1, "start": 0, "end": 6, "label": "A"},
                {"id": 1, "start": 7, "end": 11, "label": "A"},
                {"id": True, "start": 7, "end": 11, "label": "A"},
            ]),
            b'{"text": "abc", "relations": {"type": "source"}}',
        ])  # fmt: skip
        assert problems_of(data) == [
            (2, "relation 1: type must be a relation type's name, not ''"),
            (2, "relation 2: from is missing; it names a span by its id"),
            (2, "relation 3: from 7 is not the id of a span of this document"),
            (2, "relation 3: to 1.0 is not the id of a span of this document"),
            (2, "relation 4: annotator must be a username, not 3"),
            (2, "relation 4: review_status must be one of pending, accepted, rejected, not 'maybe'"),
            (2, "relation 5: must be an object, not a string"),
            (3, "span 2: id 1 is the id of an earlier span of this document"),
            (3, "span 3: id must be a number or a non-empty string, not True"),
            (4, "relations must be a list, not an object"),
        ]

    def test_a_relation_to_a_refused_span_adds_no_second_problem(self):
        spans = [{"id": 1, "start": 0, "end": 6, "label": "A"}, {"id": 2, "start": 7, "end": 99, "label": "A"}]
        data = line_with_relations({"type": "source", "from": 1, "to": 2}, spans=spans)
        assert problems_of(data) == [(1, "span 2: end 99 is past the end of the text (21 code points)")]


def line_with_answers(*answers):
    return json.dumps({"text": "Peskov told reporters", "answers": list(answers)}).encode()


class TestReadAnswers:
    def test_answers_name_their_question_and_keep_their_value_as_given(self):
        data = line_with_answers(
            {"question": " Primary frame ", "value": "Economic", "annotator": "alice", "review_status": "accepted"},
            {"question": "Frames", "value": ["Economic", "Political"]},
            {"question": "Slant", "value": -2, "annotator": "  "},
        )
        [record] = jsonl.read(data)
        assert record["answers"] == [
            {"question": "Primary frame", "value": "Economic", "annotator": "alice", "review_status": "accepted"},
            {"question": "Frames", "value": ["Economic", "Political"], "annotator": None, "review_status": None},
            {"question": "Slant", "value": -2, "annotator": None, "review_status": None},
        ]

    def test_a_line_without_answers_has_an_empty_list(self):
        [record] = jsonl.read(b'{"text": "abc"}')
        assert record["answers"] == []

    def test_every_problem_of_an_answer_names_its_line(self):
        data = b"\n".join([
            b'{"text": "fine"}',
            line_with_answers(
                {"value": "Economic"},
                {"question": "Tone", "value": 1.5},
                {"question": "Tone", "value": True},
                {"question": "Frames", "value": ["Economic", 3]},
                {"question": "Tone", "value": {"pro": 1}, "annotator": 3, "review_status": "maybe"},
                "not an object",
            ),
            b'{"text": "abc", "answers": {"question": "Tone"}}',
        ])  # fmt: skip
        assert problems_of(data) == [
            (2, "answer 1: question must be a question's name, not None"),
            (2, "answer 2: value must be an option, a list of options or an integer, not a number"),
            (2, "answer 3: value must be an option, a list of options or an integer, not a boolean"),
            (2, "answer 4: value must be an option, a list of options or an integer, not a list"),
            (2, "answer 5: value must be an option, a list of options or an integer, not an object"),
            (2, "answer 5: annotator must be a username, not 3"),
            (2, "answer 5: review_status must be one of pending, accepted, rejected, not 'maybe'"),
            (2, "answer 6: must be an object, not a string"),
            (3, "answers must be a list, not an object"),
        ]


class TestWrite:
    def test_golden_export(self):
        assert_golden("export.jsonl", export(export_records()))

    def test_each_line_has_the_same_keys_as_pandas_and_datasets_expect(self):
        lines = export(export_records()).decode().splitlines()
        assert len(lines) == 2
        for line in lines:
            row = json.loads(line)
            assert list(row) == DOCUMENT_KEYS
            assert all(list(item) == SPAN_KEYS for item in row["spans"])
            assert all(list(item) == RELATION_KEYS for item in row["relations"])
            assert all(list(item) == ANSWER_KEYS for item in row["answers"])

    def test_span_text_comes_from_the_document_text(self):
        records = export_records()
        records[0]["spans"][0]["text"] = "stale"
        row = json.loads(export(records).splitlines()[0])
        assert row["spans"][0]["text"] == f"said Olena Petrenko {FLAG_UA}"

    def test_text_is_utf8_not_escaped(self):
        assert "Олена Петренко".encode() in export(export_records())

    def test_a_large_export_comes_in_chunks(self):
        records = [{**export_records()[0], "id": number} for number in range(500)]
        chunks = list(jsonl.write(records))
        assert len(chunks) > 5
        assert all(chunk.endswith(b"\n") for chunk in chunks)

    def test_no_records_is_an_empty_file(self):
        assert export([]) == b""

    def test_a_datetime_published_at_is_written_in_iso_8601(self):
        record = {**export_records()[1], "published_at": datetime(2024, 3, 5, 8, 30, tzinfo=UTC)}
        assert json.loads(export([record]))["published_at"] == "2024-03-05T08:30:00+00:00"

    def test_metadata_numbers_past_64_bits_still_export(self):
        record = {**export_records()[1], "metadata": {"big": 2**70}}
        assert json.loads(export([record]))["metadata"] == {"big": 2**70}


def unversioned(items):
    """`items` without their codebook versions: a version is its project's own, so an import records the one its
    project is at instead of reading it."""
    return [{key: value for key, value in item.items() if key != "codebook_version"} for item in items]


class TestRoundTrip:
    def test_export_then_import_gives_back_the_documents_spans_and_relations(self):
        records = export_records()
        imported = jsonl.read(export(records))
        for record in records:
            record["answers"] = unversioned(record["answers"])
        for original, back in zip(records, imported, strict=True):
            assert {key: back[key] for key in original if key not in ("id", "spans", "relations")} == {
                key: value for key, value in original.items() if key not in ("id", "spans", "relations")
            }
            assert back["spans"] == unversioned(original["spans"])
            assert back["relations"] == unversioned(original["relations"])

    def test_export_import_export_is_identical(self):
        records = export_records()
        for record in records:
            for key in ("spans", "relations", "answers"):
                record[key] = unversioned(record[key])
        first = export(records)
        again = [{**record, "id": original["id"]} for record, original in zip(jsonl.read(first), records, strict=True)]
        assert export(again) == first

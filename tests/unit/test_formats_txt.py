"""annotator/formats/txt.py: one plain-text file, one document (no database)."""

import pytest

from annotator.formats import FormatError, txt
from tests.unit.formats_data import UK, assert_golden_records, golden_bytes


class TestRead:
    def test_golden_file_reads_as_expected(self):
        assert_golden_records("import.txt.records.json", txt.read(golden_bytes("import.txt"), filename="import.txt"))

    def test_the_text_loses_its_byte_order_mark_and_crlf_and_nothing_else(self):
        [record] = txt.read(golden_bytes("import.txt"), filename="import.txt")
        assert record["text"] == UK

    @pytest.mark.parametrize(
        ("filename", "title"),
        [
            ("ferry vote.txt", "ferry vote"),
            ("notes/2024/ferry.vote.txt", "ferry.vote"),
            ("C:\\Users\\mira\\ferry.txt", "ferry"),
            ("README", "README"),
            ("", ""),
        ],
    )
    def test_the_title_is_the_file_name_without_its_extension(self, filename, title):
        [record] = txt.read(b"Some text.", filename=filename)
        assert record["title"] == title

    def test_leading_and_trailing_white_space_is_kept(self):
        [record] = txt.read(b"  indented\n\n", filename="a.txt")
        assert record["text"] == "  indented\n\n"


class TestReadRefuses:
    @pytest.mark.parametrize("data", [b"", b" \r\n\t "])
    def test_a_file_without_text(self, data):
        with pytest.raises(FormatError) as caught:
            txt.read(data, filename="empty.txt")
        assert len(caught.value.problems) == 1
        assert caught.value.problems[0].line is None

    def test_non_utf8_bytes_name_their_line(self):
        with pytest.raises(FormatError) as caught:
            txt.read("line one\nдругий рядок".encode("cp1251"), filename="a.txt")
        [problem] = caught.value.problems
        assert problem.line == 2

"""annotator/formats: decoding, offset maps, the registry and the streaming zip (no database)."""

import io
import os
import zipfile

import pytest

from annotator import formats
from annotator.formats.base import MAX_LENGTHS, FormatError, decode
from annotator.formats.offsets import InsideSurrogatePair, NewlineMap, Utf16Map
from annotator.formats.zipstream import zip_stream, zip_wrap
from annotator.models import Document
from annotator.text import normalize_newlines
from tests.unit.formats_data import FLAG_UA, GRIN, export_records


class TestDecode:
    def test_utf8_with_a_byte_order_mark_loses_the_mark(self):
        assert decode("\ufeffОлена".encode()) == "Олена"
        assert decode(b"\xef\xbb\xbfplain") == "plain"

    def test_utf8_without_a_mark_is_read_as_it_is(self):
        assert decode(f"a {GRIN} b".encode()) == f"a {GRIN} b"

    def test_invalid_utf8_names_the_line_and_column_of_the_first_bad_byte(self):
        with pytest.raises(FormatError) as caught:
            decode(b"first line\nsecond \xe9t\xe9\nthird")
        [problem] = caught.value.problems
        assert problem.line == 2
        assert "byte 0xe9 at column 8" in problem.message
        assert "UTF-8" in problem.message

    def test_latin1_text_is_refused_not_guessed(self):
        with pytest.raises(FormatError):
            decode("café".encode("latin-1"))

    def test_utf16_is_named_as_such(self):
        with pytest.raises(FormatError) as caught:
            decode("text".encode("utf-16"))
        assert "UTF-16" in str(caught.value)

    def test_format_error_is_a_400_listing_each_problem_with_its_line(self):
        error = FormatError([formats.Problem(3, "bad"), formats.Problem(None, "worse")])
        assert error.status == 400
        assert error.detail == {
            "detail": "The file has 2 problems; nothing was imported.",
            "problems": [{"line": 3, "message": "bad"}, {"line": None, "message": "worse"}],
        }

    def test_a_file_wrong_on_every_line_lists_the_first_thousand_problems_and_counts_them_all(self):
        error = FormatError([formats.Problem(n, "bad") for n in range(1, 5001)])

        assert error.detail["detail"].startswith("The file has 5000 problems")
        assert len(error.detail["problems"]) == 1000
        assert len(error.problems) == 5000


class TestNewlineMap:
    @pytest.mark.parametrize(
        "text",
        ["a\r\nb\r\nc", "a\rb\r\nc", "\r\n\r\nx", "no breaks", "a\r\r\nb\n\rc", f"{GRIN}\r\nОлена\r\n"],
        ids=repr,
    )
    def test_every_character_keeps_its_place_in_the_normalised_text(self, text):
        normalised = normalize_newlines(text)
        moved = NewlineMap(text)
        for offset, character in enumerate(text):
            if character == "\r" and text[offset + 1 : offset + 2] == "\n":
                continue  # the CR of a CRLF is the character that goes away
            expected = "\n" if character == "\r" else character
            assert normalised[moved(offset)] == expected
        assert moved(len(text)) == len(normalised)

    def test_an_offset_between_cr_and_lf_lands_on_the_lf(self):
        assert NewlineMap("ab\r\ncd")(3) == 2


class TestUtf16Map:
    def test_characters_above_the_bmp_count_two_units(self):
        text = f"a{GRIN}b{FLAG_UA}c"
        utf16 = Utf16Map(text)
        assert [utf16.to_utf16(offset) for offset in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
        assert utf16.length == len(text.encode("utf-16-le")) // 2

    def test_conversion_goes_back_and_forth(self):
        text = f"Олена {GRIN}{GRIN} said {FLAG_UA} cafe\u0301"
        utf16 = Utf16Map(text)
        for offset in range(len(text) + 1):
            assert utf16.to_code_points(utf16.to_utf16(offset)) == offset

    @pytest.mark.parametrize("offset", [2, 4, 7])
    def test_an_offset_inside_a_surrogate_pair_is_refused(self, offset):
        utf16 = Utf16Map(f"a{GRIN}{GRIN}b{GRIN}")  # units: a 0, grin 1-2, grin 3-4, b 5, grin 6-7
        with pytest.raises(InsideSurrogatePair):
            utf16.to_code_points(offset)

    def test_text_inside_the_bmp_maps_to_itself(self):
        utf16 = Utf16Map("Рада гавані, cafe\u0301")
        assert utf16.to_code_points(7) == 7
        assert utf16.to_utf16(7) == 7


class TestRegistry:
    def test_import_formats_are_those_spec_lists(self):
        names = [fmt.name for fmt in formats.IMPORT_FORMATS]
        assert names == ["txt", "jsonl", "csv", "html", "doccano", "labelstudio", "brat"]

    def test_export_formats_are_those_spec_lists(self):
        names = [fmt.name for fmt in formats.EXPORT_FORMATS]
        assert names == ["jsonl", "csv", "doccano", "labelstudio", "conll", "brat"]

    def test_every_format_has_a_codec_with_what_it_claims(self):
        for fmt in formats.FORMATS.values():
            assert hasattr(fmt.codec, "read") == fmt.reads, fmt.name
            assert hasattr(fmt.codec, "write") == fmt.writes, fmt.name
            assert fmt.extension.startswith(".")
            assert fmt.description

    def test_an_unknown_format_is_a_400_naming_the_choices(self):
        with pytest.raises(formats.UnknownFormat) as caught:
            formats.read("xlsx", b"")
        assert caught.value.status == 400
        assert "txt, jsonl, csv, html, doccano, labelstudio" in caught.value.detail["format"][0]

    def test_an_import_only_format_cannot_be_exported(self):
        with pytest.raises(formats.UnknownFormat):
            formats.export_format("html")

    def test_an_export_only_format_cannot_be_imported(self):
        with pytest.raises(formats.UnknownFormat):
            formats.import_format("conll")

    @pytest.mark.parametrize(
        ("name", "as_zip", "filename"),
        [
            ("jsonl", False, "dataset.jsonl"),
            ("jsonl", True, "dataset.jsonl.zip"),
            ("doccano", False, "dataset-doccano.jsonl"),
            ("labelstudio", False, "dataset-labelstudio.json"),
            ("brat", False, "dataset-brat.zip"),
            ("brat", True, "dataset-brat.zip"),
        ],
    )
    def test_export_file_names_say_the_format(self, name, as_zip, filename):
        assert formats.export_filename(name, as_zip=as_zip) == filename

    def test_field_limits_are_the_document_model_s(self):
        for name, limit in MAX_LENGTHS.items():
            assert Document._meta.get_field(name).max_length == limit, name


class TestZipStream:
    def test_members_come_out_as_written_and_the_archive_is_sound(self):
        big = os.urandom(300 * 1024)  # does not compress: the stream must yield several chunks
        pieces = [big[start : start + 30_000] for start in range(0, len(big), 30_000)]
        chunks = list(zip_stream([("a.txt", ["Олена ".encode(), GRIN.encode()]), ("big.bin", pieces)]))
        assert len(chunks) >= 4
        assert max(map(len, chunks)) < 100 * 1024
        archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
        assert archive.testzip() is None
        assert archive.read("a.txt") == f"Олена {GRIN}".encode()
        assert archive.read("big.bin") == big

    def test_members_are_read_lazily(self):
        read = []

        def member():
            for number in range(3):
                read.append(number)
                yield os.urandom(100 * 1024)

        stream = zip_stream([("m.bin", member())])
        next(stream)
        assert len(read) < 3

    def test_the_wrapper_puts_the_dataset_card_first(self):
        data = b"".join(zip_wrap([b'{"text": "x"}\n'], filename="dataset.jsonl", readme="# Ferry project\n"))
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.namelist() == ["README.md", "dataset.jsonl"]
        assert archive.read("README.md") == b"# Ferry project\n"


class TestWrite:
    @pytest.mark.parametrize("name", [fmt.name for fmt in formats.EXPORT_FORMATS])
    def test_as_zip_wraps_every_format_with_the_card(self, name):
        data = b"".join(formats.write(name, export_records(), as_zip=True, readme="# Card\n"))
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.read("README.md") == b"# Card\n"
        if name != "brat":
            inner = b"".join(formats.write(name, export_records()))
            assert archive.read(formats.export_filename(name)) == inner

    @pytest.mark.parametrize("name", [fmt.name for fmt in formats.EXPORT_FORMATS])
    def test_every_writer_streams_as_it_consumes_the_records(self, name):
        consumed = []

        def records():
            for number in range(2000):
                consumed.append(number)
                record = export_records()[number % 2]
                yield {**record, "id": number + 1}

        chunks = formats.write(name, records())
        next(iter(chunks))
        assert len(consumed) < 2000

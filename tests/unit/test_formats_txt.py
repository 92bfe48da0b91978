"""annotator/formats/txt.py: one plain-text file, one document (no database)."""

import io
import zipfile

import pytest

from annotator.formats import FormatError, txt, unzip
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


class TestHeadline:
    def test_a_short_first_line_followed_by_text_is_the_title(self):
        [record] = txt.read(b"Ferry vote delayed again\n\nThe harbour council put off its vote.\n", filename="a.txt")
        assert record["title"] == "Ferry vote delayed again"
        assert record["text"] == "The harbour council put off its vote.\n"

    def test_a_headline_ending_in_a_question_mark_still_counts(self):
        [record] = txt.read("Чи буде пором?\r\nРада вирішить у березні.".encode(), filename="a.txt")
        assert (record["title"], record["text"]) == ("Чи буде пором?", "Рада вирішить у березні.")

    @pytest.mark.parametrize(
        "data",
        [
            b"The council met on Monday.\nIt voted.",  # a sentence: its full stop
            b"Statement in full:\nWe regret the delay.",  # it leads on into the next line
            b"Ferry vote delayed again\n\n  \n",  # nothing follows it
            b"Ferry vote delayed again",
            ("A" * 151 + "\nMore text.").encode(),  # too long for a headline
            b"\nFerry vote delayed\nMore text.",  # the first line is empty
        ],
    )
    def test_otherwise_the_title_is_the_file_name_and_the_text_is_whole(self, data):
        [record] = txt.read(data, filename="notes/ferry.txt")
        assert record["title"] == "ferry"
        assert record["text"] == data.decode().replace("\r\n", "\n")

    def test_a_headline_of_150_characters_is_short_enough(self):
        [record] = txt.read(("H" * 150 + "\nBody.").encode(), filename="a.txt")
        assert record["title"] == "H" * 150


def zipped(*members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def problems_of(data, filename="articles.zip"):
    with pytest.raises(FormatError) as caught:
        txt.read(data, filename=filename)
    return [(problem.line, problem.message) for problem in caught.value.problems]


class TestZip:
    def test_each_txt_member_is_a_document_in_archive_order(self):
        data = zipped(
            ("ferry.txt", "Ferry vote delayed\nThe council put it off."),
            ("2024/march/strike.txt", "Dockers walk out. Talks failed."),
        )

        documents = txt.read(data, filename="articles.zip")

        assert [(d["title"], d["text"]) for d in documents] == [
            ("Ferry vote delayed", "The council put it off."),
            ("strike", "Dockers walk out. Talks failed."),
        ]

    def test_a_zip_is_known_by_its_bytes_whatever_its_name(self):
        [record] = txt.read(zipped(("a.txt", "Text.")), filename="upload")
        assert record["text"] == "Text."

    def test_folders_hidden_files_and_other_files_are_passed_over(self):
        data = zipped(
            ("docs/", b""),
            ("docs/a.txt", "Kept."),
            ("__MACOSX/docs/._a.txt", b"\x00\x05\x16\x07 binary resource fork"),
            (".hidden.txt", "Hidden."),
            ("docs/photo.jpg", b"\xff\xd8\xff"),
            ("../../outside.txt", "Just a name."),
        )

        documents = txt.read(data, filename="articles.zip")

        assert [(d["title"], d["text"]) for d in documents] == [("a", "Kept."), ("outside", "Just a name.")]

    def test_each_bad_member_is_named_and_nothing_is_returned(self):
        data = zipped(("good.txt", "Fine."), ("latin.txt", "caf\xe9".encode("latin-1")), ("empty.txt", "  "))

        assert problems_of(data) == [
            (1, "latin.txt: byte 0xe9 at column 4 is not UTF-8; save the file as UTF-8 and import again"),
            (None, "empty.txt: text has nothing but white space"),
        ]

    def test_a_zip_without_txt_files_is_refused(self):
        assert problems_of(zipped(("a.csv", "title,text\n"))) == [(None, "The zip holds no .txt files.")]


class TestHostileZip:
    def test_a_damaged_zip_is_refused_whole(self):
        data = zipped(("a.txt", "Some text " * 100))
        [(line, message)] = problems_of(data[: len(data) // 2])
        assert line is None and message.startswith("The file is not a readable zip archive")

    def test_a_file_called_zip_that_is_not_one_is_refused(self):
        [(_, message)] = problems_of(b"plain words", filename="articles.zip")
        assert message.startswith("The file is not a readable zip archive")

    def test_a_member_whose_data_is_corrupt_is_named(self):
        data = bytearray(zipped(("a.txt", "Some text that deflates. " * 40)))
        data[60:70] = b"\xff" * 10  # inside the compressed data of the only member
        [(line, message)] = problems_of(bytes(data))
        assert line is None and message.startswith("a.txt: cannot be unpacked")

    def test_a_bomb_that_admits_its_size_is_refused_before_unpacking(self, monkeypatch):
        monkeypatch.setattr(unzip, "MAX_UNPACKED_BYTES", 1000)
        data = zipped(("bomb.txt", "a" * 1001))
        [(line, message)] = problems_of(data)
        assert line is None and "unpack to more than" in message

    def test_a_bomb_whose_headers_understate_its_size_is_refused(self, monkeypatch):
        monkeypatch.setattr(unzip, "MAX_UNPACKED_BYTES", 1000)
        data = zipped(("one.txt", "a" * 600), ("two.txt", "b" * 600))
        # Each header claims 6 bytes: the member comes out longer than it says, which no reader trusts.
        data = data.replace((600).to_bytes(4, "little"), (6).to_bytes(4, "little"))
        problems = problems_of(data)
        assert [message.split(" (")[0] for _, message in problems] == [
            "one.txt: cannot be unpacked",
            "two.txt: cannot be unpacked",
        ]

    def test_more_members_than_the_limit_are_refused(self, monkeypatch):
        monkeypatch.setattr(unzip, "MAX_MEMBERS", 3)
        data = zipped(*((f"{n}.txt", "Text.") for n in range(4)))
        assert problems_of(data) == [(None, "The zip holds 4 files; an import takes at most 3.")]

    def test_an_encrypted_member_is_named(self):
        data = bytearray(zipped(("secret.txt", "Text.")))
        # Set the "encrypted" flag in the local header and the central directory.
        for offset in (6, data.rfind(b"PK\x01\x02") + 8):
            data[offset] |= 0x01
        [(line, message)] = problems_of(bytes(data))
        assert line is None and message.startswith("secret.txt: cannot be unpacked")

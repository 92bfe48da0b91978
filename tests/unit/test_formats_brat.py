"""annotator/formats/brat.py: a zip of brat standoff .txt and .ann files (no database)."""

import io
import re
import zipfile

from annotator.formats import brat
from tests.unit.formats_data import GOLDEN, LABELS, assert_golden, export_records

BRAT_GOLDEN = GOLDEN / "export-brat"


def archive(records, **options):
    return zipfile.ZipFile(io.BytesIO(b"".join(brat.write(records, labels=LABELS, **options))))


def textbound(line):
    """(label, [(start, end)], text) of a T line."""
    _, middle, text = line.split("\t")
    label, _, offsets = middle.partition(" ")
    pieces = [tuple(map(int, piece.split())) for piece in offsets.split(";")]
    return label, pieces, text


class TestWrite:
    def test_golden_export(self):
        zipped = archive(export_records())
        assert zipped.testzip() is None
        assert sorted(zipped.namelist()) == sorted(path.name for path in BRAT_GOLDEN.iterdir())
        for name in zipped.namelist():
            assert_golden(f"export-brat/{name}", zipped.read(name))

    def test_every_fragment_slices_the_txt_exactly(self):
        zipped = archive(export_records())
        for record in export_records():
            text = zipped.read(f"{record['id']}.txt").decode()
            assert text == record["text"]
            lines = [line for line in zipped.read(f"{record['id']}.ann").decode().splitlines() if line.startswith("T")]
            assert len(lines) == len(record["spans"])
            for line, item in zip(lines, record["spans"], strict=True):
                label, pieces, covered = textbound(line)
                assert label == item["label"].replace(" ", "_")
                assert " ".join(text[start:end] for start, end in pieces) == covered
                assert pieces[0][0] == item["start"] and pieces[-1][1] == item["end"]
                assert all("\n" not in text[start:end] for start, end in pieces)

    def test_a_span_across_a_line_break_becomes_two_fragments(self):
        zipped = archive(export_records())
        ann = zipped.read("8.ann").decode()
        assert "T3\tDiplomatic_claim 21 33;34 39\tголосування. Олена\n" in ann

    def test_notes_become_annotator_notes_on_one_line(self):
        ann = archive(export_records()).read("8.ann").decode()
        assert "#1\tAnnotatorNotes T1\tline one line two\n" in ann

    def test_the_configuration_declares_every_label(self):
        zipped = archive(export_records())
        conf = zipped.read("annotation.conf").decode()
        entities = conf.split("[entities]\n")[1].split("\n\n")[0].split("\n")
        assert entities == ["Source_attribution", "Editorial_appeal", "Diplomatic_claim", "Place"]
        visual = zipped.read("visual.conf").decode()
        assert "Source_attribution | Source attribution\n" in visual
        assert "Source_attribution\tbgColor:#4e79a7\n" in visual

    def test_a_readme_joins_the_zip_when_asked(self):
        zipped = archive(export_records(), readme="# Ferry dataset\n")
        assert zipped.read("README.md") == b"# Ferry dataset\n"
        assert "README.md" not in archive(export_records()).namelist()

    def test_fragments_leave_out_empty_pieces(self):
        assert brat.fragments("a\n\nb\n", 0, 5) == [(0, 1), (3, 4)]
        assert brat.fragments("a\n\nb", 1, 3) == []

    def test_a_span_of_nothing_but_line_breaks_is_left_out(self):
        record = {"id": 1, "text": "a\n\nb", "spans": [{"start": 1, "end": 3, "label": "X"}]}
        assert archive([record]).read("1.ann") == b""

    def test_ids_are_numbered_per_document(self):
        zipped = archive(export_records())
        for name in ("7.ann", "8.ann"):
            numbers = re.findall(r"^T(\d+)\t", zipped.read(name).decode(), flags=re.MULTILINE)
            assert numbers == [str(number) for number in range(1, len(numbers) + 1)]

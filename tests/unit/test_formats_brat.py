"""annotator/formats/brat.py: a zip of brat standoff .txt and .ann files (no database)."""

import io
import re
import zipfile

import pytest

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


def entity_types(zipped):
    conf = zipped.read("annotation.conf").decode()
    return conf.split("[entities]\n")[1].split("\n\n")[0].split("\n")


class TestTypeNames:
    LABELS = [{"name": "Call to action", "color": "#111111"}, {"name": "Call_to_action", "color": "#222222"},
              {"name": "a|b, c"}, {"name": "Джерело"}]  # fmt: skip

    def record(self):
        text = "one two three four"
        names = [label["name"] for label in self.LABELS]
        starts = [0, 4, 8, 14]
        spans = [{"start": s, "end": s + 3, "label": name} for s, name in zip(starts, names, strict=True)]
        return {"id": 1, "text": text, "spans": spans}

    def test_names_become_valid_unique_types_the_same_in_the_ann_and_the_configuration(self):
        zipped = zipfile.ZipFile(io.BytesIO(b"".join(brat.write([self.record()], labels=self.LABELS))))
        kinds = [textbound(line)[0] for line in zipped.read("1.ann").decode().splitlines()]
        assert kinds == ["Call_to_action_2", "Call_to_action", "a_b_c", "label"]
        assert entity_types(zipped) == kinds
        assert all(re.fullmatch(r"[A-Za-z0-9_-]+", kind) for kind in kinds)

    def test_visual_conf_shows_each_types_own_name_and_colour(self):
        visual = zipfile.ZipFile(io.BytesIO(b"".join(brat.write([], labels=self.LABELS)))).read("visual.conf")
        visual = visual.decode()
        assert "Call_to_action_2 | Call to action\n" in visual and "Call_to_action | Call_to_action\n" in visual
        assert "a_b_c | a¦b, c\n" in visual  # `|` would split the display name
        assert "Call_to_action_2\tbgColor:#111111\n" in visual and "Call_to_action\tbgColor:#222222\n" in visual

    def test_a_label_missing_from_the_scheme_is_still_declared(self):
        record = {"id": 1, "text": "one", "spans": [{"start": 0, "end": 3, "label": "Extra label"}]}
        zipped = zipfile.ZipFile(io.BytesIO(b"".join(brat.write([record], labels=LABELS))))
        assert entity_types(zipped)[-1] == "Extra_label"


# Every character a line-based reader (Python's splitlines, brat's own, bratly) breaks a line at.
LINE_SPLITTERS = ["\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


class TestLineSplitters:
    @pytest.mark.parametrize("splitter", LINE_SPLITTERS, ids=repr)
    def test_a_span_across_a_line_splitter_keeps_its_line_and_its_offsets(self, splitter):
        text = f"said Olena{splitter}Petrenko today"
        end = text.index(" today")
        item = {"start": 0, "end": end, "label": "Source attribution", "note": f"a{splitter}b"}
        record = {"id": 1, "text": text, "spans": [item]}

        ann = archive([record]).read("1.ann").decode()

        lines = ann.splitlines()
        assert len(lines) == 2 and ann.count("\n") == 2
        label, pieces, covered = textbound(lines[0])
        assert pieces == [(0, 10), (11, end)]
        assert covered == "said Olena Petrenko"
        # brat's own check: the text field is the fragments' text joined by a space.
        assert covered == " ".join(text[start:stop] for start, stop in pieces)
        assert lines[1] == "#1\tAnnotatorNotes T1\ta b"


class TestAnnotatorFolders:
    def records(self):
        """export_records without the gold span: every span has an annotator, as in the annotations layer."""
        records = export_records()
        for record in records:
            record["spans"] = [item for item in record["spans"] if item["annotator"]]
        return records

    def test_each_annotator_has_a_folder_with_every_document_and_only_their_spans(self):
        zipped = archive(self.records(), annotators=["alice", "bob"])
        assert sorted(zipped.namelist()) == [
            "alice/7.ann", "alice/7.txt", "alice/8.ann", "alice/8.txt", "annotation.conf",
            "bob/7.ann", "bob/7.txt", "bob/8.ann", "bob/8.txt", "visual.conf",
        ]  # fmt: skip
        for record in self.records():
            for who in ("alice", "bob"):
                assert zipped.read(f"{who}/{record['id']}.txt").decode() == record["text"]
                ann = zipped.read(f"{who}/{record['id']}.ann").decode().splitlines()
                expected = [item for item in record["spans"] if item["annotator"] == who]
                assert [textbound(line)[2] for line in ann if line.startswith("T")] == [
                    record["text"][item["start"] : item["end"]].replace("\n", " ") for item in expected
                ]

    def test_an_annotator_without_spans_in_a_document_has_an_empty_ann(self):
        zipped = archive(self.records(), annotators=["alice", "bob", "carol"])
        assert zipped.read("carol/7.ann") == b"" and zipped.read("carol/7.txt").decode() == export_records()[0]["text"]

    def test_usernames_differing_only_in_case_get_separate_folders(self):
        spans = [{"start": 0, "end": 3, "label": "X", "annotator": "Alice"},
                 {"start": 4, "end": 7, "label": "X", "annotator": "alice"}]  # fmt: skip
        record = {"id": 1, "text": "one two", "spans": spans}
        zipped = archive([record], annotators=["Alice", "alice", ".hidden"])
        assert {name.split("/")[0] for name in zipped.namelist() if "/" in name} == {"Alice", "alice_2", "_hidden"}
        assert textbound(zipped.read("alice_2/1.ann").decode().strip())[2] == "two"

    def test_the_readme_and_configuration_sit_at_the_top(self):
        zipped = archive(self.records(), annotators=["alice", "bob"], readme="# Card\n")
        assert zipped.namelist()[0] == "README.md"
        assert {"annotation.conf", "visual.conf"} <= set(zipped.namelist())

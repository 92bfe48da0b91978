"""annotator/formats/brat.py: a zip of brat standoff .txt and .ann files (no database)."""

import io
import re
import zipfile

import pytest

from annotator.formats import FormatError, brat
from tests.unit.formats_data import FLAG_UA, GOLDEN, GRIN, LABELS, assert_golden, export_records
from tests.unit.test_formats_txt import zipped

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


def problems_of(data):
    with pytest.raises(FormatError) as refused:
        brat.read(data, filename="corpus.zip")
    return [(problem.line, problem.message) for problem in refused.value.problems]


def spans_of(record):
    return [(item["id"], item["label"], item["start"], item["end"], item["text"], item["annotator"], item["note"])
            for item in record["spans"]]  # fmt: skip


class TestRead:
    def test_offsets_count_code_points_after_emoji_and_cyrillic(self):
        text = f"{GRIN} Олена Петренко {FLAG_UA} заявила"
        ann = "T1\tSource 2 16\tОлена Петренко\nT2\tCue 20 27\tзаявила\nR1\tsource Arg1:T2 Arg2:T1\n"

        [record] = brat.read(zipped(("uk.txt", text), ("uk.ann", ann)))

        assert record["text"] == text and record["title"] == "uk"
        assert spans_of(record) == [("T1", "Source", 2, 16, "Олена Петренко", None, ""),
                                    ("T2", "Cue", 20, 27, "заявила", None, "")]  # fmt: skip
        assert [(item["type"], item["from"], item["to"]) for item in record["relations"]] == [("source", "T2", "T1")]

    def test_arg2_written_first_still_names_the_to_end(self):
        ann = "T1\tA 0 3\tone\nT2\tB 4 7\ttwo\nR1\tlinks Arg2:T1 Arg1:T2\n"

        [record] = brat.read(zipped(("a.txt", "one two"), ("a.ann", ann)))

        assert [(item["from"], item["to"]) for item in record["relations"]] == [("T2", "T1")]

    def test_crlf_offsets_count_the_carriage_returns_and_land_on_the_same_characters(self):
        text = "First line\r\nOlena Petrenko\r\nsaid it."
        ann = "T1\tSource 12 26\tOlena Petrenko\nT2\tQuote 6 10;12 17\tline Olena\n"

        [record] = brat.read(zipped(("a.txt", text), ("a.ann", ann)))

        assert record["text"] == "First line\nOlena Petrenko\nsaid it."
        assert [(item["start"], item["end"], item["text"]) for item in record["spans"]] == [
            (11, 25, "Olena Petrenko"), (6, 16, "line\nOlena")
        ]  # fmt: skip

    def test_fragments_apart_only_by_line_breaks_are_one_span(self):
        text = "голосування.\n\nОлена\u2028Петренко"
        ann = "T1\tClaim 0 12;14 19;20 28\tголосування. Олена Петренко\n"

        [record] = brat.read(zipped(("a.txt", text), ("a.ann", ann)))

        assert spans_of(record) == [("T1", "Claim", 0, 28, text, None, "")]

    def test_other_discontinuous_spans_are_refused(self):
        ann = "T1\tClaim 0 3;8 13\tThe Olena\n"

        assert problems_of(zipped(("a.txt", "The say Olena"), ("a.ann", ann))) == [
            (1, "a.ann: T1: is discontinuous (0 3;8 13); a span is one stretch of text, its fragments apart only by"
                " line breaks")
        ]  # fmt: skip

    def test_a_text_field_unlike_the_txt_is_a_problem_with_file_and_line(self):
        ann = "T1\tA 0 3\tone\nT2\tB 4 7\ttwe\n"

        assert problems_of(zipped(("d/a.txt", "one two"), ("d/a.ann", ann))) == [
            (2, "d/a.ann: T2: text 'twe' is not the text at 4:7 ('two')")
        ]

    def test_lines_brat_cannot_read_and_relations_to_missing_ids_are_problems(self):
        ann = "T1\tA 0 3 one\nT2\tB 4 7\ttwo\nR1\tlinks Arg1:T2 Arg2:T7\nR2\tlinks Arg1:T2\n"

        assert problems_of(zipped(("a.txt", "one two"), ("a.ann", ann))) == [
            (1, "a.ann: not a text-bound annotation as brat writes one (T<n><TAB><type> <start> <end><TAB><text>)"),
            (3, "a.ann: R1: to 'T7' is not the id of a span of this document"),
            (4, "a.ann: not a relation as brat writes one (R<n><TAB><type> Arg1:T<a> Arg2:T<b>)"),
        ]

    def test_notes_join_their_spans_and_relations_and_other_lines_are_counted(self):
        ann = ("#1\tAnnotatorNotes T1\tnamed first\nT1\tA 0 3\tone\nT2\tB 4 7\ttwo\nR1\tlinks Arg1:T1 Arg2:T2\n"
               "#2\tAnnotatorNotes R1\tlinked\nE1\tEvent:T1\nA1\tNegation E1\n#3\tAnnotatorNotes E1\ton an event\n"
               "\n")  # fmt: skip

        [record] = brat.read(zipped(("a.txt", "one two"), ("a.ann", ann)))

        assert [item["note"] for item in record["spans"]] == ["named first", ""]
        assert [item["note"] for item in record["relations"]] == ["linked"]
        assert record["skipped_lines"] == 3

    def test_folders_name_annotators_and_one_text_in_several_folders_is_one_document(self):
        members = [("alice/7.txt", "one two"), ("alice/7.ann", "T1\tA 0 3\tone\n"),
                   ("bob/7.txt", "one two"), ("bob/7.ann", "T1\tA 0 3\tone\nT2\tB 4 7\ttwo\nR1\tr Arg1:T1 Arg2:T2\n"),
                   ("bob/8.txt", "another text"), ("carol/7.txt", "one two, edited")]  # fmt: skip

        records = brat.read(zipped(*members))

        assert [record["text"] for record in records] == ["one two", "another text", "one two, edited"]
        assert [(item["id"], item["annotator"]) for item in records[0]["spans"]] == [
            ("alice/T1", "alice"), ("bob/T1", "bob"), ("bob/T2", "bob")
        ]  # fmt: skip
        assert [(item["from"], item["to"]) for item in records[0]["relations"]] == [("bob/T1", "bob/T2")]

    def test_visual_conf_gives_back_the_names_the_export_made_types_of(self):
        visual = "[labels]\nCall_to_action | Call_to_action\nCall_to_action_2 | Call to action\nPER | Person\n"
        ann = "T1\tCall_to_action 0 3\tone\nT2\tCall_to_action_2 4 7\ttwo\nT3\tPER 0 3\tone\n"

        [record] = brat.read(zipped(("visual.conf", visual), ("d/a.txt", "one two"), ("d/a.ann", ann)))

        assert [item["label"] for item in record["spans"]] == ["Call_to_action", "Call to action", "PER"]

    def test_an_ann_without_its_txt_and_a_zip_without_documents_are_refused(self):
        assert problems_of(zipped(("a.ann", "T1\tA 0 1\to\n"))) == [
            (None, "a.ann: has no .txt of the same name beside it")
        ]
        assert problems_of(zipped(("README.md", "# Card\n"))) == [
            (None, "The zip holds no .txt, .ann or visual.conf files.")
        ]
        assert problems_of(b"not a zip")[0][1].startswith("The file is not a readable zip archive")


class TestRoundTrip:
    def test_an_export_by_annotator_folders_reads_back_the_same_spans_relations_and_notes(self):
        records = export_records()

        read = brat.read(b"".join(brat.write(records, labels=LABELS, annotators=["alice", "bob"])))

        assert [record["text"] for record in read] == [record["text"] for record in records]
        for original, back in zip(records, read, strict=True):
            by_id = {item["id"]: item for item in original["spans"]}
            spans = sorted((item["label"], item["start"], item["end"], item["annotator"] or "no-annotator",
                            " ".join(item["note"].split())) for item in original["spans"])  # fmt: skip
            assert sorted(item[1:4] + item[5:] for item in spans_of(back)) == spans
            ends = {item["id"]: (item["start"], item["end"]) for item in back["spans"]}
            assert sorted((item["type"], ends[item["from"]], ends[item["to"]], " ".join(item["note"].split()))
                          for item in back["relations"]) == sorted(
                (item["type"], (by_id[item["from"]]["start"], by_id[item["from"]]["end"]),
                 (by_id[item["to"]]["start"], by_id[item["to"]]["end"]), " ".join(item["note"].split()))
                for item in original["relations"]
            )  # fmt: skip


class TestBratlyReadsTheExport:
    """bratly (a maintained brat standoff library, from PyPI) reads every T, R and note line of the export as we
    meant it: offsets that slice the .txt, texts, types, and relations' arguments."""

    # bratly 0.1.4 declares its pydantic models the pydantic 1 way.
    @pytest.mark.filterwarnings("ignore:Support for class-based `config` is deprecated")
    def test_every_t_and_r_line_reads_back_with_its_offsets_texts_and_arguments(self, capsys):
        from bratly import EntityAnnotation, NoteAnnotation, RelationAnnotation
        from bratly.io import parse_ann_file

        records = export_records()
        zipped_export = archive(records, annotators=["alice", "bob"])
        for record in records:
            text = record["text"]
            for who in ("alice", "bob"):
                ann = zipped_export.read(f"{who}/{record['id']}.ann").decode()
                parsed = parse_ann_file(ann, f"{who}/{record['id']}.ann", no_duplicates=False, sorting=False,
                                        renumerotize=False).annotations  # fmt: skip
                assert capsys.readouterr().out == ""  # bratly prints each line it cannot parse
                lines = [line for line in ann.splitlines() if line]
                assert len(parsed) == len(lines)
                entities = [item for item in parsed if isinstance(item, EntityAnnotation)]
                own = [item for item in record["spans"] if item["annotator"] == who]
                assert [(entity.label, entity.fragments[0].start, entity.fragments[-1].end) for entity in entities] == [
                    (item["label"].replace(" ", "_"), item["start"], item["end"]) for item in own
                ]  # fmt: skip
                for entity in entities:
                    assert entity.content == " ".join(text[piece.start : piece.end] for piece in entity.fragments)
                starts = {(item["start"], item["end"]): item["id"] for item in own}
                relations = [(item.label, starts[(item.argument1[1].fragments[0].start,
                                                  item.argument1[1].fragments[-1].end)],
                              starts[(item.argument2[1].fragments[0].start, item.argument2[1].fragments[-1].end)])
                             for item in parsed if isinstance(item, RelationAnnotation)]  # fmt: skip
                assert [argument for item in parsed if isinstance(item, RelationAnnotation)
                        for argument in (item.argument1[0], item.argument2[0])] == ["Arg1", "Arg2"] * len(relations)
                assert relations == [(item["type"].replace(" ", "_"), item["from"], item["to"])
                                     for item in record["relations"] if item["from"] in starts.values()]
                notes = [item.value for item in parsed if isinstance(item, NoteAnnotation)]
                assert notes == [" ".join(note.split()) for note in
                                 [item["note"] for item in own] + [item["note"] for item in record["relations"]
                                                                   if item["from"] in starts.values()] if note]

"""The import and export pages in a real browser: a file posted through the page is stored (or refused whole,
with its problems listed); the export form downloads from the API, and blocks what the API would refuse."""

import csv
import io
import json
import zipfile

import pytest

from annotator.access import access_project
from annotator.models import Answer, Document, Span
from annotator.services.documents import document_create_many
from tests.arrange import answer, draw, make_question, make_relation_type, relate
from tests.e2e.conftest import open_as

TEXT = "Crowds 👨‍👩‍👧 and 🇺🇦 flags.\nThen Peskov told reporters that talks would resume."
PHRASE = "told reporters"


def jsonl(*records):
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()


def open_page(page, project, user, name):
    open_as(page, user, f"/projects/{project.pk}/{name}/")


class TestImport:
    def test_a_jsonl_file_with_emoji_and_a_span_is_stored_with_code_point_offsets(self, page, setting):
        project, owner = setting.project, setting.owner
        start = TEXT.index(PHRASE)
        payload = jsonl(
            {"external_id": "emoji-1", "title": "Flags", "text": TEXT,
             "spans": [{"start": start, "end": start + len(PHRASE), "label": "Source attribution"}]},
            {"external_id": "plain-2", "text": "Harbour strike ends."},
        )  # fmt: skip
        open_page(page, project, owner, "import")
        assert page.locator("#import-format").input_value() == "txt"

        page.set_input_files("#import-file", {"name": "articles.jsonl", "mimeType": "application/jsonl",
                                              "buffer": payload})  # fmt: skip
        assert page.locator("#import-format").input_value() == "jsonl"
        page.get_by_role("button", name="Import").click()
        result = page.locator("[data-testid='import-result']")
        result.wait_for()

        assert result.locator("[data-count='documents.stored']").inner_text() == "2"
        assert result.locator("[data-count='spans.stored']").inner_text() == "1"
        assert "Imported 2 documents and 1 span" in page.locator("[data-testid='import-status']").inner_text()
        span = Span.objects.get(document__project=project)
        assert (span.start, span.end, span.annotator) == (start, start + len(PHRASE), owner)
        assert span.document.text[span.start : span.end] == PHRASE
        assert span.label.name == "Source attribution"

    def test_a_bad_file_lists_its_problems_by_line_and_stores_nothing(self, page, setting):
        project, owner = setting.project, setting.owner
        payload = (
            jsonl({"text": "A good first line."})
            + b'{"text": "cut off\n'
            + jsonl({"text": "Short.", "spans": [{"start": 2, "end": 40, "label": "Source attribution"}]})
        )
        open_page(page, project, owner, "import")

        page.set_input_files("#import-file", {"name": "bad.jsonl", "mimeType": "application/jsonl",
                                              "buffer": payload})  # fmt: skip
        page.get_by_role("button", name="Import").click()
        problems = page.locator("[data-testid='import-problems']")
        problems.wait_for()

        rows = problems.locator("tbody tr")
        assert rows.count() == 2
        assert [rows.nth(i).locator("td").first.inner_text() for i in range(2)] == ["2", "3"]
        assert "40" in rows.nth(1).inner_text()
        assert "nothing was imported" in problems.locator("#problems-summary").inner_text()
        assert page.locator("[data-testid='import-result']").is_hidden()
        assert not Document.objects.filter(project=project).exists()

    def test_hundreds_of_problems_show_the_first_200_and_count_the_rest(self, page, setting):
        project, owner = setting.project, setting.owner
        payload = ("title,text\n" + "".join(f"Empty {i},\n" for i in range(205))).encode()
        open_page(page, project, owner, "import")

        page.set_input_files("#import-file", {"name": "empty.csv", "mimeType": "text/csv", "buffer": payload})
        assert page.locator("#import-format").input_value() == "csv"
        page.get_by_role("button", name="Import").click()
        problems = page.locator("[data-testid='import-problems']")
        problems.wait_for()

        assert problems.locator("thead th").first.inner_text() == "Row"
        assert problems.locator("tbody tr").count() == 200
        assert problems.locator("#problems-more").inner_text() == "… and 5 more."
        assert not Document.objects.filter(project=project).exists()


def zipped(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def text_file(name, text):
    return {"name": name, "mimeType": "text/plain", "buffer": text.encode()}


FERRY = text_file("ferry.txt", "Ferry vote delayed\n\nThe harbour council put off its vote.")
STRIKE = text_file("strike.txt", "Dockers walked out on Monday. Talks failed.")
ZIP = {"name": "wires.zip", "mimeType": "application/zip",
       "buffer": zipped(("wire/one.txt", "Envoy speaks\nThe envoy spoke."), ("two.txt", "Markets fell."))}  # fmt: skip


def import_files(page, files):
    page.set_input_files("#import-file", files)
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("[data-testid='import-files'][data-state='done']")
    return {
        row.get_attribute("data-file"): (
            row.locator("[data-count='documents.stored']").inner_text(),
            row.locator("[data-count='documents.skipped']").inner_text(),
        )
        for row in page.locator("[data-testid='import-files'] tbody tr[data-file]").all()
    }


class TestImportSeveralFiles:
    def test_two_files_and_a_zip_are_imported_then_skipped_when_sent_again(self, page, setting):
        project, owner = setting.project, setting.owner
        open_page(page, project, owner, "import")

        assert import_files(page, [FERRY, STRIKE]) == {"ferry.txt": ("1", "0"), "strike.txt": ("1", "0")}
        assert import_files(page, [ZIP]) == {"wires.zip": ("2", "0")}
        again = import_files(page, [FERRY, STRIKE, ZIP])

        assert again == {"ferry.txt": ("0", "1"), "strike.txt": ("0", "1"), "wires.zip": ("0", "2")}
        assert "3 files" in page.locator("[data-testid='import-status']").inner_text()
        assert sorted(Document.objects.filter(project=project).values_list("title", "text")) == [
            ("Envoy speaks", "The envoy spoke."),
            ("Ferry vote delayed", "The harbour council put off its vote."),
            ("strike", "Dockers walked out on Monday. Talks failed."),
            ("two", "Markets fell."),
        ]

    def test_one_txt_sent_twice_is_counted_as_skipped_the_second_time(self, page, setting):
        project, owner = setting.project, setting.owner
        open_page(page, project, owner, "import")
        skipped = page.locator("[data-testid='import-result'] [data-count='documents.skipped']")

        for _ in range(2):
            page.set_input_files("#import-file", STRIKE)
            page.get_by_role("button", name="Import").click()
            page.locator("[data-testid='import-result']").wait_for()

        assert skipped.inner_text() == "1"
        assert Document.objects.filter(project=project).count() == 1

    def test_a_bad_file_among_good_ones_is_reported_and_the_others_are_stored(self, page, setting):
        project, owner = setting.project, setting.owner
        open_page(page, project, owner, "import")
        broken = {"name": "broken.zip", "mimeType": "application/zip", "buffer": ZIP["buffer"][:-30]}

        outcome = import_files(page, [FERRY, broken])

        assert outcome["ferry.txt"] == ("1", "0")
        row = page.locator("[data-testid='import-files'] tr[data-file='broken.zip']")
        assert "Not imported" in row.inner_text()
        assert "not a readable zip" in page.locator("[data-testid='import-problems']").inner_text()
        assert Document.objects.filter(project=project).count() == 1

    def test_a_brat_zip_chosen_as_brat_stores_its_spans_and_counts_the_lines_it_skipped(self, page, setting):
        project, owner = setting.project, setting.owner
        ann = "T1\tSource_attribution 5 11\tPeskov\nE1\tSay:T1\nA1\tNegation E1\n"
        brat = {"name": "corpus.zip", "mimeType": "application/zip",
                "buffer": zipped(("a.txt", "Then Peskov spoke."), ("a.ann", ann),
                                 ("visual.conf", "[labels]\nSource_attribution | Source attribution\n"))}  # fmt: skip
        open_page(page, project, owner, "import")
        page.select_option("#import-format", "brat")

        assert import_files(page, [brat]) == {"corpus.zip": ("1", "0")}
        row = page.locator("[data-testid='import-files'] tr[data-file='corpus.zip']")
        assert "Imported; 2 other lines skipped" in row.inner_text()
        span = Span.objects.get(document__project=project)
        assert (span.label.name, span.document.text[span.start : span.end]) == ("Source attribution", "Peskov")

    def test_a_jsonl_file_with_answers_says_how_many_it_stored(self, page, setting):
        project, owner = setting.project, setting.owner
        make_question(owner, project, "Tone")
        line = {"text": "Then Peskov spoke.", "answers": [{"question": "Tone", "value": "anti"}]}
        upload = {"name": "answers.jsonl", "mimeType": "application/json", "buffer": json.dumps(line).encode()}
        open_page(page, project, owner, "import")
        page.select_option("#import-format", "jsonl")

        assert import_files(page, [upload]) == {"answers.jsonl": ("1", "0")}
        row = page.locator("[data-testid='import-files'] tr[data-file='answers.jsonl']")
        assert "Imported; 1 answer stored" in row.inner_text()
        assert Answer.objects.get(document__project=project).value == "anti"


class TestExport:
    @pytest.fixture
    def annotated(self, setting):
        project, owner, annotator = setting.project, setting.owner, setting.annotator
        [document] = document_create_many(member=access_project(owner, project.pk), items=[{"text": TEXT}])
        draw(annotator, document, "Source attribution", PHRASE)
        return project, owner

    def test_jsonl_zipped_downloads_a_zip_with_the_dataset_card(self, page, annotated):
        project, owner = annotated
        open_page(page, project, owner, "export")

        page.select_option("#export-format", "jsonl")
        page.check("#export-zip")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download").click()
        download = download_info.value

        assert download.suggested_filename.endswith(".jsonl.zip")
        archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
        names = archive.namelist()
        assert "README.md" in names
        [data_file] = [name for name in names if name.endswith(".jsonl")]
        [record] = [json.loads(line) for line in archive.read(data_file).decode().splitlines()]
        assert [(span["text"], span["annotator"]) for span in record["spans"]] == [(PHRASE, "annotator")]

    def test_csv_offers_the_relations_table_and_downloads_one_relation_a_row(self, page, annotated):
        project, owner = annotated
        document = project.documents.get()
        annotator = project.members.get(role="annotator").user
        says = make_relation_type(owner, project, "Says")
        source = Span.objects.get(document=document)
        relate(annotator, says, source, draw(annotator, document, "Diplomatic claim", "talks would resume"))
        open_page(page, project, owner, "export")
        table = page.get_by_role("group", name="Table")

        page.select_option("#export-format", "jsonl")
        assert table.get_by_label("relations").is_disabled()  # only CSV comes in tables
        page.select_option("#export-format", "csv")
        table.get_by_label("relations").check()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download").click()
        download = download_info.value

        assert download.suggested_filename.endswith("-relations.csv")
        rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))  # noqa: SIM115
        assert [(row["type"], row["from_text"], row["to_text"]) for row in rows] == [
            ("Says", PHRASE, "talks would resume")
        ]

    def test_csv_offers_the_answers_table_and_downloads_one_answer_a_row(self, page, annotated):
        project, owner = annotated
        document = project.documents.get()
        annotator = project.members.get(role="annotator").user
        frames = make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legality"])
        answer(annotator, document, frames, ["Legality", "Economic"])
        open_page(page, project, owner, "export")

        page.select_option("#export-format", "csv")
        page.get_by_role("group", name="Table").get_by_label("answers").check()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download").click()
        download = download_info.value

        assert download.suggested_filename.endswith("-answers.csv")
        rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))  # noqa: SIM115
        assert [(row["annotator"], row["question"], row["value"]) for row in rows] == [
            ("annotator", "Frames", "Economic|Legality")
        ]

    def test_conll_for_all_annotators_is_blocked_with_the_reason(self, page, annotated):
        project, owner = annotated
        open_page(page, project, owner, "export")
        download = page.get_by_role("button", name="Download")
        explanation = page.locator("[data-testid='export-explanation']")

        page.select_option("#export-format", "conll")

        assert download.is_disabled()
        assert "choose an annotator, or the gold layer" in explanation.inner_text()
        page.select_option("#export-annotator", "annotator")
        assert download.is_enabled() and explanation.inner_text() == ""
        page.select_option("#export-annotator", "")
        page.check("input[name='layer'][value='gold']")
        assert download.is_enabled()
        assert page.locator("#export-annotator").is_disabled()

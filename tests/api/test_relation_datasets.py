"""Relations in exports and imports through the API: JSONL lines carry them by span id, CSV has a relations
table, each layer and annotator filter keeps its own, and a round trip gives them back."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.models import Document, Relation
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.reviews import relation_review, span_review
from tests.arrange import draw, draw_gold, make_relation_type, relate, relate_gold
from tests.conftest import url


def body(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def export_lines(client, project, **params):
    return [json.loads(line) for line in body(client.get(url(project, "export"), {"format": "jsonl", **params}))
            .splitlines()]  # fmt: skip


def ends(line):
    """The line's relations as (type, from text, to text, annotator, review status), ends found by span id."""
    spans = {item["id"]: item for item in line["spans"]}
    return sorted(
        (item["type"], spans[item["from"]]["text"], spans[item["to"]]["text"], item["annotator"],
         item["review_status"])
        for item in line["relations"]
    )  # fmt: skip


@pytest.fixture
def says(owner, project):
    return make_relation_type(owner, project, "Says", key="q", from_labels=["Source attribution"])


@pytest.fixture
def related(owner, reviewer, annotator, annotator2, project, document, says):
    """`document` with a "Says" relation by each annotator, and one in the gold layer. A reviewer accepted both
    relations and all spans but annotator2's claim, so only annotator's relation is accepted with both its ends."""
    source = draw(annotator, document, "Source attribution", "Ілля Коваль")
    claim = draw(annotator, document, "Diplomatic claim", "talks would resume")
    mine = relate(annotator, says, source, claim)
    source2 = draw(annotator2, document, "Source attribution", "The ministry's spokesman")
    claim2 = draw(annotator2, document, "Official statement", "We expect a result within weeks")
    theirs = relate(annotator2, says, source2, claim2, note="=SUM(A1)")
    review = access_project(reviewer, project.pk)
    for span in (source, claim, source2):
        span_review(member=review, span=span, decision="accepted")
    for relation in (mine, theirs):
        relation_review(member=review, relation=relation, decision="accepted")
    gold_source = draw_gold(reviewer, document, "Source attribution", "he said")
    gold_claim = draw_gold(reviewer, document, "Diplomatic claim", "We expect a result within weeks")
    relate_gold(reviewer, says, gold_source, gold_claim)
    return document


class TestJsonlExport:
    def test_each_line_carries_its_relations_by_span_id(self, client_for, owner, project, related):
        [line] = export_lines(client_for(owner), project)

        assert ends(line) == [
            ("Says", "The ministry's spokesman", "We expect a result within weeks", "annotator2", "accepted"),
            ("Says", "Ілля Коваль", "talks would resume", "annotator", "accepted"),
        ]
        assert all(set(item) == {"type", "from", "to", "annotator", "review_status", "note", "codebook_version"}
                   for item in line["relations"])  # fmt: skip

    def test_the_accepted_layer_keeps_a_relation_only_with_both_its_spans_accepted(
        self, client_for, owner, project, related
    ):
        [line] = export_lines(client_for(owner), project, layer="accepted")

        assert ends(line) == [("Says", "Ілля Коваль", "talks would resume", "annotator", "accepted")]

    def test_the_gold_layer_has_the_gold_relations_between_gold_spans(self, client_for, owner, project, related):
        [line] = export_lines(client_for(owner), project, layer="gold")

        assert ends(line) == [("Says", "he said", "We expect a result within weeks", None, None)]

    def test_annotator_keeps_that_annotators_relations(self, client_for, owner, project, related):
        [line] = export_lines(client_for(owner), project, annotator="annotator2")

        assert [item[1] for item in ends(line)] == ["The ministry's spokesman"]

    def test_a_project_without_relation_types_exports_empty_relations(self, client_for, owner, project, document,
                                                                      annotator):  # fmt: skip
        draw(annotator, document, "Source attribution", "Ілля Коваль")

        [line] = export_lines(client_for(owner), project)

        assert line["relations"] == [] and len(line["spans"]) == 1

    def test_the_query_count_is_the_same_for_10_and_100_documents(self, client_for, owner, annotator, project, says):
        client = client_for(owner)

        def queries_for(count):
            have = project.documents.count()
            items = [{"text": f"Peskov told reporters the talks resume, report {have + n}."} for n in range(count)]
            for document in document_create_many(member=access_project(owner, project.pk), items=items):
                relate(annotator, says, draw(annotator, document, "Source attribution", "Peskov"),
                       draw(annotator, document, "Diplomatic claim", "the talks resume"))  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                lines = export_lines(client, project)
            assert sum(len(line["relations"]) for line in lines) == project.documents.count()
            return len(queries)

        assert queries_for(10) == queries_for(90)


class TestCsvRelationsTable:
    def test_one_row_per_relation_with_both_ends(self, client_for, owner, project, related):
        response = client_for(owner).get(url(project, "export"), {"format": "csv", "table": "relations"})

        data = body(response)
        assert data.startswith(b"\xef\xbb\xbfdocument_id,")
        assert "relations" in response["Content-Disposition"]
        rows = sorted(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))), key=lambda row: row["annotator"])
        assert [
            (row["document_id"], row["external_id"], row["title"], row["source"], row["annotator"], row["type"],
             row["from_label"], row["from_text"], row["to_label"], row["to_text"], row["review_status"], row["note"])
            for row in rows
        ] == [
            (str(related.pk), "talks-1", "Talks resume", "Wire One", "annotator", "Says", "Source attribution",
             "Ілля Коваль", "Diplomatic claim", "talks would resume", "accepted", ""),
            (str(related.pk), "talks-1", "Talks resume", "Wire One", "annotator2", "Says", "Source attribution",
             "The ministry's spokesman", "Official statement", "We expect a result within weeks", "accepted",
             "'=SUM(A1)"),
        ]  # fmt: skip
        for row in rows:
            for end in ("from", "to"):
                start, stop = int(row[f"{end}_start"]), int(row[f"{end}_end"])
                assert related.text[start:stop] == row[f"{end}_text"]
                assert related.spans.get(pk=row[f"{end}_id"]).start == start

    def test_the_gold_layers_relations_table_names_gold_spans(self, client_for, owner, project, related):
        response = client_for(owner).get(url(project, "export"), {"format": "csv", "table": "relations",
                                                                  "layer": "gold"})  # fmt: skip

        [row] = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert (row["annotator"], row["from_text"]) == ("", "he said")
        assert row["to_text"] == "We expect a result within weeks"
        assert related.gold_spans.get(pk=row["from_id"]).start == int(row["from_start"])


class TestCommand:
    def test_export_dataset_takes_table_relations(self, client_for, owner, project, related, tmp_path):
        target = tmp_path / "relations.csv"

        call_command("export_dataset", str(project.pk), "--format", "csv", "--table", "relations", "-o", str(target),
                     stderr=io.StringIO())  # fmt: skip

        api = body(client_for(owner).get(url(project, "export"), {"format": "csv", "table": "relations"}))
        assert target.read_bytes() == api
        assert len(list(csv.DictReader(io.StringIO(api.decode("utf-8-sig"))))) == 2


class TestZip:
    def test_a_csv_zip_holds_the_spans_and_relations_tables_and_the_card_counts_relations(self, client_for, owner,
                                                                                         project, related):  # fmt: skip
        # (and the answers table: tests/api/test_answer_datasets.py)
        client = client_for(owner)

        response = client.get(url(project, "export"), {"format": "csv", "zip": "true"})

        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        card, spans, relations, _ = archive.namelist()
        assert (card, spans, relations) == (
            "README.md", "ceasefire-coverage-annotations.csv", "ceasefire-coverage-annotations-relations.csv"
        )
        assert archive.read(spans) == body(client.get(url(project, "export"), {"format": "csv"}))
        assert archive.read(relations) == body(client.get(url(project, "export"), {"format": "csv",
                                                                                    "table": "relations"}))  # fmt: skip
        text = archive.read(card).decode()
        assert "- relations: 2" in text
        assert "| Says | 2 |" in text

    def test_the_card_counts_the_relations_of_the_layer_exported(self, client_for, owner, project, related):
        response = client_for(owner).get(url(project, "export"), {"format": "jsonl", "zip": "true",
                                                                  "layer": "accepted"})  # fmt: skip

        text = zipfile.ZipFile(io.BytesIO(body(response))).read("README.md").decode()
        assert "- relations: 1" in text and "| Says | 1 |" in text


def relations_of(project):
    """The project's relations as (type, from label/start/end, to label/start/end, annotator), sorted."""
    return sorted(
        Relation.objects.filter(document__project=project).values_list(
            "type__name", "from_span__label__name", "from_span__start", "from_span__end", "to_span__label__name",
            "to_span__start", "to_span__end", "annotator__username",
        )
    )  # fmt: skip


def post_import(client, project, data, **fields):
    upload = SimpleUploadedFile("export.jsonl", data, content_type="application/octet-stream")
    return client.post(url(project, "imports"), {"file": upload, "format": "jsonl", **fields}, format="multipart")


@pytest.fixture
def copy(owner):
    """A new project for the round trip, with both annotators and no relation types yet."""
    project = project_create(user=owner, name="Copy", label_preset="framing")
    for username in ("annotator", "annotator2"):
        member_add(actor=access_project(owner, project.pk), username=username, role="annotator")
    return project


class TestRoundTrip:
    def test_export_then_import_into_a_new_project_gives_back_the_same_relations(self, client_for, owner, project,
                                                                                 related, copy):  # fmt: skip
        client = client_for(owner)
        exported = body(client.get(url(project, "export"), {"format": "jsonl"}))
        make_relation_type(owner, copy, "Says", from_labels=["Source attribution"])

        response = post_import(client, copy, exported)

        assert response.status_code == 201, response.content
        assert response.json()["relations"] == {"stored": 2, "skipped": 0}
        assert len(relations_of(project)) == 2
        assert relations_of(copy) == relations_of(project)
        [imported] = Document.objects.filter(project=copy)
        again = export_lines(client, copy)
        assert [ends(line) for line in again] == [ends(line) for line in (json.loads(exported),)]
        assert imported.text == related.text

    def test_create_labels_brings_the_relation_types_along(self, client_for, owner, project, related, copy):
        client = client_for(owner)
        exported = body(client.get(url(project, "export"), {"format": "jsonl"}))

        refused = post_import(client, copy, exported)
        response = post_import(client, copy, exported, create_labels="true")

        assert refused.status_code == 400
        assert refused.json()["problems"] == [
            {"line": 1, "message": "relation type 'Says' is not in this project (import with create_labels=true)"}
        ]
        assert response.status_code == 201, response.content
        assert response.json()["relation_types_created"] == ["Says"]
        assert relations_of(copy) == relations_of(project)


class TestImportRefuses:
    def test_a_relation_between_two_annotators_spans_is_a_400_naming_its_line(self, client_for, owner, project,
                                                                             says):  # fmt: skip
        text = "Peskov told reporters the talks would resume."
        lines = [
            {"text": "A first article.", "external_id": "first"},
            {"text": text, "external_id": "second", "spans": [
                {"id": 1, "start": 0, "end": 6, "label": "Source attribution", "annotator": "annotator"},
                {"id": 2, "start": 26, "end": 44, "label": "Diplomatic claim", "annotator": "annotator2"},
            ], "relations": [{"type": "Says", "from": 1, "to": 2}]},
        ]  # fmt: skip
        data = "\n".join(json.dumps(item) for item in lines).encode()

        response = post_import(client_for(owner), project, data)

        assert response.status_code == 400
        assert response.json()["problems"] == [
            {"line": 2, "message": "relation 'Says' from span 1 to span 2: joins spans of two annotators,"
                                   " 'annotator' and 'annotator2'"},
        ]  # fmt: skip
        assert not Document.objects.filter(project=project).exists()

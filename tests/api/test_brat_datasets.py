"""brat through the API: an export's R lines and annotation.conf, its import back into a new project (folders as
annotators, relations, notes), and every bad zip refused whole."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.access import access_project
from annotator.models import Document, Relation, Span
from annotator.services.documents import document_create_many
from tests.api import test_relation_datasets as relation_datasets
from tests.api.test_datasets import zipped
from tests.api.test_relation_datasets import body, relations_of
from tests.arrange import draw, make_relation_type, relate
from tests.conftest import app_models, url

# The relation datasets' fixtures: a "Says" type, a document with a relation by each annotator, a new project.
says, related, copy = relation_datasets.says, relation_datasets.related, relation_datasets.copy

CROSSING = "Olena Petrenko said on Monday\r\nthat the ferry would run.\nShe chairs the islanders' association."


def post_brat(client, project, data, **fields):
    upload = SimpleUploadedFile("export.zip", data, content_type="application/zip")
    return client.post(url(project, "imports"), {"file": upload, "format": "brat", **fields}, format="multipart")


def export_brat(client, project, **params):
    return body(client.get(url(project, "export"), {"format": "brat", **params}))


def spans_of(project):
    """The project's spans as (document text's first word, label, start, end, text, annotator, note), sorted."""
    return sorted(
        (span.document.text.split()[0], span.label.name, span.start, span.end,
         span.document.text[span.start : span.end], span.annotator.username, span.note)
        for span in Span.objects.filter(document__project=project).select_related("document", "label", "annotator")
    )  # fmt: skip


def relation_notes(project):
    """The project's relations as (type, annotator, note), sorted."""
    return sorted(
        Relation.objects.filter(document__project=project).values_list("type__name", "annotator__username", "note")
    )


def row_counts():
    return {model.__name__: model.objects.count() for model in app_models()}


@pytest.fixture
def crossing(owner, project, annotator, says, related):
    """A second document whose lines end in CRLF, with annotator's span across its line break as the source of a
    relation, and a note on a span."""
    [document] = document_create_many(member=access_project(owner, project.pk), items=[{"text": CROSSING}])
    source = draw(annotator, document, "Source attribution", "Monday\nthat the ferry", note="crosses a line")
    claim = draw(annotator, document, "Diplomatic claim", "She chairs")
    relate(annotator, says, source, claim, note="the claim is hers")
    return document


class TestExport:
    def test_each_annotators_ann_has_their_relations_as_r_lines(self, client_for, owner, project, related):
        archive = zipfile.ZipFile(io.BytesIO(export_brat(client_for(owner), project)))

        for who, source, claim in (("annotator", "Ілля Коваль", "talks would resume"),
                                   ("annotator2", "The ministry's spokesman", "We expect a result within weeks")):
            lines = archive.read(f"{who}/{related.pk}.ann").decode().splitlines()
            numbers = {line.split("\t")[2]: line.split("\t")[0] for line in lines if line.startswith("T")}
            assert [line for line in lines if line.startswith("R")] == [
                f"R1\tSays Arg1:{numbers[source]} Arg2:{numbers[claim]}"
            ]  # fmt: skip

    def test_annotation_conf_declares_each_relation_type_with_its_ends(self, client_for, owner, project, related):
        make_relation_type(owner, project, "Quotes", to_labels=["Diplomatic claim", "Official statement"])

        conf = zipfile.ZipFile(io.BytesIO(export_brat(client_for(owner), project))).read("annotation.conf").decode()

        relations = conf.split("[relations]\n")[1].split("\n\n")[0].splitlines()
        assert relations == [
            "Says\tArg1:Source_attribution, Arg2:<ENTITY>",
            "Quotes\tArg1:<ENTITY>, Arg2:Diplomatic_claim|Official_statement",
        ]

    def test_the_accepted_layer_keeps_a_relation_only_with_both_its_spans(self, client_for, owner, project, related):
        archive = zipfile.ZipFile(io.BytesIO(export_brat(client_for(owner), project, layer="accepted")))

        r_lines = {who: [line for line in archive.read(f"{who}/{related.pk}.ann").decode().splitlines()
                         if line.startswith("R")] for who in ("annotator", "annotator2")}  # fmt: skip
        assert r_lines == {"annotator": ["R1\tSays Arg1:T1 Arg2:T2"], "annotator2": []}

    def test_a_relation_type_named_as_a_label_gets_a_type_of_its_own_and_the_card_says_so(self, client_for, owner,
                                                                                         project, related):  # fmt: skip
        make_relation_type(owner, project, "Source attribution")

        archive = zipfile.ZipFile(io.BytesIO(export_brat(client_for(owner), project, zip="true")))

        conf = archive.read("annotation.conf").decode()
        assert "\nSource_attribution\n" in conf and "\nSource_attribution_2\tArg1:<ENTITY>, Arg2:<ENTITY>\n" in conf
        card = archive.read("README.md").decode().split("## Type names")[1]
        assert "| Source attribution | `Source_attribution` |" in card
        assert "| Source attribution (relation type) | `Source_attribution_2` |" in card


class TestRoundTrip:
    def test_an_export_by_two_annotators_imports_back_whole(self, client_for, owner, project, related, crossing,
                                                             copy):  # fmt: skip
        client = client_for(owner)
        exported = export_brat(client, project)
        make_relation_type(owner, copy, "Says", from_labels=["Source attribution"])

        response = post_brat(client, copy, exported)

        assert response.status_code == 201, response.content
        assert response.json()["documents"] == {"stored": 2, "skipped": 0}
        assert response.json()["relations"] == {"stored": 3, "skipped": 0}
        assert response.json()["lines_skipped"] == 0
        assert sorted(Document.objects.filter(project=copy).values_list("text", flat=True)) == sorted(
            [related.text, crossing.text]
        )
        assert len(spans_of(project)) == 6
        assert spans_of(copy) == spans_of(project)
        assert relations_of(copy) == relations_of(project)
        assert relation_notes(copy) == relation_notes(project)

    def test_importing_the_same_zip_again_skips_every_document(self, client_for, owner, project, related, copy):
        client = client_for(owner)
        exported = export_brat(client, project)

        first = post_brat(client, copy, exported, create_labels="true")
        again = post_brat(client, copy, exported, create_labels="true")

        assert first.status_code == again.status_code == 201
        assert first.json()["relation_types_created"] == ["Says"]
        assert again.json()["documents"] == {"stored": 0, "skipped": 1}
        assert relations_of(copy) == relations_of(project)

    def test_other_lines_are_skipped_and_counted(self, client_for, owner, project):
        ann = ("T1\tSource_attribution 0 5\tOlena\nE1\tSay:T1\nA1\tNegated E1\nM1\tNegated E1\n"
               "N1\tReference T1 Wikipedia:123\tOlena\n*\tEquiv T1 T1\n#1\tAnnotatorNotes E1\tan event\n"
               "#2\tjust a comment\n#3\tAnnotatorNotes T1\tnamed first\n")  # fmt: skip
        visual = "[labels]\nSource_attribution | Source attribution | Src\n"
        data = zipped(("a.txt", "Olena spoke."), ("a.ann", ann), ("visual.conf", visual))

        response = post_brat(client_for(owner), project, data)

        assert response.status_code == 201, response.content
        assert response.json()["lines_skipped"] == 7
        [span] = Span.objects.filter(document__project=project)
        assert (span.label.name, span.start, span.end, span.note) == ("Source attribution", 0, 5, "named first")


class TestRefused:
    @pytest.mark.parametrize(
        ("members", "problem"),
        [
            ((("a.txt", "Olena spoke."), ("a.ann", "T1\tSource_attribution 0 5\tOlena\nR1\tSays Arg1:T1 Arg2:T9\n")),
             {"line": 2, "message": "a.ann: R1: to 'T9' is not the id of a span of this document"}),
            ((("a.txt", "Olena spoke."), ("a.ann", "T1\tSource_attribution 0 5\tOleg\n")),
             {"line": 1, "message": "a.ann: T1: text 'Oleg' is not the text at 0:5 ('Olena')"}),
            ((("a.txt", "Olena spoke up."), ("a.ann", "T1\tSource_attribution 0 5;12 15\tOlena up.\n")),
             {"line": 1, "message": "a.ann: T1: is discontinuous (0 5;12 15); a span is one stretch of text, its"
                                    " fragments apart only by line breaks"}),
            ((("a.txt", "Olena spoke."), ("a.ann", "T1\tSource_attribution 0 5\tOlena\nT2\tDiplomatic_claim 6 11"
                                                   "\tspoke\nR1\tTells Arg1:T1 Arg2:T2\n")),
             {"line": None, "message": "relation type 'Tells' is not in this project (import with"
                                       " create_labels=true)"}),
            ((("b.ann", "T1\tPlace 0 1\tO\n"),),
             {"line": None, "message": "b.ann: has no .txt of the same name beside it"}),
        ],
        ids=["r-naming-a-missing-t", "text-mismatch", "discontinuous", "unknown-relation-type", "ann-without-txt"],
    )
    def test_a_bad_zip_is_a_400_naming_file_and_line_and_stores_nothing(self, client_for, owner, project, says,
                                                                       members, problem):  # fmt: skip
        client = client_for(owner)
        before = row_counts()

        response = post_brat(client, project, zipped(("fine.txt", "A fine article."), *members))

        assert response.status_code == 400, response.content
        assert problem in response.json()["problems"]
        assert row_counts() == before

    def test_a_file_that_is_not_a_zip_is_a_400(self, client_for, owner, project):
        before = row_counts()

        response = post_brat(client_for(owner), project, b"T1\tPlace 0 1\tO\n")

        assert response.status_code == 400
        assert response.json()["problems"][0]["message"].startswith("The file is not a readable zip archive")
        assert row_counts() == before

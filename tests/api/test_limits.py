"""Limits that stop one request from hurting everyone (SPEC REST API): the body size, a document's length, a list's
length, identical spans, the metadata rule, and what a blind project's annotator may open."""

import json

import pytest

from annotator.access import access_project
from annotator.models import Document, Span
from annotator.services.documents import document_create_many
from tests.conftest import url
from tests.factories import ARTICLE

PHRASE = "told reporters"
START = ARTICLE.index(PHRASE)
END = START + len(PHRASE)


def span_body(label, start=START, end=END):
    return {"label": label.pk, "start": start, "end": end}


def nested(depth, leaf=1):
    """A metadata object `depth` objects deep."""
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


class TestBodySize:
    def test_a_json_body_over_the_limit_is_413_and_stores_nothing(self, settings, client_for, owner, project):
        settings.SLANT_JSON_MAX_BYTES = 10_000
        body = json.dumps({"text": "x" * 20_000})

        response = client_for(owner).post(url(project, "documents"), body, content_type="application/json")

        assert response.status_code == 413, response.content
        assert "10,000 bytes" in response.json()["detail"]
        assert not Document.objects.filter(project=project).exists()

    def test_a_body_under_the_limit_is_taken(self, settings, client_for, owner, project):
        settings.SLANT_JSON_MAX_BYTES = 10_000
        response = client_for(owner).post(url(project, "documents"), {"text": "x" * 5_000})
        assert response.status_code == 201


class TestTextLength:
    def test_a_text_over_the_limit_is_refused_naming_text(self, settings, client_for, owner, project):
        settings.SLANT_TEXT_MAX_CODE_POINTS = 100

        response = client_for(owner).post(url(project, "documents"), {"text": "😀" * 101})

        assert response.status_code == 400
        assert "100" in response.json()["text"][0]
        assert not Document.objects.filter(project=project).exists()

    def test_the_limit_counts_code_points(self, settings, client_for, owner, project):
        settings.SLANT_TEXT_MAX_CODE_POINTS = 100
        response = client_for(owner).post(url(project, "documents"), {"text": "😀" * 100})
        assert response.status_code == 201

    def test_an_import_over_the_limit_names_its_line(self, settings, client_for, owner, project):
        settings.SLANT_TEXT_MAX_CODE_POINTS = 100
        lines = [json.dumps({"text": "short"}), json.dumps({"text": "y" * 101})]
        data = ("\n".join(lines) + "\n").encode()

        response = client_for(owner).post(
            url(project, "imports"), {"format": "jsonl", "file": _file(data, "long.jsonl")}, format="multipart"
        )

        assert response.status_code == 400
        [problem] = response.json()["problems"]
        assert problem["line"] == 2
        assert "100" in problem["message"]
        assert not Document.objects.filter(project=project).exists()


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


class TestListLength:
    @pytest.fixture
    def long_document(self, project, owner):
        [document] = document_create_many(member=access_project(owner, project.pk), items=[{"text": "word " * 500}])
        return document

    def test_more_than_1000_items_are_refused_and_none_stored(self, client_for, annotator, long_document, label):
        document = long_document
        body = [span_body(label, start, start + 1) for start in range(1001)]

        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)

        assert response.status_code == 400
        assert "1000" in response.json()["non_field_errors"][0]
        assert not Span.objects.exists()

    def test_a_list_of_1000_is_taken(self, client_for, annotator, long_document, label):
        document = long_document
        body = [span_body(label, start, start + 1) for start in range(1000)]
        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)
        assert response.status_code == 201
        assert Span.objects.count() == 1000


class TestIdenticalSpan:
    def test_the_same_span_twice_is_409_with_the_first(self, client_for, annotator, document, label):
        client, path = client_for(annotator), url(document.project, "documents", document, "spans")
        first = client.post(path, span_body(label)).json()

        response = client.post(path, span_body(label))

        assert response.status_code == 409
        assert response.json()["id"] == first["id"]
        assert response.json()["text"] == PHRASE
        assert Span.objects.count() == 1

    def test_another_annotator_label_or_range_is_new(self, client_for, annotator, annotator2, document, project):
        labels = list(project.labels.order_by("id")[:2])
        path = url(document.project, "documents", document, "spans")
        client_for(annotator).post(path, span_body(labels[0]))

        answers = [
            client_for(annotator2).post(path, span_body(labels[0])),
            client_for(annotator).post(path, span_body(labels[1])),
            client_for(annotator).post(path, span_body(labels[0], START, START + 4)),
        ]

        assert [answer.status_code for answer in answers] == [201, 201, 201]

    def test_moving_a_span_onto_another_of_ones_own_is_409_with_that_one(self, client_for, annotator, document, label):
        client, path = client_for(annotator), url(document.project, "documents", document, "spans")
        kept = client.post(path, span_body(label)).json()
        moved = client.post(path, span_body(label, START, START + 4)).json()

        response = client.patch(f"{path}{moved['id']}/", {"end": END, "version": 1})

        assert response.status_code == 409
        assert response.json()["id"] == kept["id"]
        assert Span.objects.get(pk=moved["id"]).end == START + 4

    def test_a_list_repeating_a_span_stores_none_of_it(self, client_for, annotator, document, label):
        path = url(document.project, "documents", document, "spans")
        response = client_for(annotator).post(path, [span_body(label, 0, 3), span_body(label), span_body(label)])
        assert response.status_code == 409
        assert not Span.objects.exists()


class TestMetadata:
    @pytest.mark.parametrize(
        "metadata",
        [
            {"n": 10**400},
            {"n": 2**63},
            {"n": -(2**63) - 1},
            {"f": 1.5e300},
            {"list": [1, [2, {"deep": 10**30}]]},
            nested(33),
        ],
        ids=["10**400", "2**63", "-2**63-1", "1.5e300", "deep-in-a-list", "33-deep"],
    )
    def test_numbers_past_64_bits_and_nesting_past_32_are_refused(self, client_for, owner, project, metadata):
        response = client_for(owner).post(
            url(project, "documents"), json.dumps({"text": "t", "metadata": metadata}), content_type="application/json"
        )
        assert response.status_code == 400, response.content
        assert "metadata" in response.json()
        assert not Document.objects.filter(project=project).exists()

    @pytest.mark.parametrize(
        "metadata", [{"n": 2**63 - 1, "m": -(2**63), "f": 1.5e18, "g": -2.5e-300}, nested(32)], ids=["edges", "32-deep"]
    )
    def test_the_edges_of_the_rule_are_taken(self, client_for, owner, project, metadata):
        response = client_for(owner).post(
            url(project, "documents"), json.dumps({"text": "t", "metadata": metadata}), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        assert Document.objects.get(project=project).metadata == metadata

    @pytest.mark.parametrize("depth", [33, 316, 5000])
    @pytest.mark.parametrize(
        ("format", "line"),
        [
            ("jsonl", '{{"text": "t", "metadata": {}}}\n'),
            ("labelstudio", '[{{"data": {{"text": "t", "metadata": {}}}}}]'),
        ],
    )
    def test_deep_metadata_in_an_import_is_a_problem_not_a_500(self, client_for, owner, project, depth, format, line):
        data = line.format('{"a": ' * depth + "1" + "}" * depth).encode()
        response = client_for(owner).post(
            url(project, "imports"), {"format": format, "file": _file(data, f"deep.{format}")}, format="multipart"
        )
        assert response.status_code == 400, response.content
        assert not Document.objects.filter(project=project).exists()

    def test_a_huge_number_in_an_import_is_a_problem(self, client_for, owner, project):
        data = b'{"text": "t", "metadata": {"n": 1' + b"0" * 400 + b'}}\n'
        response = client_for(owner).post(
            url(project, "imports"), {"format": "jsonl", "file": _file(data, "big.jsonl")}, format="multipart"
        )
        assert response.status_code == 400, response.content


class TestBlindDocuments:
    @pytest.fixture
    def unassigned(self, project, owner, annotator):
        """A document of the blind project that `annotator` is not assigned to."""
        [document] = document_create_many(member=access_project(owner, project.pk), items=[{"text": "Elsewhere."}])
        document.assignments.filter(user=annotator).delete()
        return document

    def test_an_annotator_gets_404_for_an_unassigned_document(self, client_for, annotator, unassigned):
        client = client_for(annotator)
        assert client.get(url(unassigned.project, "documents", unassigned)).status_code == 404
        assert client.get(url(unassigned.project, "documents", unassigned, "spans")).status_code == 404

    def test_reviewers_and_open_projects_still_see_it(self, client_for, reviewer, annotator, unassigned):
        assert client_for(reviewer).get(url(unassigned.project, "documents", unassigned)).status_code == 200
        type(unassigned.project).objects.filter(pk=unassigned.project_id).update(blind=False)
        assert client_for(annotator).get(url(unassigned.project, "documents", unassigned)).status_code == 200

"""A token request inside one document gets the caller's membership and the document in the token's own query
(annotator/api/auth.py): it must answer exactly as the separate lookups do."""

import datetime

import pytest
from rest_framework.test import APIClient

from annotator.models import Document
from tests.conftest import url


@pytest.fixture
def rich_document(document):
    Document.objects.filter(pk=document.pk).update(
        metadata={"desk": "Kyiv", "tags": ["ceasefire", 3]},
        published_at=datetime.datetime(2025, 3, 5, 6, 30, 0, 250_000, tzinfo=datetime.UTC),
    )
    return Document.objects.get(pk=document.pk)


def test_the_document_comes_with_every_field_typed_as_the_orm_loads_it(client_for, owner, rich_document):
    body = client_for(owner).get(url(rich_document.project, "documents", rich_document)).json()

    assert body["metadata"] == {"desk": "Kyiv", "tags": ["ceasefire", 3]}
    assert body["published_at"] == "2025-03-05T06:30:00.250000Z"
    assert body["text"] == rich_document.text
    assert body["external_id"] == rich_document.external_id


def test_a_session_request_gets_the_same_answer(client_for, owner, rich_document):
    session = APIClient()
    session.force_login(owner)
    path = url(rich_document.project, "documents", rich_document)

    assert session.get(path).json() == client_for(owner).get(path).json()


def test_a_stranger_with_a_good_token_gets_404(client_for, outsider, document):
    response = client_for(outsider).get(url(document.project, "documents", document, "spans"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_another_projects_document_under_this_project_is_404(client_for, annotator, document, other_project):
    foreign = other_project.documents.get()

    response = client_for(annotator).get(url(document.project, "documents", foreign, "spans"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_bad_token_is_401_before_any_lookup(document):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = client.get(url(document.project, "documents", document, "spans"))

    assert response.status_code == 401


def test_an_inactive_user_is_401_even_as_a_member(client_for, annotator, document):
    client = client_for(annotator)
    annotator.is_active = False
    annotator.save(update_fields=["is_active"])

    response = client.get(url(document.project, "documents", document, "spans"))

    assert response.status_code == 401


def test_the_role_still_decides_after_the_lookup(client_for, annotator, document):
    response = client_for(annotator).delete(url(document.project, "documents", document))

    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()

"""Arranging the pages' data through the services, as the API would write it (spans: tests/arrange.py)."""

from annotator.access import access_project
from annotator.services.documents import document_create_many
from tests.factories import ARTICLE

HOSTILE = "<img src=x onerror=alert(1)>"
# An untitled document's row shows the first twelve words of its text.
FIRST_WORDS = "The ministry's spokesman, Ілля Коваль, told reporters on Monday that talks would …"


def add_documents(owner, project, n, *, offset=0, **fields):
    items = [
        {"text": ARTICLE, "title": f"Story {offset + i}", "source": ("Wire One", "Daily Two")[i % 2], **fields}
        for i in range(n)
    ]
    return document_create_many(member=access_project(owner, project.pk), items=items)


def signed_in(client, user):
    client.force_login(user)
    return client


def assert_sent_to_sign_in(response, path):
    """An anonymous visitor of `path` is sent to the sign-in page, which brings them back."""
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"

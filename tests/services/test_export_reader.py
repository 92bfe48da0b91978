"""An export outside a transaction reads its next chunks of documents on threads of their own while the last one is
written (selectors.exports._chunks): the same records as reading one chunk at a time, and the threads and their
connections gone once the export ends or is stopped."""

import threading

import pytest
from django.db import connection, transaction

from annotator.access import access_project
from annotator.selectors.exports import export_records
from annotator.services.documents import document_create_many
from annotator.services.spans import span_create
from tests.arrange import member_of

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = "The minister said the talks would resume on Monday, aides told reporters after the meeting."


def readers():
    return [thread for thread in threading.enumerate() if thread.name.startswith("export")]


@pytest.fixture
def seven(project, owner, annotator):
    documents = document_create_many(
        member=access_project(owner, project.pk), items=[{"text": f"{WORDS} ({n})"} for n in range(7)]
    )
    label = project.labels.order_by("id").first()
    for n, document in enumerate(documents):
        span_create(member=member_of(annotator, project), document=document, label=label.pk, start=n, end=n + 8)
    return documents


def test_reading_ahead_gives_the_records_read_one_chunk_at_a_time(project, seven):
    records = export_records(project=project, chunk=2)
    first = next(records)
    assert readers()  # the next chunks are read on the reader thread
    ahead = [first, *records]
    assert not readers()
    with transaction.atomic():
        one_by_one = list(export_records(project=project, chunk=2))
        assert not readers()

    assert [record["id"] for record in ahead] == [document.pk for document in seven]
    assert [len(record["spans"]) for record in ahead] == [1] * 7
    assert ahead == one_by_one


def test_a_stopped_export_leaves_no_reader_and_its_connection_closed(project, seven):
    records = export_records(project=project, chunk=2)
    next(records)
    threads = readers()
    assert len(threads) == 2  # the next two chunks under way

    records.close()

    assert not any(thread.is_alive() for thread in threads)
    assert connection.connection is not None  # this thread's own connection is untouched

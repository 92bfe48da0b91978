"""selectors.documents.document_neighbours: where a document stands in the reader's own queue, in one query."""

import pytest

from annotator.models import Role
from annotator.selectors.documents import QueuePlace, document_neighbours
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.arrange import member_of, submit


@pytest.fixture
def queue(owner, make_user):
    """Three documents all assigned to one annotator, and the annotator."""
    annotator = make_user("annotator")
    project = project_create(user=owner, name="Queue", label_preset="framing", annotators_per_document=1)
    member_add(actor=member_of(owner, project), username=annotator.username, role=Role.ANNOTATOR)
    items = [{"text": f"Article {n}."} for n in range(3)]
    return annotator, document_create_many(member=member_of(owner, project), items=items)


class TestQueuePlace:
    def test_the_middle_document_has_both_neighbours_and_two_others_open(self, queue, django_assert_num_queries):
        annotator, (first, middle, last) = queue
        member = member_of(annotator, first.project_id)

        with django_assert_num_queries(1):
            place = document_neighbours(member=member, document=middle)

        assert place == QueuePlace(first.pk, last.pk, True, "assigned", 2, first.pk)

    def test_submitted_documents_are_not_open_and_the_status_here_is_the_members_own(self, queue):
        annotator, (first, middle, last) = queue
        submit(annotator, first)
        submit(annotator, last)

        place = document_neighbours(member=member_of(annotator, first.project_id), document=last)

        assert (place.next, place.status, place.open_elsewhere, place.first_open) == (None, "submitted", 1, middle.pk)

    def test_a_document_outside_the_queue_has_no_neighbours_in_it(self, queue, owner):
        annotator, (first, middle, last) = queue

        place = document_neighbours(member=member_of(owner, first.project_id), document=middle)

        assert place == QueuePlace(None, None, False, None, 0, None)

"""annotator.services.assignments called directly: documents filled up to annotators_per_document, least loaded
annotators first; assigning by hand; submitting; the first span starting the work; one audit event per change."""

import pytest

from annotator.errors import InvalidInput, NotAllowed
from annotator.models import Assignment, AssignmentStatus, Role, Span
from annotator.services.assignments import (
    assignment_create,
    assignment_delete,
    assignment_fill,
    assignment_plan,
    assignment_start,
    document_submit,
)
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.arrange import member_of
from tests.trail import Trail


def assigned_to(document):
    return sorted(Assignment.objects.filter(document=document).values_list("user__username", flat=True))


def status_of(user, document):
    return Assignment.objects.get(document=document, user=user).status


def assign(actor, document, username):
    return assignment_create(actor=member_of(actor, document.project_id), document=document, username=username)


def submit(user, document):
    return document_submit(member=member_of(user, document.project_id), document=document)


@pytest.fixture
def trio(owner, make_user):
    """A project wanting two annotators a document, with three annotators and no documents yet."""
    project = project_create(user=owner, name="Trio", annotators_per_document=2)
    for username in ("ann", "bea", "cai"):
        member_add(actor=member_of(owner, project), username=make_user(username).username, role=Role.ANNOTATOR)
    return project


def add_documents(owner, project, n):
    return document_create_many(member=member_of(owner, project), items=[{"text": f"Story {i}."} for i in range(n)])


class TestAssignmentFill:
    def test_new_documents_go_to_the_least_loaded_annotators_ties_by_joining_order(self, owner, trio):
        first, second, third = add_documents(owner, trio, 3)

        assert [assigned_to(document) for document in (first, second, third)] == [
            ["ann", "bea"],
            ["ann", "cai"],
            ["bea", "cai"],
        ]

    def test_a_document_already_full_is_left_alone(self, owner, trio):
        [document] = add_documents(owner, trio, 1)

        assert assignment_fill(project=trio, document_ids=[document.pk]) == []
        assert assigned_to(document) == ["ann", "bea"]

    def test_a_latecomer_with_no_work_is_first_in_line_whatever_their_id(self, owner, trio, make_user):
        add_documents(owner, trio, 3)  # two documents each for ann, bea and cai
        member_add(actor=member_of(owner, trio), username=make_user("dan").username, role=Role.ANNOTATOR)

        [document] = add_documents(owner, trio, 1)

        assert assigned_to(document) == ["ann", "dan"]

    def test_a_document_short_of_annotators_is_topped_up(self, owner, trio):
        [document] = add_documents(owner, trio, 1)
        Assignment.objects.filter(document=document, user__username="ann").delete()

        added = assignment_fill(project=trio)

        assert [assignment.document_id for assignment in added] == [document.pk]
        assert len(assigned_to(document)) == 2

    def test_owners_and_reviewers_are_never_assigned(self, owner, reviewer, document):
        assert set(assigned_to(document)) == {"annotator", "annotator2"}

    def test_the_plan_writes_nothing(self, owner, trio):
        [document] = add_documents(owner, trio, 1)
        Assignment.objects.filter(document=document).delete()

        pairs = assignment_plan(project=trio, documents={document.pk: set()})

        assert len(pairs) == 2
        assert {document_id for document_id, _ in pairs} == {document.pk}
        assert not Assignment.objects.filter(document=document).exists()

    def test_a_project_without_annotators_plans_nothing(self, owner):
        project = project_create(user=owner, name="Empty")
        [document] = add_documents(owner, project, 1)

        assert assignment_plan(project=project, documents={document.pk: set()}) == []
        assert assigned_to(document) == []


class TestAssignmentCreate:
    def test_an_annotator_not_yet_on_a_document_is_assigned(self, reviewer, document, third_annotator):
        assignment = assign(reviewer, document, third_annotator.username)

        assert (assignment.document, assignment.user, assignment.status) == (
            document,
            third_annotator,
            AssignmentStatus.ASSIGNED,
        )
        assert "annotator3" in assigned_to(document)

    @pytest.mark.parametrize(
        ("username", "message"),
        [
            ("annotator", "'annotator' is already assigned to this document."),
            ("reviewer", "'reviewer' is not an annotator of this project."),
            ("outsider", "'outsider' is not an annotator of this project."),
            ("nobody", "'nobody' is not an annotator of this project."),
        ],
    )
    def test_anyone_but_an_annotator_not_yet_on_it_is_refused_naming_username(
        self, owner, outsider, document, username, message
    ):
        trail = Trail()

        with pytest.raises(InvalidInput) as refused:
            assign(owner, document, username)

        assert refused.value.detail == {"username": [message]}
        assert assigned_to(document) == ["annotator", "annotator2"]
        trail.none()

    def test_an_assignment_writes_one_event_with_it_after(self, reviewer, document, third_annotator):
        trail = Trail()

        assignment = assign(reviewer, document, third_annotator.username)

        event = trail.one("assignment.create", assignment.pk, reviewer)
        assert (event.object_type, event.project_id, event.before) == ("assignment", document.project_id, None)
        assert (event.after["user_id"], event.after["document_id"], event.after["status"]) == (
            third_annotator.pk,
            document.pk,
            "assigned",
        )


class TestAssignmentDelete:
    def test_the_document_leaves_the_queue_and_the_spans_stay(self, owner, annotator, document, span):
        assignment = Assignment.objects.get(document=document, user=annotator)
        assignment_id = assignment.pk
        trail = Trail()

        assignment_delete(actor=member_of(owner, document.project_id), assignment=assignment)

        assert assigned_to(document) == ["annotator2"]
        assert Span.objects.filter(pk=span.pk).exists()
        event = trail.one("assignment.delete", assignment_id, owner)
        assert (event.before["user_id"], event.after) == (annotator.pk, None)


class TestDocumentSubmit:
    def test_the_assigned_annotator_submits_and_one_event_records_the_status_change(self, annotator, document, span):
        trail = Trail()

        assignment = submit(annotator, document)

        assert status_of(annotator, document) == assignment.status == AssignmentStatus.SUBMITTED
        event = trail.one("assignment.submit", assignment.pk, annotator)
        assert (event.before["status"], event.after["status"]) == ("in_progress", "submitted")

    def test_submitting_twice_changes_nothing_the_second_time(self, annotator, document):
        submit(annotator, document)
        trail = Trail()

        assignment = submit(annotator, document)

        assert assignment.status == AssignmentStatus.SUBMITTED
        trail.none()

    @pytest.mark.parametrize("role", ["owner", "reviewer", "third_annotator"])
    def test_someone_the_document_is_not_assigned_to_is_refused(self, request, document, role):
        user = request.getfixturevalue(role)
        trail = Trail()

        with pytest.raises(NotAllowed, match="not assigned to you"):
            submit(user, document)

        assert set(Assignment.objects.filter(document=document).values_list("status", flat=True)) == {"assigned"}
        trail.none()


class TestAssignmentStart:
    def test_work_moves_from_assigned_to_in_progress(self, annotator, annotator2, document):
        assignment_start(document_id=document.pk, user_id=annotator.pk)

        assert status_of(annotator, document) == AssignmentStatus.IN_PROGRESS
        assert status_of(annotator2, document) == AssignmentStatus.ASSIGNED

    def test_submitted_work_stays_submitted(self, annotator, document):
        submit(annotator, document)

        assignment_start(document_id=document.pk, user_id=annotator.pk)

        assert status_of(annotator, document) == AssignmentStatus.SUBMITTED

from collections import Counter

import pytest

from annotator.access import access_project
from annotator.models import Assignment, AssignmentStatus, Member, Role
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.conftest import url
from tests.factories import ARTICLE


@pytest.fixture
def make_project(owner):
    """A project with the given annotators (in that order) and annotators_per_document."""

    def make(*annotators, per_document=2):
        project = project_create(user=owner, name="Queue", label_preset="framing", annotators_per_document=per_document)
        actor = access_project(owner, project.pk)
        for user in annotators:
            member_add(actor=actor, username=user.username, role=Role.ANNOTATOR)
        return project

    return make


def post_documents(client, project, count, prefix="doc"):
    body = [{"text": ARTICLE, "external_id": f"{prefix}-{n}"} for n in range(count)]
    response = client.post(url(project, "documents"), body)
    assert response.status_code == 201, response.json()
    return [row["id"] for row in response.json()]


def load(project):
    """Assignments per username in `project`."""
    return Counter(Assignment.objects.filter(document__project=project).values_list("user__username", flat=True))


def annotators_of(document_id):
    return set(Assignment.objects.filter(document_id=document_id).values_list("user__username", flat=True))


def span_body(label, phrase):
    start = ARTICLE.index(phrase)
    return {"label": label.pk, "start": start, "end": start + len(phrase)}


class TestAutomaticAssignment:
    def test_a_new_document_goes_to_annotators_per_document_annotators(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "documents"), {"text": ARTICLE})

        assert response.status_code == 201, response.json()
        rows = response.json()["assignments"]
        assert {(row["username"], row["status"]) for row in rows} == {
            ("annotator", "assigned"),
            ("annotator2", "assigned"),
        }
        assert all(row["document"] == response.json()["id"] for row in rows)

    def test_thirty_documents_spread_evenly_over_three_annotators(
        self, client_for, owner, annotator, annotator2, make_user, make_project
    ):
        project = make_project(annotator, annotator2, make_user("annotator3"), per_document=2)

        documents = post_documents(client_for(owner), project, 30)

        assert load(project) == {"annotator": 20, "annotator2": 20, "annotator3": 20}
        assert all(len(annotators_of(doc)) == 2 for doc in documents)

    def test_documents_added_one_at_a_time_spread_evenly_too(
        self, client_for, owner, annotator, annotator2, make_user, make_project
    ):
        project = make_project(annotator, annotator2, make_user("annotator3"), per_document=2)
        client = client_for(owner)

        for n in range(6):
            post_documents(client, project, 1, prefix=f"single-{n}")

        assert load(project) == {"annotator": 4, "annotator2": 4, "annotator3": 4}

    def test_the_least_loaded_annotator_goes_first(self, client_for, owner, annotator, annotator2, make_project):
        project = make_project(annotator, per_document=1)
        client = client_for(owner)
        post_documents(client, project, 2, prefix="early")
        client.post(url(project, "members"), {"username": "annotator2", "role": "annotator"})

        [late] = post_documents(client, project, 1, prefix="late")

        assert annotators_of(late) == {"annotator2"}

    def test_owners_and_reviewers_are_not_assigned(self, client_for, owner, reviewer, make_project):
        project = make_project(per_document=2)
        client_for(owner).post(url(project, "members"), {"username": "reviewer", "role": "reviewer"})

        [document] = post_documents(client_for(owner), project, 1)

        assert annotators_of(document) == set()

    def test_fewer_annotators_than_wanted_each_take_every_document(self, client_for, owner, annotator, make_project):
        project = make_project(annotator, per_document=3)

        documents = post_documents(client_for(owner), project, 3)

        assert all(annotators_of(doc) == {"annotator"} for doc in documents)


class TestJoiningAnnotator:
    def test_an_annotator_who_joins_takes_the_documents_still_short(
        self, client_for, owner, annotator, annotator2, make_project
    ):
        project = make_project(annotator, per_document=2)
        documents = post_documents(client_for(owner), project, 3)

        response = client_for(owner).post(url(project, "members"), {"username": "annotator2", "role": "annotator"})

        assert response.status_code == 201, response.json()
        assert all(annotators_of(doc) == {"annotator", "annotator2"} for doc in documents)

    def test_an_annotator_who_joins_leaves_full_documents_alone(
        self, client_for, owner, annotator, annotator2, make_project
    ):
        project = make_project(annotator, per_document=1)
        post_documents(client_for(owner), project, 3)

        client_for(owner).post(url(project, "members"), {"username": "annotator2", "role": "annotator"})

        assert load(project) == {"annotator": 3}

    def test_a_member_made_annotator_takes_the_documents_still_short(
        self, client_for, owner, reviewer, annotator, make_project
    ):
        project = make_project(annotator, per_document=2)
        client = client_for(owner)
        client.post(url(project, "members"), {"username": "reviewer", "role": "reviewer"})
        documents = post_documents(client, project, 2)
        row = Member.objects.get(project=project, user=reviewer)

        response = client.patch(url(project, "members", row), {"role": "annotator"})

        assert response.status_code == 200, response.json()
        assert all(annotators_of(doc) == {"annotator", "reviewer"} for doc in documents)

    def test_raising_annotators_per_document_assigns_the_documents_now_short(
        self, client_for, owner, annotator, annotator2, make_project
    ):
        project = make_project(annotator, annotator2, per_document=1)
        documents = post_documents(client_for(owner), project, 4)

        response = client_for(owner).patch(url(project), {"annotators_per_document": 2})

        assert response.status_code == 200, response.json()
        assert all(annotators_of(doc) == {"annotator", "annotator2"} for doc in documents)


class TestLeavingAnnotator:
    def test_a_removed_annotators_unsubmitted_documents_go_to_others(
        self, client_for, owner, annotator, annotator2, make_project
    ):
        project = make_project(annotator, annotator2, per_document=1)
        documents = post_documents(client_for(owner), project, 4)
        theirs = [doc for doc in documents if annotators_of(doc) == {"annotator"}]
        submitted, open_ = theirs[0], theirs[1:]
        assert client_for(annotator).post(url(project, "documents", submitted, "submit")).status_code == 200
        row = Member.objects.get(project=project, user=annotator)

        response = client_for(owner).delete(url(project, "members", row))

        assert response.status_code == 204
        assert open_
        assert all(annotators_of(doc) == {"annotator2"} for doc in open_)
        assert Assignment.objects.get(document_id=submitted, user=annotator).status == AssignmentStatus.SUBMITTED
        assert annotators_of(submitted) == {"annotator"}

    def test_an_annotator_made_reviewer_hands_back_their_unsubmitted_documents(
        self, client_for, owner, annotator, annotator2, make_project
    ):
        project = make_project(annotator, annotator2, per_document=1)
        documents = post_documents(client_for(owner), project, 4)
        row = Member.objects.get(project=project, user=annotator)

        response = client_for(owner).patch(url(project, "members", row), {"role": "reviewer"})

        assert response.status_code == 200, response.json()
        assert all(annotators_of(doc) == {"annotator2"} for doc in documents)


@pytest.fixture
def single(client_for, owner, annotator, annotator2, make_project):
    """A document of a project with one annotator per document: it went to `annotator`; `annotator2` joined after."""
    project = make_project(annotator, per_document=1)
    [document] = post_documents(client_for(owner), project, 1)
    member_add(actor=access_project(owner, project.pk), username=annotator2.username, role=Role.ANNOTATOR)
    assert annotators_of(document) == {"annotator"}
    return project, document


class TestManualAssignment:
    def test_owner_assigns_an_annotator(self, client_for, owner, single):
        project, document = single

        response = client_for(owner).post(
            url(project, "documents", document, "assignments"), {"username": "annotator2"}
        )

        assert response.status_code == 201, response.json()
        assert {k: response.json()[k] for k in ("document", "username", "status")} == {
            "document": document,
            "username": "annotator2",
            "status": "assigned",
        }
        assert annotators_of(document) == {"annotator", "annotator2"}

    def test_a_reviewer_assigns_too(self, client_for, owner, reviewer, single):
        project, document = single
        client_for(owner).post(url(project, "members"), {"username": "reviewer", "role": "reviewer"})

        response = client_for(reviewer).post(
            url(project, "documents", document, "assignments"), {"username": "annotator2"}
        )

        assert response.status_code == 201, response.json()
        assert annotators_of(document) == {"annotator", "annotator2"}

    def test_the_list_names_each_annotator_by_username(self, client_for, owner, single):
        project, document = single

        response = client_for(owner).get(url(project, "documents", document, "assignments"))

        assert response.status_code == 200
        [row] = response.json()["results"]
        assert set(row) == {"id", "document", "username", "status"}
        assert (row["document"], row["username"], row["status"]) == (document, "annotator", "assigned")

    @pytest.mark.parametrize("username", ["owner", "reviewer", "outsider", "nobody"])
    def test_a_user_who_is_not_an_annotator_of_the_project_is_refused_naming_username(
        self, client_for, owner, reviewer, outsider, single, username
    ):
        project, document = single
        client_for(owner).post(url(project, "members"), {"username": "reviewer", "role": "reviewer"})

        response = client_for(owner).post(url(project, "documents", document, "assignments"), {"username": username})

        assert response.status_code == 400
        assert "username" in response.json()
        assert annotators_of(document) == {"annotator"}

    def test_an_annotator_already_on_the_document_is_refused(self, client_for, owner, single):
        project, document = single

        response = client_for(owner).post(url(project, "documents", document, "assignments"), {"username": "annotator"})

        assert response.status_code == 400
        assert "username" in response.json()
        assert Assignment.objects.filter(document_id=document).count() == 1

    def test_owner_removes_an_assignment(self, client_for, owner, annotator, single):
        project, document = single
        assignment = Assignment.objects.get(document_id=document, user=annotator)

        response = client_for(owner).delete(url(project, "documents", document, "assignments", assignment))

        assert response.status_code == 204
        assert annotators_of(document) == set()
        queue = client_for(annotator).get(url(project, "documents"), {"assigned_to": "me"})
        assert queue.json()["results"] == []

    def test_an_assignment_of_another_document_is_not_found(self, client_for, owner, annotator, single):
        project, document = single
        [other] = post_documents(client_for(owner), project, 1, prefix="other")
        foreign = Assignment.objects.get(document_id=other)

        response = client_for(owner).delete(url(project, "documents", document, "assignments", foreign))

        assert response.status_code == 404
        assert Assignment.objects.filter(pk=foreign.pk).exists()


class TestSubmit:
    def test_the_assigned_annotator_submits(self, client_for, annotator, annotator2, document):
        response = client_for(annotator).post(url(document.project, "documents", document, "submit"))

        assert response.status_code == 200, response.json()
        assert response.json()["username"] == "annotator"
        assert response.json()["status"] == "submitted"
        assert Assignment.objects.get(document=document, user=annotator).status == AssignmentStatus.SUBMITTED
        assert Assignment.objects.get(document=document, user=annotator2).status == AssignmentStatus.ASSIGNED

    def test_submitting_twice_keeps_it_submitted(self, client_for, annotator, document):
        client = client_for(annotator)
        client.post(url(document.project, "documents", document, "submit"))

        response = client.post(url(document.project, "documents", document, "submit"))

        assert response.status_code == 200
        assert response.json()["status"] == "submitted"

    @pytest.mark.parametrize(("blind", "status"), [(False, 403), (True, 404)])
    def test_an_annotator_the_document_is_not_assigned_to_is_refused(
        self, client_for, owner, annotator2, single, blind, status
    ):
        """Refused (403); in a blind project the document is not even there for them (404), as the list hides it."""
        project, document = single
        type(project).objects.filter(pk=project.pk).update(blind=blind)

        response = client_for(annotator2).post(url(project, "documents", document, "submit"))

        assert response.status_code == status
        assert not Assignment.objects.filter(status=AssignmentStatus.SUBMITTED).exists()

    def test_a_reviewer_with_nothing_assigned_gets_403(self, client_for, reviewer, document):
        response = client_for(reviewer).post(url(document.project, "documents", document, "submit"))

        assert response.status_code == 403
        assert not Assignment.objects.filter(status=AssignmentStatus.SUBMITTED).exists()


class TestProgress:
    def test_the_first_span_moves_the_annotators_assignment_to_in_progress(
        self, client_for, annotator, annotator2, document, label
    ):
        response = client_for(annotator).post(
            url(document.project, "documents", document, "spans"), span_body(label, "told reporters")
        )

        assert response.status_code == 201, response.json()
        assert Assignment.objects.get(document=document, user=annotator).status == AssignmentStatus.IN_PROGRESS
        assert Assignment.objects.get(document=document, user=annotator2).status == AssignmentStatus.ASSIGNED

    def test_later_spans_keep_it_in_progress(self, client_for, annotator, document, label):
        client = client_for(annotator)
        client.post(url(document.project, "documents", document, "spans"), span_body(label, "told reporters"))

        client.post(url(document.project, "documents", document, "spans"), span_body(label, "he said"))

        assert Assignment.objects.get(document=document, user=annotator).status == AssignmentStatus.IN_PROGRESS

    def test_a_span_after_submitting_keeps_the_work_submitted(self, client_for, annotator, document, label):
        client = client_for(annotator)
        client.post(url(document.project, "documents", document, "submit"))

        client.post(url(document.project, "documents", document, "spans"), span_body(label, "told reporters"))

        assert Assignment.objects.get(document=document, user=annotator).status == AssignmentStatus.SUBMITTED

"""The audit trail, through the API: every write leaves exactly one event in its transaction, a failed write none."""

import pytest
from django.contrib.auth import get_user_model

from annotator.models import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Document,
    GoldSpan,
    Label,
    Member,
    Project,
    Role,
    Span,
)
from tests.arrange import phrase
from tests.conftest import document_url, url
from tests.factories import ARTICLE
from tests.trail import Trail


def span_url(span, *parts):
    return document_url(span.document, "spans", span, *parts)


def gold_url(gold):
    return document_url(gold.document, "gold", gold)


class TestProjectAudit:
    def test_creating_a_project_records_it_and_its_owner(self, client_for, owner):
        trail = Trail()

        response = client_for(owner).post("/api/v1/projects/", {"name": "Election desk", "blind": False})

        assert response.status_code == 201
        project_id = response.json()["id"]
        events = trail.events()
        assert [e.action for e in events] == ["project.create", "member.create", "codebook_version.create"]
        created = events[0]
        assert (created.object_type, created.object_id, created.project_id) == ("project", project_id, project_id)
        assert (created.actor_id, created.before) == (owner.pk, None)
        assert created.after["name"] == "Election desk"
        assert created.after["blind"] is False

    def test_a_preset_adds_one_label_event_per_label(self, client_for, owner):
        trail = Trail()

        response = client_for(owner).post("/api/v1/projects/", {"name": "Framing", "label_preset": "framing"})

        assert response.status_code == 201
        project = Project.objects.get(pk=response.json()["id"])
        label_events = [e for e in trail.events() if e.action == "label.create"]
        assert sorted(e.object_id for e in label_events) == sorted(project.labels.values_list("id", flat=True))
        assert [e.action for e in trail.events()].count("project.create") == 1

    def test_updating_a_project_records_before_and_after(self, client_for, owner, project):
        trail = Trail()

        response = client_for(owner).patch(url(project), {"name": "Renamed", "guidelines": "Mark every source."})

        assert response.status_code == 200
        event = trail.one("project.update", project.pk, owner)
        assert event.before["name"] == "Ceasefire coverage"
        assert (event.after["name"], event.after["guidelines"]) == ("Renamed", "Mark every source.")

    def test_deleting_a_project_leaves_its_trail(self, client_for, owner, project):
        trail = Trail()

        response = client_for(owner).delete(url(project))

        assert response.status_code == 204
        event = trail.one("project.delete", project.pk, owner)
        assert (event.before["name"], event.after) == ("Ceasefire coverage", None)
        assert not Project.objects.filter(pk=project.pk).exists()
        assert AuditEvent.objects.filter(project_id=project.pk, action="project.create").exists()

    def test_a_refused_project_update_records_nothing(self, client_for, owner, project):
        trail = Trail()

        response = client_for(owner).patch(url(project), {"annotators_per_document": 0})

        assert response.status_code == 400
        trail.none()


class TestLabelAudit:
    def test_creating_a_label_records_it(self, client_for, owner, project):
        trail = Trail()

        response = client_for(owner).post(url(project, "labels"), {"name": "Casualty figure", "key": "z"})

        assert response.status_code == 201
        event = trail.one("label.create", response.json()["id"], owner)
        assert (event.object_type, event.before) == ("label", None)
        assert (event.after["name"], event.after["key"], event.after["active"]) == ("Casualty figure", "z", True)

    def test_deactivating_a_label_records_before_and_after(self, client_for, owner, label):
        trail = Trail()

        response = client_for(owner).patch(url(label.project, "labels", label), {"active": False})

        assert response.status_code == 200
        event = trail.one("label.update", label.pk, owner)
        assert (event.before["active"], event.after["active"]) == (True, False)

    def test_deleting_an_unused_label_records_it(self, client_for, owner, label):
        trail = Trail()

        response = client_for(owner).delete(url(label.project, "labels", label))

        assert response.status_code == 204
        event = trail.one("label.delete", label.pk, owner)
        assert (event.before["name"], event.after) == ("Source attribution", None)

    def test_deleting_a_label_in_use_changes_nothing_and_records_nothing(self, client_for, owner, label, span):
        trail = Trail()

        response = client_for(owner).delete(url(label.project, "labels", label))

        assert response.status_code == 409
        assert Label.objects.filter(pk=label.pk).exists()
        trail.none()

    def test_a_label_with_a_taken_name_records_nothing(self, client_for, owner, label):
        trail = Trail()

        response = client_for(owner).post(url(label.project, "labels"), {"name": label.name})

        assert response.status_code == 400
        trail.none()

    def test_a_list_with_one_bad_label_stores_none_and_records_nothing(self, client_for, owner, project, label):
        trail = Trail()

        response = client_for(owner).post(
            url(project, "labels"), [{"name": "Fresh"}, {"name": label.name}], format="json"
        )

        assert response.status_code == 400
        assert not Label.objects.filter(project=project, name="Fresh").exists()
        trail.none()


class TestMemberAudit:
    def test_adding_a_member_records_it(self, client_for, owner, project, make_user):
        newcomer = make_user("newcomer")
        trail = Trail()

        response = client_for(owner).post(url(project, "members"), {"username": "newcomer", "role": "reviewer"})

        assert response.status_code == 201
        event = trail.one("member.create", response.json()["id"], owner)
        assert (event.after["user_id"], event.after["role"], event.before) == (newcomer.pk, "reviewer", None)

    def test_changing_a_role_records_before_and_after(self, client_for, owner, project, reviewer):
        member = Member.objects.get(project=project, user=reviewer)
        trail = Trail()

        response = client_for(owner).patch(url(project, "members", member), {"role": "annotator"})

        assert response.status_code == 200
        event = trail.one("member.update", member.pk, owner)
        assert (event.before["role"], event.after["role"]) == ("reviewer", "annotator")

    def test_removing_a_member_records_it(self, client_for, owner, project, reviewer):
        member = Member.objects.get(project=project, user=reviewer)
        trail = Trail()

        response = client_for(owner).delete(url(project, "members", member))

        assert response.status_code == 204
        event = trail.one("member.delete", member.pk, owner)
        assert (event.before["user_id"], event.before["role"], event.after) == (reviewer.pk, "reviewer", None)

    def test_the_last_owner_stepping_down_changes_nothing_and_records_nothing(self, client_for, owner, project):
        member = Member.objects.get(project=project, user=owner)
        trail = Trail()

        response = client_for(owner).patch(url(project, "members", member), {"role": "reviewer"})

        assert response.status_code == 409
        assert Member.objects.get(pk=member.pk).role == Role.OWNER
        trail.none()

    def test_adding_an_unknown_user_records_nothing(self, client_for, owner, project):
        trail = Trail()

        response = client_for(owner).post(url(project, "members"), {"username": "nobody", "role": "annotator"})

        assert response.status_code == 400
        trail.none()


class TestDocumentAudit:
    def test_creating_documents_records_one_event_each(self, client_for, owner, project):
        trail = Trail()

        response = client_for(owner).post(
            url(project, "documents"), [{"text": "First.\r\nLine.", "title": "One"}, {"text": "Second."}], format="json"
        )

        assert response.status_code == 201
        ids = [doc["id"] for doc in response.json()]
        events = trail.events()
        assert [(e.action, e.object_id) for e in events] == [("document.create", i) for i in ids]
        assert {(e.actor_id, e.project_id) for e in events} == {(owner.pk, project.pk)}
        assert (events[0].after["title"], events[0].after["text_length"], events[0].before) == ("One", 12, None)

    def test_updating_a_document_records_before_and_after(self, client_for, owner, document):
        trail = Trail()

        response = client_for(owner).patch(document_url(document), {"title": "Talks stall"})

        assert response.status_code == 200
        event = trail.one("document.update", document.pk, owner)
        assert (event.before["title"], event.after["title"]) == ("Talks resume", "Talks stall")

    def test_deleting_a_document_records_it(self, client_for, owner, document):
        trail = Trail()

        response = client_for(owner).delete(document_url(document))

        assert response.status_code == 204
        event = trail.one("document.delete", document.pk, owner)
        assert (event.before["external_id"], event.after) == ("talks-1", None)

    def test_changing_frozen_text_changes_nothing_and_records_nothing(self, client_for, owner, document, span):
        trail = Trail()

        response = client_for(owner).patch(document_url(document), {"text": "Rewritten.", "title": "New title"})

        assert response.status_code == 409
        stored = Document.objects.get(pk=document.pk)
        assert (stored.text, stored.title) == (ARTICLE, "Talks resume")
        trail.none()

    def test_a_list_with_a_taken_external_id_stores_none_and_records_nothing(self, client_for, owner, document):
        trail = Trail()

        response = client_for(owner).post(
            url(document.project, "documents"),
            [{"text": "Fresh.", "external_id": "fresh"}, {"text": "Again.", "external_id": "talks-1"}],
            format="json",
        )

        assert response.status_code == 400
        assert not Document.objects.filter(external_id="fresh").exists()
        trail.none()


class TestAssignmentAudit:
    def test_assigning_an_annotator_records_it(self, client_for, reviewer, document, third_annotator):
        trail = Trail()

        response = client_for(reviewer).post(document_url(document, "assignments"), {"username": "annotator3"})

        assert response.status_code == 201
        event = trail.one("assignment.create", response.json()["id"], reviewer)
        assert (event.after["user_id"], event.after["document_id"]) == (third_annotator.pk, document.pk)

    def test_unassigning_records_it(self, client_for, owner, document, annotator):
        assignment = Assignment.objects.get(document=document, user=annotator)
        trail = Trail()

        response = client_for(owner).delete(document_url(document, "assignments", assignment))

        assert response.status_code == 204
        event = trail.one("assignment.delete", assignment.pk, owner)
        assert (event.before["user_id"], event.after) == (annotator.pk, None)

    def test_assigning_someone_already_on_it_records_nothing(self, client_for, owner, document):
        trail = Trail()

        response = client_for(owner).post(document_url(document, "assignments"), {"username": "annotator"})

        assert response.status_code == 400
        trail.none()

    def test_submitting_records_the_status_change(self, client_for, annotator, document, span):
        assignment = Assignment.objects.get(document=document, user=annotator)
        trail = Trail()

        response = client_for(annotator).post(document_url(document, "submit"))

        assert response.status_code == 200
        event = trail.one("assignment.submit", assignment.pk, annotator)
        assert (event.before["status"], event.after["status"]) == (
            AssignmentStatus.IN_PROGRESS,
            AssignmentStatus.SUBMITTED,
        )

    def test_submitting_twice_records_once(self, client_for, annotator, document):
        client = client_for(annotator)
        client.post(document_url(document, "submit"))
        trail = Trail()

        response = client.post(document_url(document, "submit"))

        assert response.status_code == 200
        trail.none()

    def test_submitting_unassigned_work_records_nothing(self, client_for, annotator, document):
        Assignment.objects.filter(document=document, user=annotator).delete()
        trail = Trail()

        response = client_for(annotator).post(document_url(document, "submit"))

        assert response.status_code == 404  # a blind project's annotator: the document is not theirs to see
        trail.none()


class TestSpanAudit:
    def test_drawing_a_span_records_it(self, client_for, annotator, document, label):
        start, end = phrase("told reporters")
        trail = Trail()

        response = client_for(annotator).post(
            document_url(document, "spans"), {"label": label.pk, "start": start, "end": end}
        )

        assert response.status_code == 201
        event = trail.one("span.create", response.json()["id"], annotator)
        assert (event.object_type, event.project_id, event.before) == ("span", document.project_id, None)
        assert (event.after["start"], event.after["end"], event.after["label_id"]) == (start, end, label.pk)
        assert event.after["version"] == 1

    def test_changing_a_span_records_before_and_after(self, client_for, annotator, span):
        trail = Trail()

        response = client_for(annotator).patch(span_url(span), {"note": "quote", "version": 1})

        assert response.status_code == 200
        event = trail.one("span.update", span.pk, annotator)
        assert (event.before["note"], event.before["version"]) == ("", 1)
        assert (event.after["note"], event.after["version"]) == ("quote", 2)

    def test_deleting_a_span_records_it(self, client_for, annotator, span):
        trail = Trail()

        response = client_for(annotator).delete(span_url(span), HTTP_IF_MATCH='"1"')

        assert response.status_code == 204
        event = trail.one("span.delete", span.pk, annotator)
        assert (event.before["start"], event.before["version"], event.after) == (span.start, 1, None)

    def test_reviewing_a_span_records_the_decision(self, client_for, reviewer, span):
        trail = Trail()

        response = client_for(reviewer).post(
            span_url(span, "review"),
            {"decision": "rejected", "comment": "Not a source."},
        )

        assert response.status_code == 200
        event = trail.one("span.review", span.pk, reviewer)
        assert (event.before["review_status"], event.before["version"]) == ("pending", 1)
        assert (event.after["review_status"], event.after["review_comment"]) == ("rejected", "Not a source.")
        assert (event.after["reviewed_by_id"], event.after["version"]) == (reviewer.pk, 2)

    def test_a_span_with_a_foreign_label_stores_nothing_and_records_nothing(
        self, client_for, annotator, document, other_project
    ):
        foreign = other_project.labels.first()
        start, end = phrase("told reporters")
        trail = Trail()

        response = client_for(annotator).post(
            document_url(document, "spans"), {"label": foreign.pk, "start": start, "end": end}
        )

        assert response.status_code == 400
        assert "label" in response.json()
        assert not document.spans.exists()
        trail.none()

    def test_a_list_with_one_bad_span_stores_none_and_records_nothing(self, client_for, annotator, document, label):
        start, end = phrase("told reporters")
        trail = Trail()

        response = client_for(annotator).post(
            document_url(document, "spans"),
            [{"label": label.pk, "start": start, "end": end}, {"label": label.pk, "start": end, "end": 10**6}],
            format="json",
        )

        assert response.status_code == 400
        assert not document.spans.exists()
        trail.none()

    def test_a_stale_version_changes_nothing_and_records_nothing(self, client_for, annotator, span):
        client = client_for(annotator)
        client.patch(span_url(span), {"note": "first", "version": 1})
        trail = Trail()

        response = client.patch(span_url(span), {"note": "second", "version": 1})

        assert response.status_code == 409
        assert Span.objects.get(pk=span.pk).note == "first"
        trail.none()

    def test_a_stale_delete_keeps_the_span_and_records_nothing(self, client_for, annotator, span):
        client = client_for(annotator)
        client.patch(span_url(span), {"note": "first", "version": 1})
        trail = Trail()

        response = client.delete(span_url(span), {"version": 1})

        assert response.status_code == 409
        assert Span.objects.filter(pk=span.pk).exists()
        trail.none()

    def test_someone_elses_span_cannot_be_deleted_and_nothing_is_recorded(self, client_for, owner, span):
        trail = Trail()

        response = client_for(owner).delete(span_url(span))

        assert response.status_code == 403
        assert Span.objects.filter(pk=span.pk).exists()
        trail.none()


class TestGoldAudit:
    def test_adding_a_gold_span_records_it(self, client_for, reviewer, document, label):
        start, end = phrase("told reporters")
        trail = Trail()

        response = client_for(reviewer).post(
            document_url(document, "gold"), {"label": label.pk, "start": start, "end": end}
        )

        assert response.status_code == 201
        event = trail.one("gold.create", response.json()["id"], reviewer)
        assert (event.object_type, event.after["start"], event.after["end"]) == ("goldspan", start, end)

    def test_copying_a_span_to_gold_records_its_source(self, client_for, owner, span):
        trail = Trail()

        response = client_for(owner).post(document_url(span.document, "gold"), {"from_span": span.pk})

        assert response.status_code == 201
        event = trail.one("gold.create", response.json()["id"], owner)
        assert event.after["source_span_id"] == span.pk

    def test_changing_a_gold_span_records_before_and_after(self, client_for, reviewer, gold):
        _, end = phrase("he said in a statement")
        trail = Trail()

        response = client_for(reviewer).patch(gold_url(gold), {"end": end, "version": 1})

        assert response.status_code == 200
        event = trail.one("gold.update", gold.pk, reviewer)
        assert (event.before["end"], event.after["end"]) == (gold.end, end)
        assert (event.before["version"], event.after["version"]) == (1, 2)

    def test_deleting_a_gold_span_records_it(self, client_for, owner, gold):
        trail = Trail()

        response = client_for(owner).delete(gold_url(gold))

        assert response.status_code == 204
        event = trail.one("gold.delete", gold.pk, owner)
        assert (event.before["start"], event.after) == (gold.start, None)

    def test_a_duplicate_gold_span_records_nothing(self, client_for, reviewer, gold):
        trail = Trail()

        response = client_for(reviewer).post(
            document_url(gold.document, "gold"),
            {"label": gold.label_id, "start": gold.start, "end": gold.end},
        )

        assert response.status_code == 400
        assert GoldSpan.objects.filter(document=gold.document).count() == 1
        trail.none()


class TestUserAudit:
    def test_staff_creating_a_user_records_it_without_the_password(self, client_for, staff):
        trail = Trail()

        response = client_for(staff).post(
            "/api/v1/users/", {"username": "newhire", "password": "a-long-pass-phrase-42", "email": "n@example.org"}
        )

        assert response.status_code == 201
        event = trail.one("user.create", response.json()["id"], staff)
        assert (event.project_id, event.after["username"], event.after["email"]) == (None, "newhire", "n@example.org")
        assert "password" not in event.after

    def test_a_weak_password_creates_no_user_and_records_nothing(self, client_for, staff):
        trail = Trail()

        response = client_for(staff).post("/api/v1/users/", {"username": "newhire", "password": "123"})

        assert response.status_code == 400
        assert not get_user_model().objects.filter(username="newhire").exists()
        trail.none()


class TestAuditList:
    def test_the_owner_reads_the_trail_newest_first(self, client_for, owner, annotator, document, label):
        client = client_for(owner)
        client.patch(document_url(document), {"title": "Edited"})
        client_for(annotator).post(document_url(document, "spans"), {"label": label.pk, "start": 0, "end": 3})
        client.patch(url(document.project, "labels", label), {"description": "Who said it."})

        response = client.get(url(document.project, "audit"))

        assert response.status_code == 200
        results = response.json()["results"]
        assert [row["action"] for row in results[:4]] == [
            "codebook_version.create",
            "label.update",
            "span.create",
            "document.update",
        ]
        assert [row["actor"] for row in results[:4]] == ["owner", "owner", "annotator", "owner"]
        assert [row["id"] for row in results] == sorted((row["id"] for row in results), reverse=True)
        assert response.json()["count"] == AuditEvent.objects.filter(project=document.project).count()
        assert set(results[0]) == {"id", "actor", "action", "object_type", "object_id", "before", "after", "created_at"}

    def test_the_trail_holds_only_this_projects_events(self, client_for, owner, project, other_project, staff):
        client_for(staff).post("/api/v1/users/", {"username": "newhire", "password": "a-long-pass-phrase-42"})

        response = client_for(owner).get(url(project, "audit"), {"page_size": 1000})

        ids = {row["id"] for row in response.json()["results"]}
        assert ids == set(AuditEvent.objects.filter(project=project).values_list("id", flat=True))
        assert not ids & set(AuditEvent.objects.exclude(project=project).values_list("id", flat=True))

    @pytest.mark.parametrize(("role", "status"), [("reviewer", 403), ("annotator", 403), ("outsider", 404)])
    def test_only_the_owner_reads_the_trail(self, client_for, project, request, role, status):
        response = client_for(request.getfixturevalue(role)).get(url(project, "audit"))

        assert response.status_code == status

    def test_an_anonymous_caller_is_refused(self, client_for, project):
        response = client_for().get(url(project, "audit"))

        assert response.status_code == 401

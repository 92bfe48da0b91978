"""POST /projects/{p}/codebook/read/ (issue 17): each member records the codebook version whose guidelines they last
read; GET …/codebook/ gives it back to them as `guidelines_read_version`."""

import pytest

from annotator.models import AuditEvent, Member
from tests.conftest import url

pytestmark = pytest.mark.django_db


def edit_guidelines(client_for, owner, project, guidelines):
    response = client_for(owner).patch(url(project), {"guidelines": guidelines})
    assert response.status_code == 200, response.json()
    return response


def read_version(client_for, user, project):
    response = client_for(user).get(url(project, "codebook"))
    assert response.status_code == 200
    return response.json()["guidelines_read_version"]


def stored(user, project):
    return Member.objects.get(project=project, user=user).guidelines_read_version


class TestGuidelinesRead:
    def test_a_member_who_never_read_them_has_null(self, client_for, annotator, project):
        assert read_version(client_for, annotator, project) is None

    def test_an_annotator_records_the_version_they_read_and_the_codebook_gives_it_back(
        self, client_for, owner, annotator, project
    ):
        edit_guidelines(client_for, owner, project, "Mark every quote.")

        response = client_for(annotator).post(url(project, "codebook", "read"), {"version": 2}, format="json")

        assert response.status_code == 204
        assert response.content == b""
        assert read_version(client_for, annotator, project) == 2
        [event] = AuditEvent.objects.filter(action="member.guidelines_read", actor_username="annotator")
        assert (event.project_id, event.before, event.after) == (
            project.pk,
            {"guidelines_read_version": None},
            {"guidelines_read_version": 2},
        )

    def test_the_record_never_moves_back(self, client_for, owner, annotator, project):
        edit_guidelines(client_for, owner, project, "Mark every quote.")
        edit_guidelines(client_for, owner, project, "Mark every quote and its speaker.")
        client = client_for(annotator)
        assert client.post(url(project, "codebook", "read"), {"version": 3}, format="json").status_code == 204

        response = client.post(url(project, "codebook", "read"), {"version": 1}, format="json")

        assert response.status_code == 204  # an old tab saying so is no mistake; it changes nothing
        assert stored(annotator, project) == 3
        reads = AuditEvent.objects.filter(project=project, action="member.guidelines_read", actor_username="annotator")
        assert reads.count() == 1

    def test_each_member_records_only_their_own_reading(self, client_for, annotator, annotator2, reviewer, project):
        assert client_for(reviewer).post(url(project, "codebook", "read"), {"version": 1}).status_code == 204

        assert (stored(reviewer, project), stored(annotator, project), stored(annotator2, project)) == (1, None, None)
        assert read_version(client_for, annotator, project) is None

    def test_the_owner_who_edits_the_guidelines_has_read_them_and_nobody_else_has(
        self, client_for, owner, annotator, project
    ):
        edit_guidelines(client_for, owner, project, "Mark every quote.")

        assert (stored(owner, project), stored(annotator, project)) == (2, None)
        [event] = AuditEvent.objects.filter(action="member.guidelines_read")
        assert (event.actor_username, event.after) == ("owner", {"guidelines_read_version": 2})

    def test_a_change_of_labels_alone_moves_nobodys_record(self, client_for, owner, project, label):
        response = client_for(owner).patch(url(project, "labels", label), {"name": "Attribution"})

        assert response.status_code == 200
        assert stored(owner, project) is None

    def test_other_methods_are_not_allowed(self, client_for, annotator, project):
        client = client_for(annotator)
        for method in ("get", "put", "patch", "delete"):
            assert getattr(client, method)(url(project, "codebook", "read")).status_code == 405
        assert stored(annotator, project) is None


class TestBadInput:
    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"version": None},
            {"version": 0},
            {"version": -1},
            {"version": 2},  # the codebook has only version 1
            {"version": 2**31},
            {"version": 10**30},
            {"version": "1"},
            {"version": 1.5},
            {"version": True},
            {"version": [1]},
            {"number": 1},
            [{"version": 1}],
            "1",
        ],
        ids=repr,
    )
    def test_a_bad_version_is_a_400_naming_it_and_stores_nothing(self, client_for, annotator, project, body):
        response = client_for(annotator).post(url(project, "codebook", "read"), body, format="json")

        assert response.status_code == 400, response.content
        assert set(response.json()) <= {"version", "non_field_errors"}
        assert stored(annotator, project) is None
        assert not AuditEvent.objects.filter(action="member.guidelines_read").exists()

    def test_a_version_that_does_not_exist_is_named(self, client_for, annotator, project):
        response = client_for(annotator).post(url(project, "codebook", "read"), {"version": 7}, format="json")

        assert response.json() == {"version": ["This codebook has no version 7."]}

    def test_a_version_of_another_project_is_refused(self, client_for, outsider, annotator, project, other_project):
        other = client_for(outsider)
        assert other.patch(url(other_project), {"guidelines": "Elsewhere."}).status_code == 200

        response = client_for(annotator).post(url(project, "codebook", "read"), {"version": 2}, format="json")

        assert response.status_code == 400
        assert stored(annotator, project) is None

    def test_an_outsider_is_not_found_and_records_nothing(self, client_for, outsider, annotator, project):
        response = client_for(outsider).post(url(project, "codebook", "read"), {"version": 1}, format="json")

        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="member.guidelines_read").exists()

from annotator.models import Member, Role, Span
from tests.conftest import url
from tests.factories import ARTICLE


def member_row(project, user):
    return Member.objects.get(project=project, user=user)


class TestMemberList:
    def test_rows_name_users_by_username_with_their_role(self, client_for, annotator, project):
        response = client_for(annotator).get(url(project, "members"))

        assert response.status_code == 200
        rows = response.json()["results"]
        assert {(row["username"], row["role"]) for row in rows} == {
            ("owner", "owner"),
            ("reviewer", "reviewer"),
            ("annotator", "annotator"),
            ("annotator2", "annotator"),
        }
        assert all(set(row) == {"id", "username", "role"} for row in rows)


class TestMemberAdd:
    def test_owner_adds_a_user_with_a_role(self, client_for, owner, outsider, project):
        response = client_for(owner).post(url(project, "members"), {"username": "outsider", "role": "reviewer"})

        assert response.status_code == 201, response.json()
        assert response.json()["username"] == "outsider"
        assert response.json()["role"] == "reviewer"
        assert member_row(project, outsider).role == Role.REVIEWER
        assert client_for(outsider).get(url(project)).status_code == 200

    def test_an_unknown_user_is_refused_naming_username(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "members"), {"username": "nobody", "role": "annotator"})

        assert response.status_code == 400
        assert "username" in response.json()
        assert Member.objects.filter(project=project).count() == 4

    def test_a_member_cannot_be_added_twice(self, client_for, owner, annotator, project):
        response = client_for(owner).post(url(project, "members"), {"username": "annotator", "role": "reviewer"})

        assert response.status_code == 400
        assert "username" in response.json()
        assert member_row(project, annotator).role == Role.ANNOTATOR

    def test_an_unknown_role_is_refused_naming_role(self, client_for, owner, outsider, project):
        response = client_for(owner).post(url(project, "members"), {"username": "outsider", "role": "admin"})

        assert response.status_code == 400
        assert "role" in response.json()
        assert not Member.objects.filter(project=project, user=outsider).exists()

    def test_posting_a_list_answers_201_with_the_list(self, client_for, owner, outsider, make_user, project):
        make_user("analyst")
        body = [{"username": "outsider", "role": "annotator"}, {"username": "analyst", "role": "reviewer"}]

        response = client_for(owner).post(url(project, "members"), body)

        assert response.status_code == 201, response.json()
        assert [(row["username"], row["role"]) for row in response.json()] == [
            ("outsider", "annotator"),
            ("analyst", "reviewer"),
        ]

    def test_a_list_naming_an_unknown_user_adds_nobody(self, client_for, owner, outsider, project):
        body = [{"username": "outsider", "role": "annotator"}, {"username": "nobody", "role": "reviewer"}]

        response = client_for(owner).post(url(project, "members"), body)

        assert response.status_code == 400
        assert not Member.objects.filter(project=project, user=outsider).exists()


class TestMemberUpdate:
    def test_owner_changes_a_role(self, client_for, owner, reviewer, project):
        target = member_row(project, reviewer)

        response = client_for(owner).patch(url(project, "members", target), {"role": "annotator"})

        assert response.status_code == 200, response.json()
        assert response.json() == {"id": target.pk, "username": "reviewer", "role": "annotator"}
        assert member_row(project, reviewer).role == Role.ANNOTATOR

    def test_the_last_owner_cannot_step_down(self, client_for, owner, project):
        target = member_row(project, owner)

        response = client_for(owner).patch(url(project, "members", target), {"role": "reviewer"})

        assert response.status_code == 409
        assert "detail" in response.json()
        assert member_row(project, owner).role == Role.OWNER

    def test_an_owner_steps_down_once_someone_else_is_owner(self, client_for, owner, reviewer, project):
        client = client_for(owner)
        client.patch(url(project, "members", member_row(project, reviewer)), {"role": "owner"})

        response = client.patch(url(project, "members", member_row(project, owner)), {"role": "reviewer"})

        assert response.status_code == 200, response.json()
        assert member_row(project, owner).role == Role.REVIEWER
        assert member_row(project, reviewer).role == Role.OWNER


class TestMemberRemove:
    def test_owner_removes_a_member(self, client_for, owner, reviewer, project):
        response = client_for(owner).delete(url(project, "members", member_row(project, reviewer)))

        assert response.status_code == 204
        assert not Member.objects.filter(project=project, user=reviewer).exists()
        assert client_for(reviewer).get(url(project)).status_code == 404

    def test_the_last_owner_cannot_be_removed(self, client_for, owner, project):
        response = client_for(owner).delete(url(project, "members", member_row(project, owner)))

        assert response.status_code == 409
        assert Member.objects.filter(project=project, user=owner, role=Role.OWNER).exists()

    def test_one_of_two_owners_can_be_removed(self, client_for, owner, reviewer, project):
        client = client_for(owner)
        client.patch(url(project, "members", member_row(project, reviewer)), {"role": "owner"})

        response = client.delete(url(project, "members", member_row(project, owner)))

        assert response.status_code == 204
        assert list(Member.objects.filter(project=project, role=Role.OWNER).values_list("user", flat=True)) == [
            reviewer.pk
        ]

    def test_a_removed_annotators_spans_stay(self, client_for, owner, annotator, document, label):
        start = ARTICLE.index("told reporters")
        created = client_for(annotator).post(
            url(document.project, "documents", document, "spans"),
            {"label": label.pk, "start": start, "end": start + len("told reporters")},
        )
        assert created.status_code == 201, created.json()

        response = client_for(owner).delete(url(document.project, "members", member_row(document.project, annotator)))

        assert response.status_code == 204
        assert Span.objects.filter(pk=created.json()["id"], annotator=annotator).exists()

"""POST /projects/{p}/labels/{l}/merge/ and /questions/{q}/merge/: the answer's shape, the refusals (400 naming the
field, 409, 403, another project's label like a missing one), and merges racing a rename or span posts over live
HTTP, which end with every span on one label or the other, never half-moved."""

import pytest
from rest_framework.authtoken.models import Token

from annotator.models import AuditEvent, CodebookVersion, Label, Span
from tests.arrange import answer, draw, draw_gold, make_question, suggest
from tests.conftest import url


def merge_url(label):
    return url(label.project, "labels", label) + "merge/"


@pytest.fixture
def appeal(project):
    return project.labels.get(name="Editorial appeal")


@pytest.fixture
def drawn(annotator, annotator2, reviewer, owner, document, label):
    """Two spans, a gold span and a suggestion of `label`."""
    draw(annotator, document, label, "told reporters")
    draw(annotator2, document, label, "told reporters")
    draw_gold(reviewer, document, label, "he said")
    suggest(owner, document, label, "Monday")


def snapshot_of(document):
    return sorted(Span.objects.filter(document=document).values_list("id", "label_id", "version"))


class TestLabelMergeApi:
    def test_the_owner_merges_and_gets_the_target_with_the_counts(
        self, client_for, owner, document, label, appeal, drawn
    ):
        response = client_for(owner).post(merge_url(label), {"into": appeal.pk}, format="json")

        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["label"] == {
            "id": appeal.pk,
            "name": "Editorial appeal",
            "key": appeal.key,
            "color": appeal.color,
            "description": appeal.description,
            "active": True,
        }
        assert {k: body["moved"][k] for k in ("spans", "gold_spans", "suggestions", "duplicates_dropped")} == {
            "spans": 2,
            "gold_spans": 1,
            "suggestions": 1,
            "duplicates_dropped": 0,
        }
        assert body["codebook_version"] == CodebookVersion.objects.filter(project=label.project).count()
        assert not Label.objects.filter(pk=label.pk).exists()
        assert set(Span.objects.filter(document=document).values_list("label_id", "codebook_version")) == {
            (appeal.pk, body["codebook_version"])
        }
        versions = client_for(owner).get(url(label.project, "codebook", "versions")).json()["results"]
        assert versions[0]["changes"] == ['label "Source attribution" merged into "Editorial appeal"']
        assert AuditEvent.objects.filter(action="label.merge").count() == 1

    def test_a_span_version_from_before_the_merge_is_stale(self, client_for, annotator, document, label, appeal):
        span = draw(annotator, document, label)
        client_for(label.project.created_by).post(merge_url(label), {"into": appeal.pk}, format="json")

        response = client_for(annotator).patch(
            url(document.project, "documents", document, "spans", span), {"note": "late", "version": 1}, format="json"
        )

        assert response.status_code == 409
        assert (response.json()["version"], response.json()["label"]) == (2, appeal.pk)

    def test_a_reviewer_may_not_merge(self, client_for, reviewer, document, label, appeal, drawn):
        before = snapshot_of(document)

        response = client_for(reviewer).post(merge_url(label), {"into": appeal.pk}, format="json")

        assert response.status_code == 403
        assert snapshot_of(document) == before

    @pytest.mark.parametrize("into", [None, "Editorial appeal", 0, [1], True])
    def test_a_malformed_target_is_refused_naming_into(self, client_for, owner, document, label, drawn, into):
        before = snapshot_of(document)

        response = client_for(owner).post(merge_url(label), {} if into is None else {"into": into}, format="json")

        assert response.status_code == 400
        assert list(response.json()) == ["into"]
        assert snapshot_of(document) == before

    def test_another_projects_label_is_refused_as_a_missing_one(
        self, client_for, owner, document, label, drawn, other_project
    ):
        foreign = other_project.labels.order_by("id").first()
        missing = 987_654_321
        before = snapshot_of(document)
        client = client_for(owner)

        foreign_answer = client.post(merge_url(label), {"into": foreign.pk}, format="json")
        missing_answer = client.post(merge_url(label), {"into": missing}, format="json")

        assert foreign_answer.status_code == missing_answer.status_code == 400
        assert foreign_answer.json() == {"into": [f"Label {foreign.pk} is not a label of this project."]}
        assert missing_answer.json() == {"into": [f"Label {missing} is not a label of this project."]}
        assert snapshot_of(document) == before
        assert Label.objects.filter(pk=foreign.pk).exists()

    def test_merging_another_projects_label_from_here_is_not_found(
        self, client_for, owner, project, appeal, other_project
    ):
        foreign = other_project.labels.order_by("id").first()

        response = client_for(owner).post(
            url(project, "labels", foreign) + "merge/", {"into": appeal.pk}, format="json"
        )

        assert response.status_code == 404
        assert Label.objects.filter(pk=foreign.pk).exists()

    def test_into_itself_or_a_deactivated_label_is_a_conflict(self, client_for, owner, document, label, appeal, drawn):
        client = client_for(owner)
        before = snapshot_of(document)

        itself = client.post(merge_url(label), {"into": label.pk}, format="json")
        client.patch(url(label.project, "labels", appeal), {"active": False}, format="json")
        deactivated = client.post(merge_url(label), {"into": appeal.pk}, format="json")

        assert (itself.status_code, deactivated.status_code) == (409, 409)
        assert "itself" in itself.json()["detail"]
        assert "deactivated" in deactivated.json()["detail"]
        assert snapshot_of(document) == before
        assert not AuditEvent.objects.filter(action="label.merge").exists()

    def test_the_merge_asks_the_same_number_of_queries_for_few_spans_or_many(
        self, client_for, owner, annotator, document, label, appeal, django_assert_max_num_queries
    ):
        for start in range(0, 60, 2):
            Span.objects.create(document=document, annotator=annotator, label=label, start=start, end=start + 1)
        client = client_for(owner)
        client.get(url(label.project))  # the token's user and its session warm

        with django_assert_max_num_queries(40):
            response = client.post(merge_url(label), {"into": appeal.pk}, format="json")

        assert response.status_code == 200
        assert response.json()["moved"]["spans"] == 30


class TestQuestionMergeApi:
    @pytest.fixture
    def tone(self, owner, project):
        return make_question(owner, project, "Tone", options=["pro", "mixed", "neutral"])

    def merge(self, client, question, body):
        return client.post(url(question.project, "questions", question) + "merge/", body, format="json")

    def test_the_owner_merges_an_option(self, client_for, owner, annotator, document, tone):
        given = answer(annotator, document, tone, "mixed")

        response = self.merge(client_for(owner), tone, {"option": "mixed", "into": "neutral"})

        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["question"]["id"], body["question"]["options"]) == (tone.pk, ["pro", "neutral"])
        assert body["moved"] == {"answers": 1, "gold_answers": 0}
        answered = client_for(annotator).get(url(document.project, "documents", document, "answers", given)).json()
        assert (answered["value"], answered["version"], answered["codebook_version"]) == (
            "neutral",
            2,
            body["codebook_version"],
        )

    @pytest.mark.parametrize(
        ("body", "status", "named"),
        [
            ({"option": "sarcastic", "into": "neutral"}, 400, ["option"]),
            ({"option": "mixed"}, 400, ["into"]),
            ({"option": 3, "into": "neutral"}, 400, ["option"]),
            ({"option": "mixed", "into": "mixed"}, 409, ["detail"]),
        ],
    )
    def test_bad_bodies_change_nothing(self, client_for, owner, annotator, document, tone, body, status, named):
        answer(annotator, document, tone, "mixed")

        response = self.merge(client_for(owner), tone, body)

        assert response.status_code == status
        assert list(response.json()) == named
        tone.refresh_from_db()
        assert tone.options == ["pro", "mixed", "neutral"]

    def test_a_scale_question_is_refused(self, client_for, owner, project):
        slant = make_question(owner, project, "Slant", "scale", min=1, max=5)

        response = self.merge(client_for(owner), slant, {"option": "1", "into": "2"})

        assert response.status_code == 400
        assert list(response.json()) == ["option"]

    def test_an_annotator_may_not_merge(self, client_for, annotator, tone):
        assert self.merge(client_for(annotator), tone, {"option": "mixed", "into": "neutral"}).status_code == 403


@pytest.mark.django_db(transaction=True)
class TestRacingMerges:
    @pytest.fixture
    def tokens(self, owner, annotator, annotator2):
        return {user.username: Token.objects.get_or_create(user=user)[0].key for user in (owner, annotator, annotator2)}

    def test_a_merge_racing_a_rename_of_the_label_is_never_half_done(
        self, api, tokens, owner, annotator, document, project, appeal
    ):
        for round_ in range(4):
            label = Label.objects.create(project=project, name=f"Round {round_}")
            for start in range(40 * round_, 40 * round_ + 40, 4):  # no span copies another round's
                Span.objects.create(document=document, annotator=annotator, label=label, start=start, end=start + 2)
            total = Span.objects.filter(document=document).count()

            def merge(send, label=label):
                return send("POST", merge_url(label), tokens["owner"], {"into": appeal.pk})

            def rename(send, label=label, round_=round_):
                return send("PATCH", url(project, "labels", label), tokens["owner"], {"name": f"Renamed {round_}"})

            (merged, merge_body), (renamed, _) = api.race([merge, rename])

            assert merged == 200, merge_body
            assert renamed in (200, 404)
            assert not Label.objects.filter(pk=label.pk).exists()
            assert not Label.objects.filter(name=f"Renamed {round_}").exists()
            assert Span.objects.filter(label=label).count() == 0
            assert Span.objects.filter(document=document, label=appeal).count() == total
            line = CodebookVersion.objects.filter(project=project).order_by("-number").first().changes
            name = f"Renamed {round_}" if renamed == 200 else f"Round {round_}"
            assert line == [f'label "{name}" merged into "Editorial appeal"']

    def test_spans_drawn_while_their_label_is_merged_end_on_the_target_or_are_refused(
        self, api, tokens, project, document, appeal
    ):
        label = Label.objects.create(project=project, name="Short-lived")
        spans_url = url(project, "documents", document, "spans")

        def post(username, start):
            def job(send):
                return send("POST", spans_url, tokens[username], {"label": label.pk, "start": start, "end": start + 3})

            return job

        def merge(send):
            return send("POST", merge_url(label), tokens["owner"], {"into": appeal.pk})

        results = api.race([merge, *(post(name, start) for name in ("annotator", "annotator2") for start in (0, 9))])

        assert results[0][0] == 200, results[0]
        assert all(status in (201, 400, 409) for status, _ in results[1:]), results
        drawn = sum(status == 201 for status, _ in results[1:])
        assert not Label.objects.filter(pk=label.pk).exists()
        assert Span.objects.filter(document=document, label=appeal).count() == drawn
        assert results[0][1]["moved"]["spans"] <= drawn

"""The suggestion endpoints as SPEC's Suggestions section gives them: one or a list posted by an owner, a reviewer
or their script, stored once however often sent; every member who sees the document sees them, each with their own
decision; accepting makes the caller's span (origin: the source), rejecting records it, deciding twice is a 409."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.models import AuditEvent, Span, Suggestion, SuggestionDecision
from annotator.services.assignments import assignment_delete
from annotator.services.projects import project_update
from tests.arrange import draw, member_of, over, suggest
from tests.conftest import document_url, url
from tests.factories import ARTICLE

SUGGESTION_KEYS = {"id", "document", "label", "start", "end", "text", "score", "source", "decision", "created_at"}


@pytest.fixture
def world(class_world):
    """One world per class (tests/conftest.py), each test's changes rolled back after it."""
    return class_world


def suggestions_url(world, *parts):
    return document_url(world.document, "suggestions", *parts)


def body(world, label="Official statement", text="in a statement", **fields):
    return {**over(world.document, label, text), "score": 0.75, "source": "team-model", **fields}


class TestSuggestionCreate:
    def test_an_owner_posts_one_and_gets_it_back_with_its_text(self, world, client_for):
        response = client_for(world.owner).post(suggestions_url(world), body(world), format="json")

        assert response.status_code == 201, response.json()
        suggestion = response.json()
        assert set(suggestion) == SUGGESTION_KEYS
        assert (suggestion["text"], suggestion["score"], suggestion["source"], suggestion["decision"]) == (
            "in a statement",
            0.75,
            "team-model",
            None,
        )
        assert suggestion["created_at"].endswith("Z")
        assert AuditEvent.objects.filter(action="suggestion.create", object_id=suggestion["id"]).count() == 1

    def test_a_script_with_a_token_posts_a_list_and_gets_the_list(self, world, client_for):
        items = [body(world), body(world, "Source attribution", "Ілля Коваль", score=None, source="lexicon:cues")]

        response = client_for(world.reviewer).post(suggestions_url(world), items, format="json")

        assert response.status_code == 201, response.json()
        assert [(s["text"], s["score"]) for s in response.json()] == [("in a statement", 0.75), ("Ілля Коваль", None)]

    def test_an_equal_suggestion_is_stored_once_and_still_listed(self, world, client_for):
        client = client_for(world.owner)
        first = client.post(suggestions_url(world), body(world), format="json").json()
        count = Suggestion.objects.count()

        again = client.post(suggestions_url(world), [body(world, score=0.1), body(world)], format="json")

        assert again.status_code == 201
        assert [s["id"] for s in again.json()] == [first["id"], first["id"]]
        assert again.json()[0]["score"] == 0.75  # the stored one, unchanged
        assert Suggestion.objects.count() == count
        assert AuditEvent.objects.filter(action="suggestion.create").count() == count

    def test_the_same_span_from_another_source_is_another_suggestion(self, world, client_for):
        client = client_for(world.owner)
        first = client.post(suggestions_url(world), body(world), format="json").json()

        other = client.post(suggestions_url(world), body(world, source="another-model"), format="json").json()

        assert other["id"] != first["id"]

    def test_a_repeated_suggestion_shows_the_callers_decision(self, world, client_for):
        client = client_for(world.owner)
        client.post(suggestions_url(world, world.suggestion, "reject"))
        again = {"label": world.suggestion.label_id, "start": world.suggestion.start, "end": world.suggestion.end}

        response = client.post(suggestions_url(world), {**again, "source": "lexicon:cues"}, format="json")

        assert (response.json()["id"], response.json()["decision"]) == (world.suggestion.pk, "rejected")

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"start": 0, "end": len(ARTICLE) + 1}, "end"),
            ({"start": len(ARTICLE), "end": len(ARTICLE) + 2}, "start"),
            ({"start": 9, "end": 9}, "end"),
            ({"score": 1.5}, "score"),
            ({"score": -0.01}, "score"),
            ({"source": ""}, "source"),
            ({"source": "x" * 101}, "source"),
        ],
    )
    def test_a_bad_field_is_named_and_nothing_of_the_list_is_stored(self, world, client_for, change, field):
        count = Suggestion.objects.count()

        response = client_for(world.owner).post(
            suggestions_url(world), [body(world), body(world, **change)], format="json"
        )

        assert response.status_code == 400
        assert field in str(response.json())
        assert Suggestion.objects.count() == count

    def test_a_label_of_another_project_is_refused(self, world, client_for, other_project):
        foreign = other_project.labels.first()

        response = client_for(world.owner).post(suggestions_url(world), body(world, label=foreign), format="json")

        assert response.status_code == 400
        assert "label" in response.json()

    def test_a_deactivated_label_is_refused(self, world, client_for):
        world.spare_label.active = False
        world.spare_label.save()

        response = client_for(world.owner).post(suggestions_url(world), body(world, world.spare_label), format="json")

        assert response.status_code == 400
        assert "label" in response.json()

    def test_a_list_of_1001_is_refused_and_nothing_stored(self, world, client_for):
        count = Suggestion.objects.count()
        items = [body(world, source=f"model-{n}") for n in range(1001)]

        response = client_for(world.owner).post(suggestions_url(world), items, format="json")

        assert response.status_code == 400
        assert "non_field_errors" in response.json()
        assert Suggestion.objects.count() == count

    def test_a_list_of_1000_is_stored(self, world, client_for):
        items = [body(world, source=f"model-{n}") for n in range(1000)]

        response = client_for(world.owner).post(suggestions_url(world), items, format="json")

        assert response.status_code == 201
        assert Suggestion.objects.filter(source__startswith="model-").count() == 1000

    @pytest.mark.parametrize("payload", ["a string", 3, None, True])
    def test_a_body_neither_object_nor_list_is_refused(self, world, client_for, payload):
        count = Suggestion.objects.count()

        response = client_for(world.owner).post(suggestions_url(world), payload, format="json")

        assert response.status_code == 400
        assert Suggestion.objects.count() == count


class TestSuggestionList:
    def test_members_see_the_suggestions_with_their_own_decision(self, world, client_for):
        client_for(world.annotator).post(suggestions_url(world, world.suggestion, "reject"))

        mine = client_for(world.annotator).get(suggestions_url(world)).json()["results"]
        theirs = client_for(world.annotator2).get(suggestions_url(world)).json()["results"]

        assert [(s["id"], s["decision"]) for s in mine] == [(world.suggestion.pk, "rejected")]
        assert [(s["id"], s["decision"]) for s in theirs] == [(world.suggestion.pk, None)]

    def test_open_lists_only_what_the_caller_has_not_decided(self, world, client_for):
        later = suggest(world.owner, world.document, "Source attribution", "Ілля Коваль")
        client = client_for(world.annotator)
        client.post(suggestions_url(world, world.suggestion, "accept"), {}, format="json")

        open_ones = client.get(suggestions_url(world), {"open": "true"}).json()
        every = client.get(suggestions_url(world)).json()

        assert [s["id"] for s in open_ones["results"]] == [later.pk]
        assert open_ones["count"] == 1
        assert [s["id"] for s in every["results"]] == [later.pk, world.suggestion.pk]  # by start

    def test_a_blind_projects_annotator_sees_every_suggestion_but_only_their_own_decisions(self, world, client_for):
        assert world.project.blind
        client_for(world.annotator2).post(suggestions_url(world, world.suggestion, "accept"), {}, format="json")

        listed = client_for(world.annotator).get(suggestions_url(world)).json()["results"]

        assert [(s["id"], s["decision"]) for s in listed] == [(world.suggestion.pk, None)]

    def test_a_blind_projects_annotator_does_not_see_the_suggestions_of_a_document_not_theirs(self, world, client_for):
        assignment_delete(actor=member_of(world.owner, world.project), assignment=world.assignment)

        response = client_for(world.annotator2).get(suggestions_url(world))

        assert response.status_code == 404

    @pytest.mark.parametrize("count", [10, 1000])
    def test_the_list_takes_the_same_queries_however_many(
        self, world, client_for, django_assert_max_num_queries, count
    ):
        items = [body(world, source=f"model-{n}") for n in range(count)]
        client = client_for(world.annotator)
        client_for(world.owner).post(suggestions_url(world), items, format="json")

        with django_assert_max_num_queries(5):
            response = client.get(suggestions_url(world), {"page_size": 1000})

        assert response.status_code == 200
        assert len(response.json()["results"]) == min(count + 1, 1000)


class TestSuggestionAccept:
    def test_accepting_makes_the_callers_span_with_the_source_as_origin(self, world, client_for):
        response = client_for(world.annotator).post(
            suggestions_url(world, world.suggestion, "accept"), {}, format="json"
        )

        assert response.status_code == 201, response.json()
        span = response.json()
        assert (span["annotator"], span["label"], span["start"], span["end"], span["origin"]) == (
            "annotator",
            world.suggestion.label_id,
            world.suggestion.start,
            world.suggestion.end,
            "lexicon:cues",
        )
        decision = SuggestionDecision.objects.get(suggestion=world.suggestion, user=world.annotator)
        assert (decision.decision, decision.span_id) == ("accepted", span["id"])
        assert AuditEvent.objects.filter(action="span.create", object_id=span["id"]).count() == 1
        assert AuditEvent.objects.filter(action="suggestion.accept", object_id=decision.pk).count() == 1

    def test_a_label_in_the_body_replaces_the_suggestions(self, world, client_for):
        response = client_for(world.annotator).post(
            suggestions_url(world, world.suggestion, "accept"), {"label": world.spare_label.pk}, format="json"
        )

        assert response.status_code == 201
        assert response.json()["label"] == world.spare_label.pk

    def test_a_label_of_another_project_is_refused_and_nothing_recorded(self, world, client_for, other_project):
        response = client_for(world.annotator).post(
            suggestions_url(world, world.suggestion, "accept"),
            {"label": other_project.labels.first().pk},
            format="json",
        )

        assert response.status_code == 400
        assert "label" in response.json()
        assert not SuggestionDecision.objects.exists()

    def test_accepting_a_span_the_caller_has_already_records_it_and_answers_200_with_that_span(self, world, client_for):
        existing = draw(world.annotator, world.document, world.suggestion.label, "talks would resume")

        response = client_for(world.annotator).post(
            suggestions_url(world, world.suggestion, "accept"), {}, format="json"
        )

        assert response.status_code == 200
        assert (response.json()["id"], response.json()["origin"]) == (existing.pk, None)
        assert SuggestionDecision.objects.get(user=world.annotator).span_id == existing.pk

    def test_deciding_twice_is_a_conflict(self, world, client_for):
        client = client_for(world.annotator)
        client.post(suggestions_url(world, world.suggestion, "accept"), {}, format="json")
        spans = Span.objects.count()

        again = client.post(suggestions_url(world, world.suggestion, "accept"), {}, format="json")
        reject = client.post(suggestions_url(world, world.suggestion, "reject"))

        assert (again.status_code, reject.status_code) == (409, 409)
        assert "detail" in again.json()
        assert Span.objects.count() == spans
        assert SuggestionDecision.objects.get().decision == "accepted"

    def test_an_annotator_not_assigned_the_document_may_not_accept(self, world, client_for):
        project_update(member=member_of(world.owner, world.project), blind=False)

        response = client_for(world.third_annotator).post(
            suggestions_url(world, world.suggestion, "accept"), {}, format="json"
        )

        assert response.status_code == 403
        assert not SuggestionDecision.objects.exists()

    def test_deleting_the_accepted_span_leaves_the_suggestion_decided(self, world, client_for):
        client = client_for(world.annotator)
        span = client.post(suggestions_url(world, world.suggestion, "accept"), {}, format="json").json()

        client.delete(document_url(world.document, "spans", span["id"]))

        assert client.get(suggestions_url(world), {"open": "true"}).json()["count"] == 0
        assert SuggestionDecision.objects.get().span_id is None


class TestSuggestionReject:
    def test_rejecting_records_it_and_answers_the_suggestion(self, world, client_for):
        response = client_for(world.annotator).post(suggestions_url(world, world.suggestion, "reject"))

        assert response.status_code == 200
        assert (response.json()["id"], response.json()["decision"]) == (world.suggestion.pk, "rejected")
        decision = SuggestionDecision.objects.get()
        assert (decision.user, decision.span) == (world.annotator, None)
        assert AuditEvent.objects.filter(action="suggestion.reject", object_id=decision.pk).count() == 1

    def test_an_annotator_not_assigned_the_document_may_not_reject(self, world, client_for):
        project_update(member=member_of(world.owner, world.project), blind=False)

        response = client_for(world.third_annotator).post(suggestions_url(world, world.suggestion, "reject"))

        assert response.status_code == 403
        assert not SuggestionDecision.objects.exists()


class TestSuggestionWithdraw:
    def test_withdrawing_a_rejection_opens_the_suggestion_again_audited(self, world, client_for):
        client = client_for(world.annotator)
        client.post(suggestions_url(world, world.suggestion, "reject"))

        response = client.delete(suggestions_url(world, world.suggestion, "decision"))

        assert response.status_code == 200
        assert (response.json()["id"], response.json()["decision"]) == (world.suggestion.pk, None)
        assert not SuggestionDecision.objects.exists()
        assert [s["id"] for s in client.get(suggestions_url(world), {"open": "true"}).json()["results"]] == [
            world.suggestion.pk
        ]
        event = AuditEvent.objects.get(action="suggestion.withdraw")
        assert (event.actor_id, event.before["decision"]) == (world.annotator.pk, "rejected")

    def test_withdrawing_an_acceptance_keeps_the_span_and_the_suggestion_may_be_decided_again(self, world, client_for):
        client = client_for(world.annotator)
        span = client.post(suggestions_url(world, world.suggestion, "accept"), {}, format="json").json()

        assert client.delete(suggestions_url(world, world.suggestion, "decision")).status_code == 200

        assert Span.objects.filter(pk=span["id"]).exists()
        assert client.post(suggestions_url(world, world.suggestion, "reject")).status_code == 200

    def test_only_the_callers_own_decision_is_withdrawn(self, world, client_for):
        client_for(world.reviewer).post(suggestions_url(world, world.suggestion, "reject"))

        response = client_for(world.annotator).delete(suggestions_url(world, world.suggestion, "decision"))

        assert response.status_code == 404
        assert response.json() == {"detail": "You have not decided on this suggestion."}
        assert SuggestionDecision.objects.get().user == world.reviewer

    def test_an_annotator_not_assigned_the_document_may_not_withdraw(self, world, client_for):
        project_update(member=member_of(world.owner, world.project), blind=False)

        response = client_for(world.third_annotator).delete(suggestions_url(world, world.suggestion, "decision"))

        assert response.status_code == 403


class TestSuggestionDelete:
    def test_deleting_takes_the_decisions_along_audited_and_leaves_the_spans(self, world, client_for):
        span = (
            client_for(world.annotator)
            .post(suggestions_url(world, world.suggestion, "accept"), {}, format="json")
            .json()
        )

        response = client_for(world.reviewer).delete(suggestions_url(world, world.suggestion))

        assert response.status_code == 204
        assert not Suggestion.objects.filter(pk=world.suggestion.pk).exists()
        assert not SuggestionDecision.objects.exists()
        assert Span.objects.get(pk=span["id"]).origin == "lexicon:cues"
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"suggestion.delete", "suggestion_decision.delete"} <= actions

    def test_a_label_with_suggestions_is_in_use(self, world, client_for):
        label = world.spare_label
        suggest(world.owner, world.document, label, "Monday")

        response = client_for(world.owner).delete(url(world.project, "labels", label))

        assert response.status_code == 409


class TestOriginInterchange:
    def test_the_jsonl_export_carries_each_spans_origin(self, world, client_for):
        client_for(world.annotator).post(suggestions_url(world, world.suggestion, "accept"), {}, format="json")

        response = client_for(world.owner).get(url(world.project, "export"), {"format": "jsonl"})

        [line] = [json.loads(row) for row in b"".join(response.streaming_content).splitlines()]
        origins = {(s["text"], s["annotator"]): s["origin"] for s in line["spans"]}
        assert origins[("talks would resume", "annotator")] == "lexicon:cues"
        assert origins[("told reporters", "annotator")] is None

    def test_a_jsonl_import_keeps_the_origin_it_is_given(self, world, client_for):
        record = {"text": "Peskov said talks resume.", "spans": [
            {"start": 0, "end": 6, "label": "Source attribution", "origin": "ner:spacy"},
            {"start": 7, "end": 11, "label": "Source attribution"},
        ]}  # fmt: skip
        upload = SimpleUploadedFile("wire.jsonl", json.dumps(record).encode())

        response = client_for(world.owner).post(
            url(world.project, "imports"), {"file": upload, "format": "jsonl"}, format="multipart"
        )

        assert response.status_code == 201, response.json()
        stored = Span.objects.filter(document__text=record["text"]).order_by("start")
        assert list(stored.values_list("origin", flat=True)) == ["ner:spacy", None]

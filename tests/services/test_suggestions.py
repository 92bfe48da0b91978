"""annotator.services.suggestions called directly: lists stored all or nothing and once, each write audited in its
transaction, an accept that fails storing neither span nor decision, and what a deletion takes along."""

import pytest

from annotator.errors import Conflict, InvalidInput, NotAllowed
from annotator.models import AuditEvent, Span, Suggestion, SuggestionDecision
from annotator.services.audit import snapshot
from annotator.services.labels import label_update
from annotator.services.spans import span_delete
from annotator.services.suggestions import (
    suggestion_accept,
    suggestion_create_many,
    suggestion_delete,
    suggestion_reject,
)
from tests.arrange import member_of, over, suggest
from tests.trail import Trail


@pytest.fixture
def cue(owner, document):
    """A lexicon's Official statement over "in a statement", decided by nobody."""
    return suggest(owner, document, "Official statement", "in a statement", source="lexicon:cues", score=0.9)


def item(document, label="Official statement", text="in a statement", **fields):
    return {**over(document, label, text), "score": None, "source": "lexicon:cues", **fields}


class TestSuggestionCreateMany:
    def test_each_new_suggestion_is_audited_with_its_stored_state(self, owner, document):
        trail = Trail()

        [suggestion] = suggestion_create_many(member=member_of(owner, document.project), document=document,
                                              items=[item(document)])  # fmt: skip

        event = trail.one("suggestion.create", suggestion.pk, owner)
        assert event.after == snapshot(Suggestion.objects.get(pk=suggestion.pk))

    def test_a_suggestion_given_twice_in_one_list_is_stored_once(self, owner, document):
        items = [item(document), item(document, score=0.3)]

        first, second = suggestion_create_many(member=member_of(owner, document.project), document=document,
                                               items=items)  # fmt: skip

        assert first.pk == second.pk
        assert Suggestion.objects.count() == 1

    def test_a_bad_item_anywhere_stores_nothing_of_the_list(self, owner, document):
        items = [item(document), item(document, "Editorial appeal", "told reporters", source="x" * 101)]

        with pytest.raises(InvalidInput) as refused:
            suggestion_create_many(member=member_of(owner, document.project), document=document, items=items)

        assert set(refused.value.detail) == {"source"}
        assert not Suggestion.objects.exists()
        assert not AuditEvent.objects.filter(action="suggestion.create").exists()


class TestSuggestionAccept:
    def test_the_span_and_the_decision_are_stored_and_audited_together(self, annotator, cue):
        trail = Trail()

        span, created = suggestion_accept(member=member_of(annotator, cue.document.project), suggestion=cue)

        stored = Span.objects.get(pk=span.pk)
        assert (created, stored.origin, stored.annotator, stored.label_id) == (
            True,
            "lexicon:cues",
            annotator,
            cue.label_id,
        )
        decision = SuggestionDecision.objects.get()
        assert [(e.action, e.object_id) for e in trail.events()] == [
            ("span.create", span.pk),
            ("suggestion.accept", decision.pk),
        ]
        assert trail.events()[0].after == snapshot(stored)

    def test_a_deactivated_label_stores_neither_span_nor_decision(self, owner, annotator, cue):
        label_update(member=member_of(owner, cue.document.project), label=cue.label, active=False)

        with pytest.raises(InvalidInput):
            suggestion_accept(member=member_of(annotator, cue.document.project), suggestion=cue)

        assert not Span.objects.filter(origin__isnull=False).exists()
        assert not SuggestionDecision.objects.exists()

    def test_a_second_decision_is_a_conflict_and_changes_nothing(self, annotator, cue):
        member = member_of(annotator, cue.document.project)
        suggestion_reject(member=member, suggestion=cue)
        trail = Trail()

        with pytest.raises(Conflict):
            suggestion_accept(member=member, suggestion=cue)

        trail.none()
        assert SuggestionDecision.objects.get().decision == "rejected"

    def test_an_annotator_not_assigned_is_not_allowed(self, third_annotator, cue):
        with pytest.raises(NotAllowed):
            suggestion_accept(member=member_of(third_annotator, cue.document.project), suggestion=cue)

        assert not SuggestionDecision.objects.exists()

    def test_deleting_the_span_keeps_the_decision_without_it(self, annotator, cue):
        member = member_of(annotator, cue.document.project)
        span, _ = suggestion_accept(member=member, suggestion=cue)

        span_delete(member=member, span=span)

        decision = SuggestionDecision.objects.get()
        assert (decision.decision, decision.span_id) == ("accepted", None)


class TestSuggestionDelete:
    def test_the_decisions_go_too_each_audited_and_the_spans_stay(self, owner, annotator, annotator2, cue):
        project = cue.document.project
        span, _ = suggestion_accept(member=member_of(annotator, project), suggestion=cue)
        suggestion_reject(member=member_of(annotator2, project), suggestion=cue)
        trail = Trail()

        suggestion_delete(member=member_of(owner, project), suggestion=cue)

        actions = [e.action for e in trail.events()]
        assert actions == ["suggestion_decision.delete", "suggestion_decision.delete", "suggestion.delete"]
        assert not SuggestionDecision.objects.exists()
        assert Span.objects.get(pk=span.pk).origin == "lexicon:cues"

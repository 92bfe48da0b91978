"""Suggestions: spans a machine proposes on a document, and each user's decision on them (accepting one makes the
user's own span, its `origin` the suggestion's source)."""

from django.db import connection, transaction

from annotator.choices import Decision
from annotator.errors import Conflict, InvalidInput, NotAllowed, NotFound, SpanExists
from annotator.models import Assignment, AuditEvent, Label, Suggestion, SuggestionDecision
from annotator.permissions import can_annotate
from annotator.rules import label_problems, span_problems, suggestion_problems
from annotator.services.audit import audit_event, audit_record, delete_audited, insert_audited, snapshot
from annotator.services.spans import span_create


def _key(label_id, start, end, source):
    return (label_id, start, end, source)


def suggestion_create_many(*, member, document, items):
    """Store the suggestions `items` ({label, start, end, score?, source}) on `document`, all or none; return the
    stored suggestions in the order of `items`, an equal one (label, start, end, source) already stored (or given
    twice) once, unaudited. InvalidInput naming the field for a label not active in the project, offsets outside
    the text, a score outside [0, 1] or a source not 1–100 characters."""
    labels = Label.objects.in_bulk({item["label"] for item in items})
    for item in items:
        label = labels.get(item["label"])
        if label is not None and label.project_id != document.project_id:
            label = None
        problems = (
            label_problems(label, named=item["label"])
            + span_problems(document.text, item["start"], item["end"])
            + suggestion_problems(score=item.get("score"), source=item["source"])
        )
        if problems:
            raise InvalidInput({field: [message] for field, message in problems})
    keys = [_key(item["label"], item["start"], item["end"], item["source"]) for item in items]
    with transaction.atomic():
        stored = {
            _key(s.label_id, s.start, s.end, s.source): s
            for s in Suggestion.objects.filter(
                document=document,
                label_id__in={key[0] for key in keys},
                source__in={key[3] for key in keys},
            )
        }
        new = {}
        for key, item in zip(keys, items, strict=True):
            if key not in stored and key not in new:
                new[key] = Suggestion(
                    document=document,
                    label_id=item["label"],
                    start=item["start"],
                    end=item["end"],
                    score=item.get("score"),
                    source=item["source"],
                )
        created = Suggestion.objects.bulk_create(new.values())
        audit_events(created, actor=member.user, project_id=document.project_id)
        stored.update(new)
    return [stored[key] for key in keys]


def audit_events(suggestions, *, actor, project_id):
    """Record the creation of `suggestions` (saved, with their ids), one event each; call inside their
    transaction."""
    AuditEvent.objects.bulk_create(
        audit_event(actor=actor, action="suggestion.create", obj=s, project_id=project_id, after=snapshot(s))
        for s in suggestions
    )


@transaction.atomic
def suggestion_delete(*, member, suggestion):
    """Delete a suggestion and every user's decision on it, each with its own audit event. The spans accepted
    from it stay, theirs, with their origin."""
    project_id = suggestion.document.project_id
    delete_audited(
        SuggestionDecision.objects.filter(suggestion=suggestion),
        actor=member.user,
        action="suggestion_decision.delete",
        project_id=project_id,
    )
    audit_record(
        actor=member.user,
        action="suggestion.delete",
        obj=suggestion,
        project_id=project_id,
        before=snapshot(suggestion),
    )
    suggestion.delete()


def _check_undecided(member, suggestion):
    # The member's decision as access_suggestion(decided_by=…) read it along with the suggestion, else asked for.
    if getattr(suggestion, "decision_of", None) == member.user_id:
        decided = suggestion.decision is not None
    else:
        decided = SuggestionDecision.objects.filter(suggestion=suggestion, user_id=member.user_id).exists()
    if decided:
        raise Conflict("You have already decided on this suggestion.")


def _decide(member, suggestion, decision, span=None):
    row = SuggestionDecision(suggestion=suggestion, user=member.user, decision=decision, span=span)
    audit = {
        "actor": member.user,
        "action": f"suggestion.{'accept' if decision == Decision.ACCEPTED else 'reject'}",
        "project_id": suggestion.document.project_id,
    }
    if connection.vendor == "postgresql":
        insert_audited(row, **audit)  # the row and its event in one statement: one round trip fewer per decision
    else:
        row.save(force_insert=True)
        audit_record(obj=row, after=snapshot(row), **audit)
    suggestion.decision = decision
    return row


@transaction.atomic
def suggestion_accept(*, member, suggestion, label=None):
    """Make the suggestion `member`'s span (label `label`, else the suggestion's; origin: its source) and record
    the acceptance; return (span, created). When the member has this span already (label, start, end), record the
    acceptance with that span and return it, not created. NotAllowed for an annotator the document is not
    assigned to; InvalidInput for a label not active in the project; Conflict when the member decided already."""
    _check_undecided(member, suggestion)
    document = suggestion.document
    try:
        span = span_create(
            member=member,
            document=document,
            label=suggestion.label_id if label is None else label,
            start=suggestion.start,
            end=suggestion.end,
            origin=suggestion.source,
        )
        created = True
    except SpanExists as exists:
        span, created = exists.current, False
    _decide(member, suggestion, Decision.ACCEPTED, span)
    return span, created


def _check_may_annotate(member, suggestion):
    assigned = Assignment.objects.filter(document_id=suggestion.document_id, user_id=member.user_id).exists()
    if not can_annotate(member, assigned=assigned):
        raise NotAllowed("This document is not assigned to you.")


@transaction.atomic
def suggestion_reject(*, member, suggestion):
    """Record that `member` rejects the suggestion. NotAllowed for an annotator the document is not assigned to;
    Conflict when the member decided already."""
    _check_may_annotate(member, suggestion)
    _check_undecided(member, suggestion)
    _decide(member, suggestion, Decision.REJECTED)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, member, suggestion):
    """Take back `member`'s decision on the suggestion (an undo), audited: it is open to them again. The span an
    acceptance made stays theirs (delete it on its own). NotAllowed for an annotator the document is not assigned
    to; NotFound when the member has not decided on it."""
    _check_may_annotate(member, suggestion)
    withdrawn = delete_audited(
        SuggestionDecision.objects.filter(suggestion=suggestion, user_id=member.user_id),
        actor=member.user,
        action="suggestion.withdraw",
        project_id=suggestion.document.project_id,
    )
    if not withdrawn:
        raise NotFound("You have not decided on this suggestion.")
    suggestion.decision = None
    return suggestion

"""Reads of the suggestions of one document, each with the caller's own decision."""

from django.db.models import OuterRef, Subquery

from annotator.models import Suggestion, SuggestionDecision


def _own_decision(member):
    return Subquery(
        SuggestionDecision.objects.filter(suggestion=OuterRef("pk"), user_id=member.user_id).values("decision")[:1]
    )


def suggestion_list(*, member, document, open_only=False):
    """The suggestions of `document` (every member who sees the document sees them all), by start, end, id, each
    with `decision`: the member's own (None, "accepted", "rejected"); `open_only`: those the member has not
    decided. One query for any number."""
    suggestions = Suggestion.objects.filter(document=document).annotate(decision=_own_decision(member))
    if open_only:
        suggestions = suggestions.filter(decision__isnull=True)
    return suggestions.order_by("start", "end", "id")


def with_decisions(suggestions, *, member):
    """`suggestions` (saved), each with `decision` set to `member`'s own: one query for any number."""
    decided = dict(
        SuggestionDecision.objects.filter(suggestion__in=suggestions, user_id=member.user_id).values_list(
            "suggestion_id", "decision"
        )
    )
    for suggestion in suggestions:
        suggestion.decision = decided.get(suggestion.pk)
    return suggestions

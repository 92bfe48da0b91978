"""Project statistics: counts of documents and spans per annotator, per label and per source, of the answers to
each question, overall and per source, and how each source of suggestions fares."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Length, Substr

from annotator.choices import AssignmentStatus, Decision, QuestionKind, Role
from annotator.metrics.suggestions import acceptance_rate, precision_recall
from annotator.models import (
    Answer,
    Assignment,
    Document,
    GoldSpan,
    Label,
    Member,
    Question,
    Relation,
    Span,
    Suggestion,
    SuggestionDecision,
)
from annotator.permissions import REVIEWERS, sees_all_spans

# PARC's attribution relation as the `attribution` preset names it: a cue with a relation of this type to its
# source is one attribution, and the source span's text is who was quoted.
ATTRIBUTION_TYPE = "source"
# How many of an outlet's most quoted sources the stats list.
QUOTED_SOURCES = 5


def project_stats(*, member):
    """SPEC's stats shape for `member`'s project, and per source the framing profile: spans per label per 1,000
    characters of the source's text, and its attribution picture (see _attributions); per question, the answers
    given (see _questions). In a blind project an annotator's figures count their own spans, relations, answers
    and assignments only. A fixed handful of aggregate
    queries whatever the project's size."""
    project = member.project
    spans = Span.objects.filter(document__project=project)
    assignments = Assignment.objects.filter(document__project=project)
    if not sees_all_spans(member):
        spans = spans.filter(annotator_id=member.user_id)
        assignments = assignments.filter(user_id=member.user_id)
    per_user = dict(
        spans.values_list("annotator__username").annotate(n=Count("id")).values_list("annotator__username", "n")
    )
    assignment_counts = {
        username: (assigned, submitted)
        for username, assigned, submitted in assignments.values_list("user__username")
        .annotate(assigned=Count("id"), submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)))
        .values_list("user__username", "assigned", "submitted")
    }
    members = Member.objects.filter(project=project, role=Role.ANNOTATOR)
    if not sees_all_spans(member):
        members = members.filter(user_id=member.user_id)
    annotator_names = set(members.values_list("user__username", flat=True))
    annotators = [
        {
            "username": name,
            "assigned": assignment_counts.get(name, (0, 0))[0],
            "submitted": assignment_counts.get(name, (0, 0))[1],
            "spans": per_user.get(name, 0),
        }
        for name in sorted(annotator_names | per_user.keys() | assignment_counts.keys())
    ]
    per_label = dict(spans.values_list("label_id").annotate(n=Count("id")).values_list("label_id", "n"))
    labels = [
        {"label": pk, "name": name, "spans": per_label.get(pk, 0)}
        for pk, name in Label.objects.filter(project=project).order_by("id").values_list("id", "name")
    ]
    per_source = defaultdict(lambda: {"documents": 0, "characters": 0, "spans": 0, "labels": {}})
    for source, n, characters in (
        Document.objects.filter(project=project)
        .values_list("source")
        .annotate(n=Count("id"), characters=Sum(Length("text")))
        .values_list("source", "n", "characters")
    ):
        per_source[source]["documents"] = n
        per_source[source]["characters"] = characters or 0
    for source, name, n in (
        spans.values_list("document__source", "label__name")
        .annotate(n=Count("id"))
        .values_list("document__source", "label__name", "n")
    ):
        per_source[source]["spans"] += n
        per_source[source]["labels"][name] = n
    for row in per_source.values():
        thousands = row["characters"] / 1000
        row["labels_per_1000_characters"] = {
            name: round(n / thousands, 3) if thousands else None for name, n in row["labels"].items()
        }
    _attributions(project=project, member=member, per_source=per_source)
    sources = [{"source": source, **per_source[source]} for source in sorted(per_source)]
    return {
        "documents": sum(row["documents"] for row in sources),
        "spans": sum(row["spans"] for row in sources),
        "annotators": annotators,
        "labels": labels,
        "sources": sources,
        "questions": _questions(project=project, member=member),
        "suggestions": _suggestions(project=project, member=member),
    }


def _attributions(*, project, member, per_source):
    """Add to each source's row its attribution picture: `attributions`, the cues with a relation of the
    ATTRIBUTION_TYPE (each counted once however many sources it names), and `quoted`, the most quoted sources'
    texts with the cues that attribute to them, most first. Two aggregate queries."""
    relations = Relation.objects.filter(document__project=project, type__name__iexact=ATTRIBUTION_TYPE)
    if not sees_all_spans(member):
        relations = relations.filter(annotator_id=member.user_id)
    for row in per_source.values():
        row["attributions"], row["quoted"] = 0, []
    counted = relations.values_list("document__source").annotate(n=Count("from_span", distinct=True))
    for source, n in counted.values_list("document__source", "n"):
        per_source[source]["attributions"] = n
    # The source span's text, cut from its document's text by the database (both count code points).
    quoted = relations.annotate(
        quoted=Substr("document__text", F("to_span__start") + 1, F("to_span__end") - F("to_span__start"))
    )
    for source, text, n in (
        quoted.values_list("document__source", "quoted")
        .annotate(n=Count("from_span", distinct=True))
        .values_list("document__source", "quoted", "n")
    ):
        per_source[source]["quoted"].append({"text": text, "attributions": n})
    for row in per_source.values():
        row["quoted"] = sorted(row["quoted"], key=lambda item: (-item["attributions"], item["text"]))[:QUOTED_SOURCES]


def question_values(kind, options, low, high):
    """The values a question's answers are counted under, in order: its options, or every integer of its scale."""
    return list(range(low, high + 1)) if kind == QuestionKind.SCALE else list(options)


def value_counts(values, counts):
    """[{value, answers}] for each of `values` (zeros kept, so every chart has the same bars), then any value
    counted that the question no longer offers."""
    rest = [value for value in counts if value not in values]
    return [{"value": value, "answers": counts.get(value, 0)} for value in [*values, *rest]]


def _questions(*, project, member):
    """Per question of the project, by id: `answers` given, how many chose each value (`values`: a multi answer
    counts once under each option it chose; a scale under each integer), and the same per source (outlet) among
    the sources with an answer to it. Two queries: the questions, and the answers grouped by question, source and
    value."""
    answers = Answer.objects.filter(document__project=project)
    if not sees_all_spans(member):
        answers = answers.filter(annotator_id=member.user_id)
    counted = defaultdict(lambda: defaultdict(lambda: {"answers": 0, "values": defaultdict(int)}))
    for question_id, source, value, n in (
        answers.values_list("question_id", "document__source", "value")
        .annotate(n=Count("id"))
        .values_list("question_id", "document__source", "value", "n")
    ):
        row = counted[question_id][source]
        row["answers"] += n
        for chosen in value if isinstance(value, list) else [value]:
            row["values"][chosen] += n
    questions = []
    for pk, name, kind, options, low, high in (
        Question.objects.filter(project=project)
        .order_by("id")
        .values_list("id", "name", "kind", "options", "min", "max")
    ):
        values, per_source = question_values(kind, options, low, high), counted.get(pk, {})
        overall = defaultdict(int)
        for row in per_source.values():
            for value, n in row["values"].items():
                overall[value] += n
        questions.append(
            {
                "question": pk,
                "name": name,
                "kind": kind,
                "answers": sum(row["answers"] for row in per_source.values()),
                "values": value_counts(values, overall),
                "sources": [
                    {"source": source, "answers": row["answers"], "values": value_counts(values, row["values"])}
                    for source, row in sorted(per_source.items())
                ],
            }
        )
    return questions


def _per_source(suggestions, **counts):
    """{source: {name: count}} of `suggestions` grouped by source, each count an aggregate of `counts`."""
    return {row.pop("source"): row for row in suggestions.values("source").annotate(**counts).order_by("source")}


def _suggestions(*, project, member):
    """Per source of suggestions, by name: `suggested` (suggestions), on how many `documents`; `accepted` and
    `rejected`, decisions (one per user and suggestion, so two users deciding one suggestion count twice), with
    their `acceptance_rate` and per user (`users`); `open`, suggestions nobody has decided. For owners and
    reviewers, `gold` counts and `precision` and `recall` against the gold layer as metrics/suggestions.py
    defines them (annotators, who never see gold, get None). A blind project's annotator counts the suggestions
    on the documents assigned to them and their own decisions only (`open`: those they have not decided). Seven
    plain aggregate queries whatever the number of suggestions (four for an annotator, one when there are
    none)."""
    # Each condition is a query's WHERE, never an aggregate's FILTER: PostgreSQL then joins (an anti-join for
    # `open`, a semi-join for the matches) where a FILTER runs a subquery per suggestion and its cost estimate
    # sets off JIT compilation; on 60,000 suggestions under load, 390 ms for the three figures in one query
    # against 180 ms in two. SQLite runs either form as a lookup per suggestion.
    suggestions = Suggestion.objects.filter(document__project=project)
    decisions = SuggestionDecision.objects.all()
    counted = SuggestionDecision.objects.filter(suggestion__document__project=project)
    if not sees_all_spans(member):
        assigned = Assignment.objects.filter(user_id=member.user_id)
        suggestions = suggestions.filter(Exists(assigned.filter(document_id=OuterRef("document_id"))))
        decisions = decisions.filter(user_id=member.user_id)
        # Their decisions on the suggestions counted: none on a document taken from them since.
        counted = counted.filter(
            Exists(assigned.filter(document_id=OuterRef("suggestion__document_id"))), user_id=member.user_id
        )
    rows = _per_source(suggestions, suggested=Count("id"), documents=Count("document_id", distinct=True))
    if not rows:
        return []
    undecided = suggestions.filter(~Exists(decisions.filter(suggestion_id=OuterRef("pk"))))
    open_ = _per_source(undecided, n=Count("id"))
    # Grouped by user id, not by username: a join and a text key fewer to sort over every decision (a third of
    # this query's time with 72,000 decisions on SQLite); the names come in a query of their own.
    per_user = list(
        counted.values_list("suggestion__source", "user_id")
        .annotate(accepted=Count("id", filter=Q(decision=Decision.ACCEPTED)), decided=Count("id"))
        .values_list("suggestion__source", "user_id", "accepted", "decided")
    )
    names = dict(get_user_model().objects.filter(pk__in={row[1] for row in per_user}).values_list("pk", "username"))
    users = defaultdict(dict)
    for source, user_id, accepted, decided in per_user:
        users[source][names[user_id]] = {Decision.ACCEPTED: accepted, Decision.REJECTED: decided - accepted}
    gold = _gold_counts(project=project, suggestions=suggestions) if member.role in REVIEWERS else None
    return [
        _suggestion_row(source, {**row, "open": open_.get(source, {"n": 0})["n"]}, users[source], gold)
        for source, row in rows.items()
    ]


def _gold_counts(*, project, suggestions):
    """The counts precision and recall rest on: the documents with gold and their gold spans, and per source its
    suggestions on those documents and how many equal a gold span. Three queries; the last two read only the
    suggestions on documents with gold."""
    gold = GoldSpan.objects.filter(document__project=project)
    totals = gold.aggregate(documents=Count("document_id", distinct=True), spans=Count("id"))
    judged = suggestions.filter(document_id__in=gold.values("document_id"))
    same = GoldSpan.objects.filter(
        document_id=OuterRef("document_id"), label_id=OuterRef("label_id"), start=OuterRef("start"), end=OuterRef("end")
    )
    on_gold, matches = _per_source(judged, n=Count("id")), _per_source(judged.filter(Exists(same)), n=Count("id"))
    return {
        "totals": totals,
        "judged": {source: (row["n"], matches.get(source, {"n": 0})["n"]) for source, row in on_gold.items()},
    }


def _suggestion_row(source, counts, users, gold):
    accepted = sum(user[Decision.ACCEPTED] for user in users.values())
    rejected = sum(user[Decision.REJECTED] for user in users.values())
    row = {
        "source": source,
        "suggested": counts["suggested"],
        "documents": counts["documents"],
        "accepted": accepted,
        "rejected": rejected,
        "open": counts["open"],
        "acceptance_rate": acceptance_rate(accepted=accepted, rejected=rejected),
        "users": [
            {"username": name, "accepted": user[Decision.ACCEPTED], "rejected": user[Decision.REJECTED]}
            for name, user in sorted(users.items())
        ],
        "gold": None,
        "precision": None,
        "recall": None,
    }
    if gold is not None:
        judged, matches = gold["judged"].get(source, (0, 0))
        row["gold"] = {**gold["totals"], "suggestions": judged, "matches": matches}
        row["precision"], row["recall"] = precision_recall(
            matches=matches, suggestions=judged, gold=gold["totals"]["spans"]
        )
    return row

"""Agreement between a project's annotators (SPEC "Agreement"): the data comes in a fixed handful of queries,
whatever the project's size; the maths, pooling and nulls live in annotator.metrics."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef

from annotator.choices import AssignmentStatus
from annotator.metrics import report
from annotator.metrics.questions import question_agreement
from annotator.metrics.relations import End, relation_agreement
from annotator.metrics.relations import Relation as RelationTuple
from annotator.models import Answer, Assignment, Document, Label, Question, Relation, RelationType, Span
from annotator.text import tokenize


def _submitted(project):
    return Assignment.objects.filter(document__project=project, status=AssignmentStatus.SUBMITTED)


def _annotations(*, project, include_unsubmitted, document_ids=None):
    """{document id: {user id: [(label id, start, end), …]}} for the documents two or more annotators annotated,
    an annotator of a document being a user whose assignment on it is submitted (with `include_unsubmitted`: or
    who has a span on it), with an entry, spans or none, for each of them. Two queries."""
    assignments, spans = _submitted(project), Span.objects.filter(document__project=project)
    if document_ids is not None:
        assignments, spans = (
            assignments.filter(document_id__in=document_ids),
            spans.filter(document_id__in=document_ids),
        )
    annotations = defaultdict(dict)
    for document_id, user_id in assignments.values_list("document_id", "user_id"):
        annotations[document_id][user_id] = []
    rows = spans.values_list("document_id", "annotator_id", "label_id", "start", "end")
    if include_unsubmitted:
        for document_id, user_id, label_id, start, end in rows:
            annotations[document_id].setdefault(user_id, []).append((label_id, start, end))
    else:
        for document_id, user_id, label_id, start, end in rows:
            own = annotations[document_id].get(user_id) if document_id in annotations else None
            if own is not None:  # spans of someone who has not submitted the document do not count
                own.append((label_id, start, end))
    return {document_id: by_user for document_id, by_user in annotations.items() if len(by_user) >= 2}


def _texts(*, project, include_unsubmitted):
    """(id, text) of the documents that may be compared, in id order: those two annotators submitted, or with
    `include_unsubmitted` those anyone submitted or drew a span on (a superset: the caller skips the rest).
    A subquery rather than a list of ids, which SQLite caps at 32,766."""
    documents = Document.objects.filter(project=project)
    if include_unsubmitted:
        documents = documents.filter(
            Exists(_submitted(project).filter(document=OuterRef("pk")))
            | Exists(Span.objects.filter(document=OuterRef("pk")))
        )
    else:
        twice = _submitted(project).values("document_id").annotate(n=Count("id")).filter(n__gte=2)
        documents = documents.filter(id__in=twice.values("document_id"))
    return documents.order_by("id").values_list("id", "text")


def _relations(*, project, annotations):
    """{document id: {user id: [Relation, …]}} for the documents and annotators `annotations` compares, with an
    entry, relations or none, for each of them; each end as the (label, start, end) of its span. One query."""
    compared = {document_id: {user_id: [] for user_id in by_user} for document_id, by_user in annotations.items()}
    rows = Relation.objects.filter(document__project=project).values_list(
        "document_id",
        "annotator_id",
        "type_id",
        "from_span__label_id",
        "from_span__start",
        "from_span__end",
        "to_span__label_id",
        "to_span__start",
        "to_span__end",
    )
    for document_id, user_id, type_id, *ends in rows:
        own = compared.get(document_id, {}).get(user_id)
        if own is not None:  # relations of someone not compared on the document do not count
            own.append(RelationTuple(type_id, End(*ends[:3]), End(*ends[3:])))
    return compared


def _relation_figures(*, project, annotations, usernames):
    """SPEC's `relations` block: relation F1 (exact and overlap) overall, per type (with its name) and per pair."""
    compared = _relations(project=project, annotations=annotations)
    figures = relation_agreement(
        {usernames[user_id]: relations for user_id, relations in by_user.items()} for by_user in compared.values()
    )
    names = dict(RelationType.objects.filter(project=project).values_list("id", "name"))
    figures["types"] = [{"type": row["type"], "name": names[row["type"]], **row} for row in figures["types"]]
    return figures


def _question_figures(*, project, include_unsubmitted):
    """SPEC's `questions` block: per question of the project, in id order, its agreement over the documents two or
    more compared annotators answered. The answers compared are those of annotators who submitted the document,
    or with `include_unsubmitted` every answer (answering a document is annotating it). Two queries."""
    answers = Answer.objects.filter(document__project=project)
    if not include_unsubmitted:
        answers = answers.filter(
            Exists(_submitted(project).filter(document_id=OuterRef("document_id"), user_id=OuterRef("annotator_id")))
        )
    by_question = defaultdict(lambda: defaultdict(dict))  # question -> document -> {annotator: value}
    for question_id, document_id, user_id, value in answers.values_list(
        "question_id", "document_id", "annotator_id", "value"
    ):
        by_question[question_id][document_id][user_id] = value
    return [
        {
            "question": pk,
            "name": name,
            "kind": kind,
            **question_agreement(kind, options, by_question.get(pk, {}).values()),
        }
        for pk, name, kind, options in Question.objects.filter(project=project)
        .order_by("id")
        .values_list("id", "name", "kind", "options")
    ]


def project_agreement(*, project, include_unsubmitted=False):
    """SPEC's agreement figures for `project`: {documents, overall, labels: [{label, name, documents, …}],
    pairs: [{a, b, documents, …}], relations: {overall, types, pairs}, questions: [{question, name, kind,
    documents, …}]}, labels, types and questions in id order, pairs by username (a < b); None where a figure has
    nothing to rest on. Nine queries; each compared document's text is tokenised once."""
    annotations = _annotations(project=project, include_unsubmitted=include_unsubmitted)
    user_ids = {user_id for by_user in annotations.values() for user_id in by_user}
    usernames = dict(get_user_model().objects.filter(id__in=user_ids).values_list("id", "username"))
    figures = report.AgreementReport()
    for document_id, text in _texts(project=project, include_unsubmitted=include_unsubmitted):
        by_user = annotations.get(document_id)
        if by_user is not None:
            figures.add(tokenize(text), {usernames[user_id]: spans for user_id, spans in by_user.items()})
    result = figures.figures()
    names = dict(Label.objects.filter(project=project).values_list("id", "name"))
    return {
        "documents": result["documents"],
        "overall": result["overall"],
        "labels": [{"label": label, "name": names[label], **row} for label, row in result["labels"].items()],
        "pairs": [{"a": a, "b": b, **row} for (a, b), row in result["pairs"].items()],
        "relations": _relation_figures(project=project, annotations=annotations, usernames=usernames),
        "questions": _question_figures(project=project, include_unsubmitted=include_unsubmitted),
    }


def document_disagreement(*, project, include_unsubmitted=False, document_ids=None):
    """{document id: mean over pairs of its annotators of their exact span F1} for the documents of `project`
    (or of `document_ids`) that two or more annotators annotated, as project_agreement counts them; the lowest
    is where they disagree most; None where none of them drew a span. Two queries, no text read."""
    annotations = _annotations(project=project, include_unsubmitted=include_unsubmitted, document_ids=document_ids)
    return {document_id: report.document_disagreement(by_user) for document_id, by_user in annotations.items()}

"""What the figures refresh reads about a project's documents, and the cached figures the API and pages serve
(services.figures keeps them)."""

import hashlib
from datetime import timedelta

import orjson
from django.db.models import Count, F, Max, TextField
from django.db.models.functions import Cast, Now

from annotator.choices import AssignmentStatus
from annotator.metrics.gamma import DocumentGamma, no_gamma, with_gamma
from annotator.models import (
    Answer,
    Assignment,
    Document,
    DocumentFigures,
    FiguresBlock,
    Project,
    ProjectFigures,
    Relation,
    Span,
)

# figures_touch moves Project.figures_changed_at at most this often (and always for the first change after a
# refresh started reading, so a refresh's start and the changes it missed are never confused).
THROTTLE = timedelta(seconds=2)

# The cached agreement pools a project's documents in blocks of this many ids (models.FiguresBlock: a change
# rebuilds its block, then the project's few dozen blocks are pooled), and the agreement computed in a request
# pools its documents the same way (selectors.agreement), so that both make the same sums in the same order.
BLOCK_DOCUMENTS = 1024


def document_block(document_id):
    """The block a document's figures are pooled in: its id // BLOCK_DOCUMENTS."""
    return document_id // BLOCK_DOCUMENTS


def document_fingerprints(*, project):
    """{document id: fingerprint} of every document of `project`: when the document last changed and, per layer
    the agreement figures read (spans, relations, answers, submitted assignments), how many rows it has and when
    the latest changed. Equal fingerprints: equal figures. Five aggregate queries, no text read."""
    # Times are read as the database writes them (as text): parsing 50,000 of them into datetimes only to write them
    # out again cost a fifth of the reading.
    fingerprints = {
        pk: [updated_at]
        for pk, updated_at in Document.objects.filter(project=project).values_list(
            "id", Cast("updated_at", TextField())
        )
    }
    layers = (
        Span.objects.all(),
        Relation.objects.all(),
        Answer.objects.all(),
        Assignment.objects.filter(status=AssignmentStatus.SUBMITTED),
    )
    for rows in layers:
        seen = {
            document_id: f"{n}@{last}"
            for document_id, n, last in rows.filter(document__project=project)
            .values("document_id")
            .annotate(n=Count("id"), last=Cast(Max("updated_at"), TextField()))
            .values_list("document_id", "n", "last")
        }
        for pk, parts in fingerprints.items():
            parts.append(seen.get(pk, "0"))
    return {pk: "|".join(parts) for pk, parts in fingerprints.items()}


def database_now():
    """The database's clock (every machine's processes share it). One query."""
    return Project.objects.annotate(now=Now()).values_list("now", flat=True)[:1].get()


def cached_figures(*, project, kind):
    """(data, computed_at, stale) of `project`'s cached figures of `kind` (ProjectFigures.AGREEMENT or .STATS), or
    None when none were computed yet. Stale: something they read changed at or after the moment they were
    computed (project.figures_changed_at, read with the project). One query."""
    row = ProjectFigures.objects.filter(project=project, kind=kind).values_list("data", "computed_at").first()
    return None if row is None else _with_staleness(project, *row)


def _with_staleness(project, data, computed_at):
    changed_at = project.figures_changed_at
    return data, computed_at, changed_at is not None and changed_at >= computed_at


def block_key(rows):
    """The key of a block whose DocumentFigures rows are `rows`, (document id, fingerprint) in document id order:
    equal keys, equal documents at equal fingerprints."""
    digest = hashlib.blake2b(digest_size=16)
    for document_id, fingerprint in rows:
        digest.update(f"{document_id}={fingerprint};".encode())
    return digest.hexdigest()


def block_keys(*, project):
    """{block: key} of `project`'s kept blocks (models.FiguresBlock). One query."""
    return dict(FiguresBlock.objects.filter(project=project).values_list("block", "key"))


def stored_block(*, project, block):
    """(key, parts) of one block of `project`'s stored per-document figures: block_key of its DocumentFigures rows
    and (document id, tallies) of its compared documents, in document id order (the tallies read as text and parsed
    by orjson: the JSON field's own json.loads took a quarter of the pooling). One query."""
    rows = list(
        DocumentFigures.objects.filter(
            project=project,
            document_id__gte=block * BLOCK_DOCUMENTS,
            document_id__lt=(block + 1) * BLOCK_DOCUMENTS,
        )
        .order_by("document_id")
        .values_list("document_id", "fingerprint", Cast("tallies", TextField()))
    )
    parts = [(pk, orjson.loads(tallies)) for pk, _, tallies in rows if tallies is not None]
    return block_key((pk, fingerprint) for pk, fingerprint, _ in rows), parts


def stored_blocks(*, project):
    """The data of `project`'s kept blocks (selectors.agreement's block_parts) in block order, streamed. One query."""
    rows = (
        FiguresBlock.objects.filter(project=project)
        .order_by("block")
        .values_list(Cast("data", TextField()), flat=True)
        .iterator(chunk_size=20)
    )
    return (orjson.loads(data) for data in rows)


def documents_detail(*, project, limit=None):
    """SPEC's `documents_detail` from the stored per-document figures: [{document, title, annotators,
    span_f1_overlap, gamma}] of the documents two or more annotators submitted, the lowest span_f1_overlap first
    (none last), ties by document id; at most `limit` rows. One query."""
    rows = (
        DocumentFigures.objects.filter(project=project, annotators__gte=2)
        .order_by(F("span_f1_overlap").asc(nulls_last=True), "document_id")
        .values("document_id", "document__title", "annotators", "span_f1_overlap", "gamma")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        {
            "document": row["document_id"],
            "title": row["document__title"],
            "annotators": row["annotators"],
            "span_f1_overlap": row["span_f1_overlap"],
            "gamma": row["gamma"],
        }
        for row in rows
    ]


def document_figures(*, document):
    """The stored figures of one document: {annotators, span_f1_overlap, gamma, computed_at}, or None. One query."""
    return (
        DocumentFigures.objects.filter(document=document)
        .values("annotators", "span_f1_overlap", "gamma", "computed_at")
        .first()
    )


def stored_agreement(*, project):
    """{document id: stored overlap span F1} of the documents two or more annotators submitted, or None when none
    is stored (the figures refresh never ran for the project, or found nothing to compare). One query."""
    rows = dict(
        DocumentFigures.objects.filter(project=project, annotators__gte=2).values_list("document_id", "span_f1_overlap")
    )
    return rows or None


def gamma_due(*, project):
    """The stored figures of `project`'s compared documents whose γ is due: computed at another fingerprint than
    their tallies', or never (the γ job's and the refresh's work list)."""
    return DocumentFigures.objects.filter(project=project, tallies__isnull=False).exclude(
        gamma_fingerprint=F("fingerprint")
    )


def _document_gamma(gamma, spans, labels):
    return DocumentGamma(gamma, spans, {label: (value, n) for label, value, n in labels})


def stored_gammas(*, project, current=False):
    """{document id: DocumentGamma} of `project`'s compared documents' stored γ, in document id order: every one
    (a due document counting its previous γ, or none), or with `current` only those whose γ is not due. One
    query."""
    rows = DocumentFigures.objects.filter(project=project, tallies__isnull=False)
    if current:
        rows = rows.filter(gamma_fingerprint=F("fingerprint"))
    return {
        document_id: _document_gamma(*values)
        for document_id, *values in rows.order_by("document_id")
        .values_list("document_id", "gamma", "gamma_spans", "gamma_labels")
        .iterator(chunk_size=5000)
    }


def cached_agreement(*, project):
    """(data, computed_at, stale) of `project`'s cached default agreement answer with its γ (kept apart, as
    ProjectFigures.GAMMA) merged in, or None when none was computed yet; with no γ pooled yet, γ is null and
    every compared document pending. One query."""
    rows = {
        kind: (data, computed_at)
        for kind, data, computed_at in ProjectFigures.objects.filter(
            project=project, kind__in=[ProjectFigures.AGREEMENT, ProjectFigures.GAMMA]
        ).values_list("kind", "data", "computed_at")
    }
    if ProjectFigures.AGREEMENT not in rows:
        return None
    data, computed_at, stale = _with_staleness(project, *rows[ProjectFigures.AGREEMENT])
    gamma = rows[ProjectFigures.GAMMA][0] if ProjectFigures.GAMMA in rows else no_gamma(pending=data["documents"])
    return with_gamma(data, gamma), computed_at, stale

"""The project's cached figures (SPEC "Agreement": `computed_at`, "never miss a change made more than a minute
earlier"): per-document agreement sums kept up to date by a refresh job, pooled into the project's default
agreement answer and stats, which GET /agreement/, GET /stats/ and the overview page then read in a query or two
whatever the project's size.

Every audited change calls figures_touch inside its transaction (services.audit.audit_event). After the commit
it moves Project.figures_changed_at (at most every THROTTLE, and always for the first change after a refresh
started reading: one cheap UPDATE that matches no row most of the time) and, when it moved it, claims the
project's refresh lease and queues a refresh. The refresh (figures_refresh) recomputes only the documents whose
fingerprint changed, pools each block of 1,024 document ids they belong to again (models.FiguresBlock), and stores
the project's figures pooled from its blocks, as of the moment it started reading; a change that landed
while it ran queues the next one. A worker killed mid-refresh leaves the previous figures served, marked stale;
once its lease runs out the next read queues a refresh again. Nothing is kept in a process: the lease and the
times live in the project's row, so any web process or worker on any machine sees them."""

import logging
from collections import defaultdict
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from annotator.choices import Role
from annotator.metrics.gamma import document_gamma
from annotator.models import DocumentFigures, FiguresBlock, Member, Project, ProjectFigures
from annotator.permissions import REVIEWERS, sees_all_spans
from annotator.selectors.agreement import (
    block_parts,
    compared_annotations,
    document_parts,
    empty_agreement,
    gamma_quick,
    gamma_request_limit,
    pooled_agreement,
    project_agreement,
)
from annotator.selectors.figures import (
    THROTTLE,
    block_key,
    block_keys,
    cached_agreement,
    cached_figures,
    database_now,
    document_block,
    document_fingerprints,
    documents_detail,
    stored_block,
    stored_blocks,
)
from annotator.selectors.projects import assignment_counts
from annotator.selectors.stats import project_stats
from annotator.services.gamma import gamma_job_active, gamma_refresh

logger = logging.getLogger(__name__)

# How long a queued or running refresh holds the project's lease: a refresh renews it after every batch of
# documents (BATCH documents take well under a second per hundred at W2); a worker killed mid-job frees it at
# the latest this long after its last renewal.
LEASE = timedelta(minutes=2)
BATCH = 500

# The refresh queue: set once at start-up (annotator.apps) to the task's enqueue, since services import no task.
_enqueue = None


def figures_set_enqueue(enqueue):
    """Set how a refresh is queued: enqueue(project_id, delay: timedelta)."""
    global _enqueue  # noqa: PLW0603 - one wiring point, set at start-up
    _enqueue = enqueue


class _Touch:
    """The after-commit callback of figures_touch, naming its project so that one transaction registers one."""

    __slots__ = ("project_id",)

    def __init__(self, project_id):
        self.project_id = project_id

    def __call__(self):
        _touched(self.project_id)


def figures_touch(*, project_id):
    """Record, once the current transaction commits, that something the project's figures read has changed:
    moves figures_changed_at (database clock, at most every THROTTLE) and queues a refresh when it moved it.
    Called for every audited change (services.audit.audit_event), so no writer can forget it; a transaction that
    writes a thousand rows registers one callback, which costs the writer no query before its commit."""
    if project_id is None:
        return
    current = transaction.get_connection()
    if current.in_atomic_block and any(
        isinstance(callback, _Touch) and callback.project_id == project_id for _, callback, _ in current.run_on_commit
    ):
        return
    transaction.on_commit(_Touch(project_id), robust=True)


@cache
def _touch_sql():
    """PostgreSQL: _touched's UPDATE as one prepared string (names from the model), since every span create runs
    it: the ORM built the same statement anew each time. statement_timestamp(), as the ORM's Now() on PostgreSQL:
    now() is the transaction's start."""
    qn = connection.ops.quote_name
    table = qn(Project._meta.db_table)
    changed, scanned = (qn(Project._meta.get_field(name).column) for name in _TOUCH_FIELDS)
    seconds = int(THROTTLE.total_seconds())
    return (
        f"UPDATE {table} SET {changed} = statement_timestamp() WHERE {qn('id')} = %s AND ({changed} IS NULL "  # noqa: S608
        f"OR {changed} < statement_timestamp() - interval '{seconds} seconds' OR {changed} <= {scanned})"
    )


_TOUCH_FIELDS = ("figures_changed_at", "figures_scan_started_at")


def _touched(project_id):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_touch_sql(), [project_id])
            moved = cursor.rowcount
        if moved:
            figures_enqueue(project_id=project_id)
        return
    moved = (
        Project.objects.filter(pk=project_id)
        .filter(
            Q(figures_changed_at__isnull=True)
            | Q(figures_changed_at__lt=Now() - THROTTLE)
            # the first change after a refresh started reading is always recorded, at its own time, so that the
            # refresh knows it missed it
            | Q(figures_changed_at__lte=F("figures_scan_started_at"))
        )
        .update(figures_changed_at=Now())
    )
    if moved:
        figures_enqueue(project_id=project_id)


def _delay():
    """How long a refresh waits after it is queued, so that a burst of edits is counted by one refresh."""
    return timedelta(seconds=getattr(settings, "SLANT_FIGURES_DELAY_SECONDS", 3))


def figures_enqueue(*, project_id):
    """Queue a refresh of the project's figures unless one is queued or running with its lease still valid.
    The lease is claimed with one compare-and-swap UPDATE, so among racing processes exactly one queues it.
    Returns whether this call queued one."""
    claimed = (
        Project.objects.filter(pk=project_id)
        .filter(Q(figures_refresh_until__isnull=True) | Q(figures_refresh_until__lt=Now()))
        .update(figures_refresh_until=Now() + LEASE + _delay())
    )
    if claimed and _enqueue is not None:
        _enqueue(project_id, _delay())
    return bool(claimed)


def _renew(project_id):
    Project.objects.filter(pk=project_id).update(figures_refresh_until=Now() + LEASE)


def _owner_view(project):
    """A member who sees everything, for the cached stats: the answer an owner or reviewer gets."""
    return Member(project=project, role=Role.OWNER)


def figures_refresh(*, project_id):
    """Bring the project's per-document figures up to date (only the documents whose fingerprint changed) and
    store its pooled agreement and stats, computed_at the database time this started reading. Queues another
    refresh when a change may have landed while it ran. Returns the ids of the documents it recomputed."""
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return []
    _renew(project_id)
    scan_started = database_now()
    Project.objects.filter(pk=project_id).update(figures_scan_started_at=scan_started)
    stored = dict(DocumentFigures.objects.filter(project=project).values_list("document_id", "fingerprint"))
    fingerprints = document_fingerprints(project=project)
    changed = sorted(pk for pk, fingerprint in fingerprints.items() if stored.get(pk) != fingerprint)
    for i in range(0, len(changed), BATCH):
        batch = changed[i : i + BATCH]
        parts = document_parts(project=project, document_ids=batch)
        # γ is kept apart: a changed document keeps its previous γ, counted until the new one is computed (due
        # while gamma_fingerprint differs); one no longer compared has none, and nothing due.
        previous = {
            pk: values
            for pk, *values in DocumentFigures.objects.filter(document_id__in=batch).values_list(
                "document_id", "gamma", "gamma_spans", "gamma_labels", "gamma_fingerprint"
            )
        }
        rows = [
            DocumentFigures(
                document_id=pk,
                project=project,
                fingerprint=fingerprints[pk],
                annotators=annotators,
                span_f1_overlap=part["span_f1_overlap"] if part else None,
                tallies=part,
                computed_at=scan_started,
                **_previous_gamma(part, previous.get(pk), fingerprints[pk]),
            )
            for pk, (annotators, part) in parts.items()
        ]
        with transaction.atomic():
            DocumentFigures.objects.filter(document_id__in=batch).delete()
            DocumentFigures.objects.bulk_create(rows)
        _renew(project_id)
    _pool_blocks(project, fingerprints)
    agreement = pooled_agreement(project=project, blocks=stored_blocks(project=project))
    _renew(project_id)
    stats = project_stats(member=_owner_view(project))
    progress = [list(row) for row in assignment_counts(project_id=project_id)]
    with transaction.atomic():
        for kind, data in (
            (ProjectFigures.AGREEMENT, agreement),
            (ProjectFigures.STATS, stats),
            (ProjectFigures.PROGRESS, progress),
        ):
            ProjectFigures.objects.update_or_create(
                project=project, kind=kind, defaults={"data": data, "computed_at": scan_started}
            )
    _renew(project_id)
    gamma_refresh(project=project)
    Project.objects.filter(pk=project_id).update(figures_refresh_until=None)
    changed_at = Project.objects.filter(pk=project_id).values_list("figures_changed_at", flat=True).first()
    if changed_at is not None and changed_at >= scan_started:
        figures_enqueue(project_id=project_id)
    logger.info("Figures of project %s refreshed: %s of %s documents.", project_id, len(changed), len(fingerprints))
    return changed


def _pool_blocks(project, fingerprints):
    """Rebuild the project's blocks (models.FiguresBlock) whose documents' stored figures are no longer the ones
    they pooled: a document recomputed, new or deleted (`fingerprints`: every document's, as this refresh read
    them), or a block a killed refresh left behind; drop the blocks left without documents. Each block is pooled
    from its rows as read in one query, its key naming exactly those, so a document that changes meanwhile leaves
    its block due for the next refresh."""
    expected = defaultdict(list)
    for pk in sorted(fingerprints):
        expected[document_block(pk)].append((pk, fingerprints[pk]))
    kept = block_keys(project=project)
    for block in sorted(expected):
        if kept.get(block) == block_key(expected[block]):
            continue
        key, parts = stored_block(project=project, block=block)
        FiguresBlock.objects.update_or_create(
            project=project, block=block, defaults={"key": key, "data": block_parts(parts)}
        )
        _renew(project.pk)
    FiguresBlock.objects.filter(project=project).exclude(block__in=list(expected)).delete()


def _previous_gamma(part, previous, fingerprint):
    """A recomputed document's γ fields: compared, its previous γ (none if new), due; else none, nothing due."""
    if part is None:
        return {"gamma": None, "gamma_spans": 0, "gamma_labels": [], "gamma_fingerprint": fingerprint}
    gamma, spans, labels, _ = previous or (None, 0, [], "")
    return {"gamma": gamma, "gamma_spans": spans, "gamma_labels": labels, "gamma_fingerprint": ""}


def _timed(data, computed_at, stale):
    return {**data, "computed_at": computed_at.isoformat() if computed_at else None, "stale": stale}


def figures_in_request(data):
    """Figures computed in this request, marked as such (computed now, never stale)."""
    return _timed(data, timezone.now(), False)


def figures_documents(*, project, limit=None):
    """SPEC's `documents_detail`: from the stored per-document figures once the project has cached figures; for
    a project without any yet, computed here when it is small (as figures_agreement), else empty."""
    if ProjectFigures.objects.filter(project=project, kind=ProjectFigures.AGREEMENT).exists():
        return documents_detail(project=project, limit=limit)
    if project.documents.count() >= _sync_limit():
        return []
    ids = list(project.documents.values_list("id", flat=True))
    titles = dict(project.documents.values_list("id", "title"))
    annotations = compared_annotations(project=project, document_ids=ids)
    if len(annotations) > gamma_request_limit():
        annotations = {}  # γ for that many documents waits for the refresh (services.gamma)
    annotations = {pk: by_user for pk, by_user in annotations.items() if gamma_quick(by_user)}
    rows = [
        {
            "document": pk,
            "title": titles[pk],
            "annotators": annotators,
            "span_f1_overlap": part["span_f1_overlap"],
            "gamma": document_gamma(annotations[pk]).overall if pk in annotations else None,
        }
        for pk, (annotators, part) in document_parts(project=project, document_ids=ids).items()
        if part is not None
    ]
    rows.sort(key=lambda row: (row["span_f1_overlap"] is None, row["span_f1_overlap"] or 0.0, row["document"]))
    return rows[:limit] if limit else rows


def _sync_limit():
    """Below this many documents a project without cached figures has them computed in the request."""
    return getattr(settings, "SLANT_FIGURES_SYNC_DOCUMENTS", 2000)


def figures_agreement(*, project):
    """The default agreement answer (SPEC "Agreement") with `computed_at` and `stale`: the cached figures, a
    refresh queued when they are stale and none is on its way; without any yet, computed here for a project of
    fewer than _sync_limit() documents, else the empty answer, stale, while a refresh is queued."""
    cached = cached_agreement(project=project)
    if cached is not None:
        data, computed_at, stale = cached
        # γ still due counts as a change the figures miss; a refresh is queued for it only when no γ job is on
        # its way (one was killed, or γ was never pooled), never while one works
        if stale or (data["gamma_pending"] and not gamma_job_active(project=project)):
            figures_enqueue(project_id=project.pk)
        return _timed(data, computed_at, stale or data["gamma_pending"] > 0)
    if project.documents.count() < _sync_limit():
        return figures_in_request(project_agreement(project=project))
    figures_enqueue(project_id=project.pk)
    return _timed(empty_agreement(), None, True)


def figures_stats(*, member):
    """GET /stats/ for `member`: the cached owner's view for members who see every span (an annotator's without
    the gold figures, which are reviewers'), as figures_agreement serves; a blind project's annotator's own
    figures are computed here, as before."""
    if not sees_all_spans(member):
        return figures_in_request(project_stats(member=member))
    project = member.project
    cached = cached_figures(project=project, kind=ProjectFigures.STATS)
    if cached is None:
        if project.documents.count() < _sync_limit():
            return figures_in_request(project_stats(member=member))
        figures_enqueue(project_id=project.pk)
        return figures_in_request(project_stats(member=member))
    data, computed_at, stale = cached
    if stale:
        figures_enqueue(project_id=project.pk)
    if member.role not in REVIEWERS:
        data = {
            **data,
            "suggestions": [{**row, "gold": None, "precision": None, "recall": None} for row in data["suggestions"]],
        }
    return _timed(data, computed_at, stale)


def figures_progress(*, project):
    """The assignments per annotator and status as the last refresh counted them (selectors.projects'
    assignment_counts rows), for the overview beside the cached stats; None when none are kept. One query."""
    data = ProjectFigures.objects.filter(project=project, kind=ProjectFigures.PROGRESS).values_list("data", flat=True)
    rows = data.first()
    return None if rows is None else [tuple(row) for row in rows]

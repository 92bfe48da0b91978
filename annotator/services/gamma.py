"""γ per document and pooled (SPEC "Agreement": `overall.gamma`, each label's `gamma`), computed outside requests.

γ costs milliseconds to a tenth of a second a document (metrics.gamma), far more than the other figures, so it is
kept apart from them: each compared document's γ is stored in its DocumentFigures row with the fingerprint it was
computed at, and is due while that differs from the row's (the tallies') fingerprint. The figures refresh
(services.figures) calls gamma_refresh once the tallies are stored: a few due documents (GAMMA_INLINE) are
computed there and then; more start a γ job (SPEC "Jobs", kind "gamma": a background job with progress, done
counting documents), which works through the due documents a batch at a time until none is due. Either then pools
the documents' γ (the mean weighted by spans; a due document counts its previous γ, or none, meanwhile) into the
project's ProjectFigures.GAMMA row, which GET /agreement/ merges into the cached answer with `gamma_pending`, the
documents still due.

A worker killed mid-job leaves every batch it stored and the pooled γ it last published served; the job shows as
failed once its lease runs out, and the next refresh (any change, or the next read that finds γ due with no live
job: services.figures) starts another, which picks up the documents still due.
"""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.choices import JobKind, JobStatus
from annotator.metrics.gamma import DocumentGamma, document_gamma, gamma_block, no_gamma
from annotator.models import DocumentFigures, Job, Project, ProjectFigures
from annotator.selectors.agreement import compared_annotations
from annotator.selectors.figures import database_now, gamma_due, stored_gammas
from annotator.services.job_leases import JobTaken, job_claim, job_lease, jobs_fail_lost

logger = logging.getLogger(__name__)

BATCH = 50  # documents a γ job computes and stores at a time
PUBLISH_SECONDS = 10.0  # a γ job pools what it stored at least this often, and at its end
RENEW_SECONDS = 1.0  # at most this long between two renewals of a γ job's lease within a batch

# How a γ job is queued: set once at start-up (annotator.apps) to the task's enqueue, since services import no task.
_enqueue = None


def gamma_set_enqueue(enqueue):
    """Set how a γ job is queued: enqueue(job_id) → the task result's id."""
    global _enqueue  # noqa: PLW0603 - one wiring point, set at start-up
    _enqueue = enqueue


def gamma_inline():
    """At most this many due documents' γ a figures refresh computes itself; more start a γ job."""
    return getattr(settings, "SLANT_GAMMA_INLINE_DOCUMENTS", 50)


def gamma_refresh(*, project):
    """After the figures refresh stored the tallies: compute the due documents' γ here when few are due, else make
    sure a γ job is on its way; then pool. Nothing while a live γ job runs (it pools as it goes)."""
    jobs_fail_lost(project_id=project.pk, now=timezone.now())
    if gamma_job_active(project=project):
        return
    limit = gamma_inline()
    due = list(gamma_due(project=project).order_by("document_id").values_list("document_id", "annotators")[: limit + 1])
    if len(due) > limit or any(annotators > 2 for _, annotators in due):  # as selectors.agreement.gamma_quick
        _start_job(project)
    elif due:
        gamma_store(project=project, document_ids=[document_id for document_id, _ in due])
    gamma_publish(project=project)


def gamma_job_active(*, project):
    """Whether a γ job of `project` is queued, or running with its lease still valid. One query."""
    return Job.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__gte=timezone.now()),
        project=project,
        kind=JobKind.GAMMA,
    ).exists()


def _start_job(project):
    """Queue a γ job for `project` unless one is active; the project's row is locked so that one is."""
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        if gamma_job_active(project=project):
            return None
        job = Job.objects.create(project=project, kind=JobKind.GAMMA, total=gamma_due(project=project).count())
        if _enqueue is not None:
            job.task_result_id = str(_enqueue(job.pk))
            job.save(update_fields=["task_result_id"])
    return job


def gamma_store(*, project, document_ids, renew=None):
    """Compute and store the γ of those of `document_ids` that have stored figures, each stamped with the
    fingerprint read before its spans were (a row the refresh replaced meanwhile stays due); `renew()` is called
    before each document (a job's lease: one document of many overlapping annotators can take seconds)."""
    rows = DocumentFigures.objects.filter(project=project, document_id__in=document_ids)
    stamped = {document_id: (pk, fingerprint) for pk, document_id, fingerprint in rows.values_list(
        "id", "document_id", "fingerprint")}  # fmt: skip
    annotations = compared_annotations(project=project, document_ids=sorted(stamped))
    figures = {}
    for document_id in sorted(stamped):
        if renew is not None:
            renew()
        by_user = annotations.get(document_id)
        figures[document_id] = document_gamma(by_user) if by_user else DocumentGamma(None, 0)
    with transaction.atomic():
        for document_id, figure in figures.items():
            pk, fingerprint = stamped[document_id]
            DocumentFigures.objects.filter(pk=pk, fingerprint=fingerprint).update(
                gamma=figure.overall,
                gamma_spans=figure.spans,
                gamma_labels=[[label, value, spans] for label, (value, spans) in figure.labels.items()],
                gamma_fingerprint=fingerprint,
            )


def gamma_publish(*, project):
    """Pool the documents' stored γ into the project's ProjectFigures.GAMMA row (computed_at: now), under that row's
    lock, so that of two writers the later pools the later rows."""
    with transaction.atomic():
        ProjectFigures.objects.get_or_create(
            project=project, kind=ProjectFigures.GAMMA, defaults={"data": no_gamma(), "computed_at": database_now()}
        )
        row = ProjectFigures.objects.select_for_update().get(project=project, kind=ProjectFigures.GAMMA)
        pending = gamma_due(project=project).count()
        row.data = block = gamma_block(stored_gammas(project=project).values(), pending=pending)
        row.computed_at = database_now()
        row.save(update_fields=["data", "computed_at"])
    return block


def gamma_job_run(*, job_id):
    """Run the queued γ job `job_id` (what the worker's task does): the due documents a batch at a time until none
    is due, pooled every PUBLISH_SECONDS and at the end. Nothing when it is not queued."""
    job = job_claim(job_id)
    if job is None:
        return
    try:
        _run(job)
    except JobTaken:
        logger.warning("γ job %s was marked failed while it ran (its lease ran out); stopped.", job_id)
    except Exception as error:
        _finish(job, JobStatus.FAILED, f"The γ job stopped on an unexpected error ({type(error).__name__}).")
        raise
    except BaseException:  # the worker told to stop now
        _finish(job, JobStatus.FAILED, "The worker was stopped before the γ job finished.")
        raise


def _run(job):
    project = job.project
    published = time.monotonic()
    renewed = [time.monotonic()]

    def renew(**progress):
        """Renew the lease (at most every RENEW_SECONDS, unless with progress); JobTaken once it was lost."""
        if not progress and time.monotonic() - renewed[0] < RENEW_SECONDS:
            return
        if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(lease_until=job_lease(), **progress):
            raise JobTaken
        renewed[0] = time.monotonic()

    while due := list(gamma_due(project=project).order_by("document_id").values_list("document_id", flat=True)[:BATCH]):
        gamma_store(project=project, document_ids=due, renew=renew)
        job.done += len(due)
        job.total = job.done + gamma_due(project=project).count()
        renew(done=job.done, total=job.total)
        if time.monotonic() - published >= PUBLISH_SECONDS:
            gamma_publish(project=project)
            published = time.monotonic()
    gamma_publish(project=project)
    _finish(job, JobStatus.DONE)
    logger.info("γ job %s of project %s: %s documents.", job.pk, project.pk, job.done)


def _finish(job, status, error=None):
    errors = [*job.errors, {"documents": [], "message": error}] if error else job.errors
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=status, errors=errors, finished_at=timezone.now(), lease_until=None
    )

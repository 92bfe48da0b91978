"""Jobs: long work a background worker does (annotator/tasks.py calls job_run), with progress a user can watch.

A recommender job works document by document (remote kinds ask 50 at a time, then store each answer on its own):
each document's suggestions, the job's progress and the audit event go in ONE transaction, so a worker killed at any
moment leaves every document it counted complete and the rest untouched, and running the recommender again stores
no suggestion twice (the unique (document, label, start, end, source) rule). A document that fails (a remote
model's bad answer, refusal or timeout) is counted with its error in `errors`, and gets no suggestion at all.

The worker renews the job's lease (`lease_until`) with every document, and before a remote call for as long as the
call may take; a running job whose lease ran out has lost its worker (rules.job_lost): it is shown as failed at once
and stored so by jobs_fail_lost the next time anyone runs a recommender of the project. A worker that finds its job
taken from it that way stops without writing more.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from annotator.choices import JobStatus, RecommenderKind, ReviewStatus
from annotator.models import Document, GoldSpan, Job, Label, Span, Suggestion
from annotator.recommenders import remote
from annotator.recommenders.base import ConfigError
from annotator.recommenders.registry import build, config_labels
from annotator.rules import WORKER_STOPPED
from annotator.services.audit import audit_record

logger = logging.getLogger(__name__)

# Documents read from the database at a time (and sent to a remote recommender at a time, as SPEC says).
CHUNK = remote.BATCH


class JobTaken(Exception):
    """The job is no longer this worker's: its lease ran out and it was marked failed."""


def jobs_fail_lost(*, project_id, now):
    """Store every running job of the project whose lease ran out before `now` as failed, finished when its lease
    ran out, with an error saying its worker stopped (what job_json already shows)."""
    lost = Job.objects.filter(project_id=project_id, status=JobStatus.RUNNING, lease_until__lt=now)
    for job in lost.only("pk", "errors", "lease_until"):
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease_until__lt=now).update(
            status=JobStatus.FAILED,
            finished_at=job.lease_until,
            errors=[*job.errors, {"documents": [], "message": WORKER_STOPPED}],
        )


def _lease(seconds=0.0):
    return timezone.now() + timedelta(seconds=settings.SLANT_JOB_LEASE_SECONDS + seconds)


def _claim(job_id):
    """The job, now running, if it was queued; None when it is gone or another worker had it."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status, job.started_at, job.lease_until = JobStatus.RUNNING, timezone.now(), _lease()
        job.save(update_fields=["status", "started_at", "lease_until"])
    return Job.objects.select_related("recommender", "created_by").get(pk=job_id)


def job_run(*, job_id):
    """Run the queued job `job_id` to its end (what the worker's task does); nothing when it is not queued. An
    unexpected error fails the job, with its kind in `errors`, and is raised again for the task's own record."""
    job = _claim(job_id)
    if job is None:
        return
    run = RecommenderRun(job)
    try:
        run.go()
    except JobTaken:
        logger.warning("Job %s was marked failed while it ran (its lease ran out); stopped.", job_id)
    except Exception as error:
        run.finish(
            JobStatus.FAILED,
            f"The job stopped on an unexpected error ({type(error).__name__}); the documents counted in done are "
            "complete. Run the recommender again.",
        )
        raise
    except BaseException:  # the worker told to stop now (a second Ctrl+C, a signal): shown failed at once
        run.finish(
            JobStatus.FAILED,
            "The worker was stopped before the job finished; the documents counted in done are complete. Run the "
            "recommender again: it adds no suggestion twice.",
        )
        raise


def training_spans(project_id, labels):
    """[(text, label id)] the `memory` recommender learns from: the project's gold spans and its accepted spans (a
    reviewer accepted them, or an annotator accepted them from a suggestion and no reviewer rejected them), of the
    active `labels`; texts cut by the database (Substr counts code points on SQLite and PostgreSQL)."""
    from_suggestion = Q(origin__isnull=False) & ~Q(review_status=ReviewStatus.REJECTED)
    accepted = Q(review_status=ReviewStatus.ACCEPTED) | from_suggestion
    cut = Substr("document__text", F("start") + 1, F("end") - F("start"))
    rows = []
    for queryset in (Span.objects.filter(accepted), GoldSpan.objects.all()):
        rows += (
            queryset.filter(document__project_id=project_id, label_id__in=labels)
            .annotate(cut=cut)
            .values_list("cut", "label_id")
        )
    return rows


class RecommenderRun:
    """One worker's run of one recommender job."""

    def __init__(self, job):
        self.job = job
        self.errors = list(job.errors)
        self.failed = sum(len(error["documents"]) for error in self.errors)

    def go(self):
        job, recommender = self.job, self.job.recommender
        if recommender is None:
            return self.finish(JobStatus.FAILED, "The recommender was deleted before the job ran.")
        self.source = f"{recommender.kind}:{recommender.name}"
        self.labels = dict(
            Label.objects.filter(project_id=job.project_id, active=True).order_by("id").values_list("id", "name")
        )
        if recommender.kind in remote.KINDS:
            work = self.remote_chunk
        else:
            try:
                self.maker = self.build(recommender)
            except ConfigError as error:
                return self.finish(JobStatus.FAILED, f"The recommender's config no longer holds: {error}.")
            work = self.local_chunk
        ids = job.documents[job.done :]
        for first in range(0, len(ids), CHUNK):
            chunk = ids[first : first + CHUNK]
            texts = dict(Document.objects.filter(project_id=job.project_id, pk__in=chunk).values_list("id", "text"))
            gone = [document for document in chunk if document not in texts]
            if gone:  # deleted since the job was asked for: nothing to suggest on
                self.advance(len(gone))
            work([(document, texts[document]) for document in chunk if document in texts])
        everything_failed = job.total > 0 and self.failed == job.total
        self.finish(JobStatus.FAILED if everything_failed else JobStatus.DONE)

    def build(self, recommender):
        kind, config = recommender.kind, recommender.config
        inactive = [label for label in config_labels(kind, config) if label not in self.labels]
        if inactive:
            raise ConfigError("", f"label {inactive[0]} is deactivated or deleted")
        training = ()
        if kind == RecommenderKind.MEMORY:
            self.renew(settings.SLANT_JOB_LEASE_SECONDS)  # learning reads every accepted and gold span
            training = training_spans(self.job.project_id, list(self.labels))
        return build(kind, config, training)

    def local_chunk(self, documents):
        for document, text in documents:
            try:
                found = self.maker.suggest(text)
            except Exception as error:  # one document's surprise is that document's error, not the job's
                logger.exception("Recommender job %s failed on document %s", self.job.pk, document)
                self.fail_documents([document], f"The recommender failed on this document ({type(error).__name__}).")
                continue
            self.store(document, [(s["label"], s["start"], s["end"], s["score"]) for s in found])

    def remote_chunk(self, documents):
        recommender = self.job.recommender
        timeout = recommender.config["timeout"]
        # A Label Studio backend that leaves tasks out is asked about each task alone (recommenders/remote.py).
        calls = 1 + (len(documents) if recommender.kind == RecommenderKind.LABELSTUDIO_ML else 0)
        self.renew(timeout * calls)
        outcome = remote.suggest(
            recommender.kind,
            recommender.config,
            project=self.job.project_id,
            labels=[remote.Label(label, name) for label, name in self.labels.items()],
            documents=[remote.Document(document, text) for document, text in documents],
            allowed=settings.SLANT_RECOMMENDER_HOSTS,
        )
        for document, _ in documents:
            if document in outcome.suggestions:
                self.store(document, [(s.label, s.start, s.end, s.score) for s in outcome.suggestions[document]])
        for failure in outcome.errors:
            self.fail_documents(list(failure.documents), failure.message)

    def store(self, document, found):
        """The document's suggestions (label, start, end, score) not stored yet, its audit event and the job's
        progress, in one transaction."""
        with transaction.atomic():
            self.advance(1)
            stored = set(
                Suggestion.objects.filter(document_id=document, source=self.source).values_list(
                    "label_id", "start", "end"
                )
            )
            new = {}
            for label, start, end, score in found:
                key = (label, start, end)
                if label in self.labels and key not in stored and key not in new:
                    new[key] = Suggestion(
                        document_id=document, label_id=label, start=start, end=end, score=score, source=self.source
                    )
            created = Suggestion.objects.bulk_create(new.values())
            if created:
                # One event per document: a job may store a million suggestions, and the trail stays readable.
                audit_record(
                    actor=self.job.created_by,
                    action="job.suggest",
                    obj=self.job,
                    project_id=self.job.project_id,
                    after={"document": document, "source": self.source, "suggestions": [s.pk for s in created]},
                )

    def fail_documents(self, documents, message):
        self.errors.append({"documents": documents, "message": message})
        self.failed += len(documents)
        with transaction.atomic():
            self.advance(len(documents), errors=True)

    def advance(self, count, *, errors=False):
        changes = {"done": F("done") + count, "lease_until": _lease()}
        if errors:
            changes["errors"] = self.errors
        if not Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(**changes):
            raise JobTaken()

    def renew(self, seconds):
        if not Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(lease_until=_lease(seconds)):
            raise JobTaken()

    def finish(self, status, message=None):
        if message:
            self.errors.append({"documents": [], "message": message})
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            status=status, finished_at=timezone.now(), lease_until=None, errors=self.errors
        )

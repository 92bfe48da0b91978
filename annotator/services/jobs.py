"""Jobs: long work a background worker does (annotator/tasks.py calls job_run), with progress a user can watch.

A recommender job works document by document (remote kinds ask 50 at a time) and writes what it finished a small
group of whole documents at a time: each document's suggestions, its audit event and the job's progress counting it
go in ONE transaction, so a worker killed at any moment leaves every document it counted complete and the rest
untouched, and running the recommender again stores no suggestion twice (the unique (document, label, start, end,
source) rule). A document that fails (a remote
model's bad answer, refusal or timeout) is counted with its error in `errors`, and gets no suggestion at all.

The worker renews the job's lease (`lease_until`) with every write, and before a remote call for as long as the
call may take; a running job whose lease ran out has lost its worker (rules.job_lost): it is shown as failed at once
and stored so by jobs_fail_lost the next time anyone runs a recommender of the project. A worker that finds its job
taken from it that way stops without writing more.
"""

import logging
import queue
import threading
import time
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from annotator.choices import JobStatus, RecommenderKind, ReviewStatus
from annotator.models import AuditEvent, Document, GoldSpan, Job, Label, Span, Suggestion
from annotator.recommenders import remote
from annotator.recommenders.base import ConfigError
from annotator.recommenders.registry import build, config_labels
from annotator.services.audit import audit_event
from annotator.services.imports import Columns
from annotator.services.imports import insert as insert_rows
from annotator.services.job_leases import JobTaken, job_claim, job_lease

logger = logging.getLogger(__name__)

# Documents read from the database at a time (and sent to a remote recommender at a time, as SPEC says).
CHUNK = remote.BATCH
# A job writes the documents it finished a group at a time, in one transaction: whole documents only, so each is
# complete or untouched, and the write lock held briefly (a group of 50 documents, 5,000 suggestions or half a
# second of work, whichever comes first; a transaction per document cost a lexicon job 3 ms a document on SQLite).
GROUP_DOCUMENTS = 50
GROUP_SUGGESTIONS = 5000
GROUP_SECONDS = 0.5
# The columns of a suggestion a job gives, in this order; the rest (created_at) come from the model.
SUGGESTION_COLUMNS = ("document_id", "label_id", "start", "end", "score", "source")


def job_run(*, job_id):
    """Run the queued job `job_id` to its end (what the worker's task does); nothing when it is not queued. An
    unexpected error fails the job, with its kind in `errors`, and is raised again for the task's own record."""
    job = job_claim(job_id)
    if job is None:
        return
    run = RecommenderRun(job)
    try:
        run.go()
    except JobTaken:
        run.writer.close()  # its thread and connection end with the job, whichever way it ends
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


def _commit_without_waiting_for_disk():
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the disk: waiting took 5 of a
    lexicon job's 20 s (1.07 million suggestions, 216 commits of 24 ms). Nothing is half-written either way: a
    server crash may lose the last such commits whole, the job's progress with them, and those documents are
    simply done again when the recommender runs again (their suggestions are stored once)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


class _Writer:
    """Runs a job's writes in order on a thread (and database connection) of its own, so that the next documents
    are matched while the database stores the last ones: on PostgreSQL the server's work and the matching then
    share the two cores (a lexicon job's 1.07 million suggestions: 18.0 s one after the other). The first error
    a write raises stops the writes after it and is raised again to the job on its next write or at close."""

    def __init__(self):
        self.queue = queue.Queue(maxsize=2)
        self.error = None
        self.thread = threading.Thread(target=self._loop, name="job-writer", daemon=True)
        self.thread.start()

    def _loop(self):
        try:
            while (write := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        write()
                    except BaseException as error:  # handed to the job's thread
                        self.error = error
        finally:
            connection.close()  # this thread's own

    def submit(self, write):
        self.check()
        self.queue.put(write)

    def check(self):
        if self.error is not None:
            raise self.error

    def close(self):
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


class _InPlace:
    """Runs a job's writes at once, in the caller's thread: inside a transaction (a test's), where another
    connection would not see the job's rows."""

    def submit(self, write):
        write()

    def check(self):
        pass

    def close(self):
        pass


class RecommenderRun:
    """One worker's run of one recommender job."""

    def __init__(self, job):
        self.job = job
        self.errors = list(job.errors)
        self.failed = sum(len(error["documents"]) for error in self.errors)
        self.pending, self.pending_rows, self.pending_since = [], 0, 0.0
        self.writer = _InPlace() if transaction.get_connection().in_atomic_block else _Writer()

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
                self.flush()
                self.writer.submit(partial(self._advance_alone, len(gone)))
            work([(document, texts[document]) for document in chunk if document in texts])
        self.flush()
        self.writer.close()
        self.writer.check()
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
            self.add(document, [(s["label"], s["start"], s["end"], s["score"]) for s in found])

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
                self.add(document, [(s.label, s.start, s.end, s.score) for s in outcome.suggestions[document]])
        for failure in outcome.errors:
            self.fail_documents(list(failure.documents), failure.message)

    def add(self, document, found):
        """Keep the document's suggestions (label, start, end, score) for the next write; write the group once it is
        large or old enough."""
        if not self.pending:
            self.pending_since = time.monotonic()
        self.pending.append((document, found))
        self.pending_rows += len(found)
        if (
            len(self.pending) >= GROUP_DOCUMENTS
            or self.pending_rows >= GROUP_SUGGESTIONS
            or time.monotonic() - self.pending_since >= GROUP_SECONDS
        ):
            self.flush()

    def flush(self):
        """Write the documents kept: their suggestions not stored yet, an audit event for each document that gets
        any, and the job's progress, in one transaction; once more if a suggestion stored at the same moment (the
        same source, by hand through the API) took one of their rows."""
        group, self.pending, self.pending_rows = self.pending, [], 0
        if group:
            self.writer.submit(partial(self._write_retrying, group))

    def _write_retrying(self, group):
        try:
            self._write(group)
        except IntegrityError:
            self._write(group)

    def _write(self, group):
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            self.advance(len(group))
            documents = [document for document, _ in group]
            stored = set(
                Suggestion.objects.filter(document_id__in=documents, source=self.source).values_list(
                    "document_id", "label_id", "start", "end"
                )
            )
            rows, counts = {}, []
            for document, found in group:
                before = len(rows)
                for label, start, end, score in found:
                    key = (document, label, start, end)
                    if label in self.labels and key not in stored and key not in rows:
                        rows[key] = (*key, score, self.source)
                counts.append((document, len(rows) - before))
            # Past the ORM (imports.py's writer): bulk_create's per-object, per-field work was most of a lexicon
            # job's time (107,000 suggestions over 1,000 documents: 15 s through bulk_create, 4 s this way).
            columns = Columns(Suggestion, SUGGESTION_COLUMNS, now=timezone.now())
            ids = insert_rows(columns, [(*row, *columns.tail) for row in rows.values()], returning_ids=True)
            events, first = [], 0
            for document, count in counts:
                if count:
                    # One event per document: a job may store a million suggestions, and the trail stays readable.
                    after = {"document": document, "source": self.source, "suggestions": ids[first : first + count]}
                    events.append(
                        audit_event(
                            actor=self.job.created_by,
                            action="job.suggest",
                            obj=self.job,
                            project_id=self.job.project_id,
                            after=after,
                        )
                    )
                first += count
            AuditEvent.objects.bulk_create(events)

    def fail_documents(self, documents, message):
        self.flush()  # the documents before these first: done counts the job's documents in order
        self.errors.append({"documents": documents, "message": message})
        self.failed += len(documents)
        # The errors as they are now: the write may run after more are added.
        self.writer.submit(partial(self._advance_alone, len(documents), errors=list(self.errors)))

    def _advance_alone(self, count, errors=None):
        with transaction.atomic():
            self.advance(count, errors=errors)

    def advance(self, count, *, errors=None):
        changes = {"done": F("done") + count, "lease_until": job_lease()}
        if errors is not None:
            changes["errors"] = errors
        if not Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(**changes):
            raise JobTaken()

    def renew(self, seconds):
        if not Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(lease_until=job_lease(seconds)):
            raise JobTaken()

    def finish(self, status, message=None):
        self.writer.close()  # its writes first (no-ops once the job is no longer running)
        if message:
            self.errors.append({"documents": [], "message": message})
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            status=status, finished_at=timezone.now(), lease_until=None, errors=self.errors
        )

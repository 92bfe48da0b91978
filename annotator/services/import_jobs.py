"""Import jobs: a large file's import (SPEC "Import") done by a background worker (SPEC "Jobs").

POST …/imports/ keeps the file in the database (ImportUpload, in ImportChunk pieces: several machines share only the
database) and queues a job; the worker runs the same document_import as a request does, in ONE transaction, so the
import stays all or nothing: the job ends `done` with the counts in `result`, or `failed` with every problem of the
file in `errors` (one {"documents": [], "line", "message"} a problem, as the 400 lists them) and nothing stored.
Either way the file is deleted with the job's end, in the same transaction.

While it runs, the worker writes its progress (`done`: the documents read and written so far in the open
transaction) and renews its lease on a connection of its own (services.jobs' writer thread), so GET /jobs/{j}/ shows
`done` moving. Not on SQLite: it has one writer at a time, and the import's transaction holds it; there the job
shows its progress only at its end and takes a lease long enough for its file (LEASE_SECONDS_PER_MB). A worker
killed mid-import leaves nothing (its transaction is rolled back), and the job shows failed once its lease runs out.
"""

import logging
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from annotator import formats
from annotator.choices import JobKind, JobStatus
from annotator.errors import InvalidInput
from annotator.formats import FormatError
from annotator.formats.base import LISTED_PROBLEMS
from annotator.models import ImportChunk, ImportUpload, Job, Member
from annotator.permissions import IMPORT_LAYER_ROLES
from annotator.services.audit import audit_record
from annotator.services.imports import Columns, compress_with_lz4, document_import, insert
from annotator.services.job_leases import JobTaken, job_claim, job_lease, jobs_fail_lost
from annotator.services.jobs import _InPlace, _Writer

logger = logging.getLogger(__name__)

# The pieces a file is kept in: small enough for any row, few enough for a 367 MB file (92 rows).
CHUNK_BYTES = 4 * 1024 * 1024
# Formats with at most one document a line: their newlines bound the documents, which makes the job's `total`.
LINE_FORMATS = frozenset({"jsonl", "doccano", "csv"})
# SQLite: the lease a job takes for its file's size, as it renews none while it runs (W2's 367 MB took about 3 min).
LEASE_SECONDS_PER_MB = 2.0


def import_job_create(*, member, chunks, format, filename="", create_labels=False, offsets=None, enqueue):
    """Keep the file (`chunks`: its bytes, piece by piece) and queue a job that imports it as `member`; return the
    job. UnknownFormat or InvalidInput (`offsets`) at once. `enqueue(job_id)` queues its task (annotator.tasks) in the
    same transaction as the job and its file, so a worker never sees one without the other."""
    formats.offset_options(formats.import_format(format), offsets)
    jobs_fail_lost(project_id=member.project_id, now=timezone.now())
    with transaction.atomic():
        compress_with_lz4()
        job = Job.objects.create(project_id=member.project_id, kind=JobKind.IMPORT, created_by=member.user)
        upload = ImportUpload.objects.create(
            job=job, format=format, filename=filename[:255], create_labels=create_labels, offsets=offsets or ""
        )
        size, columns = 0, Columns(ImportChunk, ("upload_id", "number", "data"), now=timezone.now())
        for number, piece in enumerate(_pieces(chunks)):
            # Past the ORM, which sends bytes as hex in the SQL text (a 367 MB file took 12 s to keep): binary COPY
            # on PostgreSQL.
            insert(columns, [(upload.pk, number, piece, *columns.tail)])
            size += len(piece)
        upload.size = size
        upload.save(update_fields=["size"])
        job.task_result_id = str(enqueue(job.pk))
        job.save(update_fields=["task_result_id"])
        audit_record(
            actor=member.user,
            action="import.queue",
            obj=job,
            project_id=member.project_id,
            after={"file": filename, "format": format, "bytes": size, "create_labels": create_labels},
        )
    return job


def _pieces(chunks):
    """`chunks` regrouped into pieces of CHUNK_BYTES (the last one shorter)."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer[:CHUNK_BYTES])
            del buffer[:CHUNK_BYTES]
    if buffer:
        yield bytes(buffer)


def _read_file(upload):
    """The bytes of `upload`: read in binary on PostgreSQL, where a query's bytea comes as hex text (twice the
    bytes, then decoded)."""
    pieces = ImportChunk.objects.filter(upload=upload).order_by("number")
    if connection.vendor != "postgresql":
        return b"".join(pieces.values_list("data", flat=True).iterator(chunk_size=4))
    table, quote = ImportChunk._meta.db_table, connection.ops.quote_name
    parts = []
    with connection.cursor() as cursor:
        chunks = f"SELECT data FROM {quote(table)} WHERE upload_id = %s ORDER BY number"  # noqa: S608 (the model's)
        query = f"COPY ({chunks}) TO STDOUT (FORMAT BINARY)"
        with cursor.cursor.copy(query, [upload.pk]) as copy:
            copy.set_types(["bytea"])
            parts.extend(row[0] for row in copy.rows())
    return b"".join(parts)


def import_job_run(*, job_id):
    """Run the queued import job `job_id` to its end (what the worker's task does); nothing when it is not queued.
    An unexpected error fails the job, with its kind in `errors`, and is raised again for the task's own record."""
    job = job_claim(job_id)
    if job is None:
        return
    run = _ImportRun(job)
    try:
        run.go()
    except JobTaken:
        run.writer.close()
        logger.warning("Import job %s was marked failed while it ran (its lease ran out); stopped.", job_id)
    except FormatError as error:
        run.fail(_problem_errors(error.problems))
    except InvalidInput as error:
        run.fail([{"documents": [], "line": None, "message": _message(error.detail)}])
    except Exception as error:
        run.fail(_stopped(f"The import stopped on an unexpected error ({type(error).__name__})"))
        raise
    except BaseException:  # the worker told to stop now (a second Ctrl+C, a signal)
        run.fail(_stopped("The worker was stopped before the import finished"))
        raise


def _stopped(why):
    return [{"documents": [], "line": None, "message": f"{why}; nothing of the file was stored. Import it again."}]


def _problem_errors(problems):
    """A FormatError's problems as job errors, the first LISTED_PROBLEMS of them as the 400 lists them."""
    errors = [{"documents": [], "line": problem.line, "message": problem.message} for problem in problems]
    if len(errors) > LISTED_PROBLEMS:
        count = len(errors)
        errors = errors[:LISTED_PROBLEMS]
        errors.append({"documents": [], "line": None, "message": f"The file has {count} problems; the first "
                       f"{LISTED_PROBLEMS} are listed."})  # fmt: skip
    return errors


def _message(detail):
    """InvalidInput's detail ({field: [messages]} or text) as one line."""
    if isinstance(detail, dict):
        return "; ".join(f"{field}: {' '.join(map(str, messages))}" for field, messages in detail.items())
    return str(detail)


class _ImportRun:
    """One worker's run of one import job."""

    def __init__(self, job):
        self.job = job
        if transaction.get_connection().in_atomic_block:
            self.writer = _InPlace()  # a test's transaction: another connection would not see the job
        elif connection.vendor == "postgresql":
            self.writer = _Writer()
        else:
            self.writer = None
        self.total = 0

    def go(self):
        job = self.job
        upload = ImportUpload.objects.filter(job_id=job.pk).first()
        if upload is None:
            return self.fail([{"documents": [], "line": None, "message": "The file of this import is gone."}])
        member = (
            Member.objects.select_related("project", "user")
            .filter(project_id=job.project_id, user_id=job.created_by_id, role__in=IMPORT_LAYER_ROLES["annotations"])
            .first()
        )
        if member is None:
            message = "Whoever asked for this import is no longer an owner of the project; nothing was stored."
            return self.fail([{"documents": [], "line": None, "message": message}])
        data = _read_file(upload)
        self.total = data.count(b"\n") + 1 if upload.format in LINE_FORMATS else 0
        extra = 0.0 if self.writer is not None else LEASE_SECONDS_PER_MB * len(data) / 2**20
        self._update(total=self.total, lease_until=job_lease(extra))
        records = formats.records(upload.format, data, filename=upload.filename, offsets=upload.offsets or None)
        with transaction.atomic():
            counts = document_import(
                member=member,
                records=records,
                create_labels=upload.create_labels,
                source_name=upload.filename,
                progress=self.progress if self.writer is not None else None,
            )
            self.close_writer()
            read = counts["documents"]["stored"] + counts["documents"]["skipped"]
            # The job's end commits with the documents: done, or (killed before this commit) nothing at all.
            self._update(
                status=JobStatus.DONE,
                total=read,
                done=read,
                result=counts,
                finished_at=timezone.now(),
                lease_until=None,
            )
            upload.delete()

    def progress(self, read):
        self.writer.submit(partial(self._update, done=min(read, self.total), lease_until=job_lease()))

    def _update(self, **changes):
        if not Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(**changes):
            raise JobTaken()

    def close_writer(self):
        if self.writer is not None:
            self.writer.close()
            self.writer.check()

    def fail(self, errors):
        """End the job failed with `errors`, its file deleted; nothing of the file is stored (the import's
        transaction was rolled back)."""
        if self.writer is not None:
            self.writer.close()  # its writes first (no-ops once the job is no longer running)
        with transaction.atomic():
            Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                lease_until=None,
                errors=[*self.job.errors, *errors],
                done=0,
            )
            ImportUpload.objects.filter(job_id=self.job.pk).delete()

"""An import job whose worker (`manage.py db_worker`, a process of its own) is killed by SIGKILL halfway leaves
nothing of the file stored, shows failed once its lease runs out, and the file can be imported again (a new job, run
here by a worker in this process: on PostgreSQL through the writer thread that writes its progress)."""

import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from annotator.access import access_project
from annotator.models import Document, ImportUpload, Job, Span
from annotator.representations import job_json
from annotator.services.import_jobs import import_job_create, import_job_run
from tests.e2e.worker import start_worker, stop_worker
from tests.jobs import enqueue_import
from tests.services.test_import_killed import DOCUMENTS, write_jsonl
from tests.services.test_import_killed import project as wire_desk  # noqa: F401 (the project fixture, named project)

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = "1"
TIMEOUT = 90


def queue(member, path, job_enqueue):
    with path.open("rb") as fh:
        return import_job_create(
            member=member, chunks=iter(lambda: fh.read(1 << 20), b""), format="jsonl", filename=path.name,
            create_labels=True, enqueue=job_enqueue,
        )  # fmt: skip


def wait_for(condition, what, process):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"The worker ended (exit code {process.returncode}) before {what}.")
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting until {what}.")
        time.sleep(0.02)


def test_a_killed_import_job_stores_nothing_shows_failed_and_runs_again(project, owner, tmp_path):
    member = access_project(owner, project.pk)
    path = write_jsonl(tmp_path / "wire.jsonl", DOCUMENTS, "wire")
    job = queue(member, path, enqueue_import)

    with (tmp_path / "worker.log").open("w") as log:
        process = start_worker(log, SLANT_JOB_LEASE_SECONDS=LEASE_SECONDS)
        try:
            job_row = Job.objects.filter(pk=job.pk)
            if connection.vendor == "postgresql":  # the progress shows while the import's transaction is open
                wait_for(lambda: job_row.get().done >= 2000, "the job showed progress", process)
            else:  # SQLite shows no progress before the commit: kill the worker as soon as it has taken the job (a
                # pause here let a quiet machine finish the file first)
                wait_for(lambda: job_row.get().status == "running", "the job ran", process)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                stop_worker(process)

    killed = job_row.get()
    assert killed.status == "running"
    later = killed.lease_until + timezone.timedelta(seconds=1)
    shown = job_json(killed, now=later)
    assert shown["status"] == "failed"
    assert "Nothing of the file was stored" in shown["errors"][-1]["message"]
    assert not Document.objects.filter(project=project).exists()
    assert not Span.objects.exists()

    time.sleep(max(0.0, (killed.lease_until - timezone.now()).total_seconds()) + 0.1)
    again = queue(member, path, lambda job_id: "in-process")  # fails the lost job, its file with it
    import_job_run(job_id=again.pk)

    assert Job.objects.get(pk=job.pk).status == "failed"
    assert not ImportUpload.objects.filter(job_id=job.pk).exists()
    again.refresh_from_db()
    assert (again.status, again.done, again.total) == ("done", DOCUMENTS, DOCUMENTS)
    assert again.result["documents"] == {"stored": DOCUMENTS, "skipped": 0}
    assert Document.objects.filter(project=project).count() == DOCUMENTS
    assert not ImportUpload.objects.exists()

"""A real `manage.py db_worker` process, killed (SIGKILL) in the middle of a recommender job: every document it
counted is complete, every other one untouched, the job shows as failed once its lease runs out, and running the
recommender again with a new worker completes the rest without one duplicate suggestion. On SQLite (the file test
database, shared with the worker) and PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotator.models import Job, Suggestion
from annotator.recommenders.registry import build
from annotator.representations import job_json
from annotator.rules import WORKER_STOPPED
from annotator.services.documents import document_create_many
from annotator.services.recommenders import recommender_create, recommender_run
from tests.arrange import member_of
from tests.jobs import enqueue
from tests.services.test_import_killed import database_url

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENTS = 1000
LEASE = 1.0
TIMEOUT = 60
# Every document holds each phrase at least once, so "complete" and "untouched" can be told apart on each.
TEXT = (
    "Kyiv 🇺🇦: the ministry's spokesman told reporters on Monday that talks would resume, an official said. "
    "Ілля Коваль said the talks were useful, according to a statement; he told reporters little else. "
)


def start_worker(log, *extra):
    """`manage.py db_worker` as a process of its own on the test database, its lease short."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SLANT_DATA_DIR": str(settings.DATA_DIR),
        "SLANT_JOB_LEASE_SECONDS": str(LEASE),
    }
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [*command, "--interval", "0.05", *extra],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, what, process=None):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"The worker ended (exit code {process.returncode}) before {what}.")
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting until {what}.")
        time.sleep(0.01)


def stored_by_document():
    found = defaultdict(list)
    for row in Suggestion.objects.filter(source="lexicon:cues").values_list("document_id", "label_id", "start", "end"):
        found[row[0]].append(row[1:])
    return found


class TestWorkerKilledMidJob:
    def test_finished_documents_stay_complete_the_rest_untouched_and_a_rerun_adds_no_duplicate(
        self, owner, project, tmp_path
    ):
        member = member_of(owner, project)
        documents = document_create_many(
            member=member, items=[{"text": f"{TEXT}Dispatch {n}.", "external_id": f"d{n}"} for n in range(DOCUMENTS)]
        )
        cue = project.labels.get(name="Source attribution")
        entries = [{"label": cue.pk, "phrase": phrase} for phrase in ("told reporters", "said", "according to")]
        recommender = recommender_create(member=member, name="cues", kind="lexicon", config={"entries": entries})
        maker = build("lexicon", recommender.config)
        expected = {d.pk: sorted((s["label"], s["start"], s["end"]) for s in maker.suggest(d.text)) for d in documents}
        job = recommender_run(member=member, recommender=recommender, enqueue=enqueue)

        with (tmp_path / "killed.log").open("wb") as log:
            worker = start_worker(log)
            try:
                wait_for(lambda: Job.objects.get(pk=job.pk).done >= 20, "it had finished 20 documents", worker)
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=TIMEOUT)
            finally:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()

        assert worker.returncode == -signal.SIGKILL
        job.refresh_from_db()
        assert job.status == "running" and 20 <= job.done < DOCUMENTS, "kill it mid-job: give it more documents"
        found = stored_by_document()
        complete = [d for d in job.documents if sorted(found.get(d, [])) == expected[d]]
        untouched = [d for d in job.documents if d not in found]
        assert complete == job.documents[: job.done]
        assert untouched == job.documents[job.done :]

        assert job_json(job, now=timezone.now())["status"] == "running"  # within its lease
        time.sleep(LEASE + 0.2)
        shown = job_json(job, now=timezone.now())
        assert shown["status"] == "failed"
        assert shown["errors"] == [{"documents": [], "message": WORKER_STOPPED}]
        assert DBTaskResult.objects.get(pk=job.task_result_id).status == "RUNNING"  # the backend cannot tell

        again = recommender_run(member=member, recommender=recommender, enqueue=enqueue)
        with (tmp_path / "again.log").open("wb") as log:
            worker = start_worker(log, "--batch")
            worker.wait(timeout=TIMEOUT)
        output = (tmp_path / "again.log").read_text()

        assert worker.returncode == 0, output
        job.refresh_from_db()
        again.refresh_from_db()
        assert (job.status, job.errors[-1]["message"]) == ("failed", WORKER_STOPPED)
        assert (again.status, again.done, again.total, again.errors) == ("done", DOCUMENTS, DOCUMENTS, [])
        found = stored_by_document()
        assert {d: sorted(rows) for d, rows in found.items()} == expected
        assert Suggestion.objects.count() == sum(len(rows) for rows in expected.values())

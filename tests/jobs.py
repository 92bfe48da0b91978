"""Running queued jobs in a test: the database worker's own code (django_tasks_db's `db_worker`), in this process.

`work_off()` claims each ready task exactly as `manage.py db_worker` does (a locked read, then `claim`) and runs it
with the worker's `run_task`, so a test sees what a real worker would do, inside the test's transaction. Only the
worker's polling loop is left out: it closes "old" connections between tasks, which would end the test's
transaction. The tests that need a worker process of its own (killed mid-job) start `manage.py db_worker`.
"""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from annotator.api.recommenders import run_recommender_job
from annotator.tasks import run_import_job


def work_off():
    """Run every ready task of the default backend to its end; return how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(ready.db):
            task = ready.get_locked()
            if task is not None:
                task.claim(worker.worker_id)
        if task is None:
            return ran
        worker.run_task(task)
        ran += 1


def enqueue(job_id):
    """What the run endpoint passes to services.recommenders.recommender_run: queue the job's task."""
    return run_recommender_job.enqueue(job_id).id


def enqueue_import(job_id):
    """What POST …/imports/ passes to services.import_jobs.import_job_create: queue the import job's task."""
    return run_import_job.enqueue(job_id).id

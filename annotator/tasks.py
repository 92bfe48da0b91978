"""Background jobs, run by `manage.py db_worker` (django-tasks with its database backend): thin, like a management
command, each calls one service."""

from django.utils import timezone
from django_tasks import task

from annotator.services.figures import figures_refresh
from annotator.services.gamma import gamma_job_run
from annotator.services.import_jobs import import_job_run
from annotator.services.jobs import job_run


@task()
def run_recommender_job(job_id):
    """Run the recommender job `job_id` (services/jobs.py: document by document, each atomic)."""
    job_run(job_id=job_id)


@task()
def run_import_job(job_id):
    """Run the import job `job_id` (services/import_jobs.py: the whole file in one transaction)."""
    import_job_run(job_id=job_id)


@task()
def refresh_figures(project_id):
    """Refresh the project's cached agreement and stats (services/figures.py: only the documents that changed)."""
    figures_refresh(project_id=project_id)


@task()
def run_gamma_job(job_id):
    """Run the γ job `job_id` (services/gamma.py: the due documents' γ a batch at a time, then pooled)."""
    gamma_job_run(job_id=job_id)


def enqueue_gamma_job(job_id):
    """Queue run_gamma_job; the task result's id."""
    return run_gamma_job.enqueue(job_id).id


def enqueue_refresh_figures(project_id, delay):
    """Queue refresh_figures to run after `delay`, so that a burst of changes is counted by one refresh."""
    refresh_figures.using(run_after=timezone.now() + delay).enqueue(project_id)

"""What every kind of job shares: a worker claims a queued job, holds it by renewing its lease as it goes, and a
running job whose lease ran out has lost its worker (rules.job_lost). Imports nothing that writes audit events, so
that any service may use it."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotator.choices import JobStatus
from annotator.models import ImportUpload, Job
from annotator.rules import worker_stopped


class JobTaken(Exception):
    """The job is no longer this worker's: its lease ran out and it was marked failed."""


def jobs_fail_lost(*, project_id, now):
    """Store every running job of the project whose lease ran out before `now` as failed, finished when its lease
    ran out, with an error saying its worker stopped (what job_json already shows); a lost import's file goes."""
    lost = Job.objects.filter(project_id=project_id, status=JobStatus.RUNNING, lease_until__lt=now)
    for job in lost.only("pk", "kind", "errors", "lease_until"):
        with transaction.atomic():
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease_until__lt=now).update(
                status=JobStatus.FAILED,
                finished_at=job.lease_until,
                errors=[*job.errors, {"documents": [], "message": worker_stopped(job.kind)}],
            )
            ImportUpload.objects.filter(job_id=job.pk).delete()


def job_lease(seconds=0.0):
    """A running job's lease from now: the configured lease, plus `seconds` for work that renews it only after."""
    return timezone.now() + timedelta(seconds=settings.SLANT_JOB_LEASE_SECONDS + seconds)


def job_claim(job_id):
    """The job, now running, if it was queued; None when it is gone or another worker had it."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status, job.started_at, job.lease_until = JobStatus.RUNNING, timezone.now(), job_lease()
        job.save(update_fields=["status", "started_at", "lease_until"])
    return Job.objects.select_related("recommender", "created_by").get(pk=job_id)

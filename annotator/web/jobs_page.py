"""The project's jobs as the pages show them: the jobs page (owners and reviewers, as the jobs API allows) and the
Jobs section of the settings page, beside the recommenders that make them.

Both pages embed the newest jobs and their script polls the jobs API while any is queued or running."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from annotator.permissions import REVIEWERS
from annotator.representations import job_json
from annotator.selectors.jobs import job_list
from annotator.web.access import page_member

# The newest jobs a page shows (and its script asks the API for, one page of them): enough to see this week's
# runs; the API lists the rest.
JOBS_SHOWN = 20


def jobs_data(*, project_id, role):
    """What a page's jobs list starts from: the newest JOBS_SHOWN jobs as the API gives them, each with its
    recommender's name (which the API leaves out; null once deleted), in one query for any number of jobs."""
    now = timezone.now()
    jobs = job_list(project_id=project_id).annotate(recommender_name=F("recommender__name"))[:JOBS_SHOWN]
    return {
        "jobs": [{**job_json(job, now=now), "recommender": job.recommender_name} for job in jobs],
        "jobs_shown": JOBS_SHOWN,
        # The annotate page's address without its document id, which the script appends ("…/documents/" + id + "/").
        "documents_url": reverse("web:annotate", args=[project_id, 0]).removesuffix("0/"),
        "can_run": role == "owner",
    }


@login_required
def page(request, project_id):
    """Owners and reviewers: outsiders get 404 (as everywhere), annotators 403 (as the jobs API answers them)."""
    member = page_member(
        request.user, project_id, roles=REVIEWERS, refusal="Only the project's owners and reviewers can watch its jobs."
    )
    project = member.project
    data = {"project": {"id": project.pk}, **jobs_data(project_id=project.pk, role=member.role)}
    context = {"project": project, "role": member.role, "tab": "jobs", "data": data}
    return render(request, "annotator/jobs.html", context)

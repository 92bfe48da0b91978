"""Reads of a project's recommenders and jobs."""

from annotator.choices import RecommenderKind
from annotator.models import Job, Recommender
from annotator.recommenders.registry import config_labels


def recommender_list(*, project_id):
    """The project's recommenders by name."""
    return Recommender.objects.filter(project_id=project_id).order_by("name", "id")


def job_list(*, project_id, recommender_id=None, status=None):
    """The project's jobs, newest first, each with the user who asked for it (one query for any number; the
    document ids each job works on are left out); `recommender_id` and `status` keep those of one recommender or
    in one stored status."""
    jobs = Job.objects.filter(project_id=project_id).select_related("created_by").defer("documents")
    if recommender_id is not None:
        jobs = jobs.filter(recommender_id=recommender_id)
    if status is not None:
        jobs = jobs.filter(status=status)
    return jobs.order_by("-id")


def recommenders_naming(label):
    """The names of the recommenders of the label's project whose config names `label`."""
    named = []
    for recommender in Recommender.objects.filter(project_id=label.project_id).order_by("name"):
        if recommender.kind in (RecommenderKind.LEXICON, RecommenderKind.ATTRIBUTION):
            try:
                labels = config_labels(recommender.kind, recommender.config)
            except (KeyError, TypeError):
                continue
            if label.pk in labels:
                named.append(recommender.name)
    return named

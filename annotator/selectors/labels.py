"""Reads of a project's label scheme."""

from annotator.models import Label


def label_list(*, project_id):
    """The labels of project `project_id`, by id (the order the pages' label bars and the API list them in)."""
    return Label.objects.filter(project_id=project_id).order_by("id")

"""A project's settings page for its owners: project fields and guidelines, labels, relation types, questions,
presets, the codebook history, recommenders with their jobs, members.

The page only reads; its script makes every change through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from annotator.choices import Role
from annotator.permissions import OWNERS
from annotator.representations import label_json, member_json, question_json, recommender_json, relation_type_json
from annotator.selectors.jobs import recommender_list
from annotator.selectors.labels import label_list
from annotator.selectors.projects import member_list
from annotator.selectors.questions import question_list
from annotator.selectors.relations import relation_type_list
from annotator.web.access import page_member
from annotator.web.jobs_page import jobs_data
from annotator.web.presets import preset_choices
from annotator.web.safe_markdown import render_markdown

PROJECT_FIELDS = ("id", "name", "description", "guidelines", "blind", "annotators_per_document")


@login_required
def page(request, project_id):
    """Owners only: outsiders get 404 (as everywhere), other members 403 (as the API answers their writes)."""
    member = page_member(
        request.user, project_id, roles=OWNERS, refusal="Only the project's owners can change its settings."
    )
    project = member.project
    presets = preset_choices()
    data = {
        "project": {field: getattr(project, field) for field in PROJECT_FIELDS},
        # The history itself comes from the versions API a page at a time, so the page costs the same queries
        # however many versions there are.
        "codebook_version": project.codebook_version,
        "labels": [label_json(label) for label in label_list(project_id=project.pk)],
        "relation_types": [relation_type_json(t) for t in relation_type_list(project_id=project.pk)],
        "questions": [question_json(question) for question in question_list(project_id=project.pk)],
        "members": [member_json(row) for row in member_list(project_id=project.pk)],
        "recommenders": [recommender_json(row) for row in recommender_list(project_id=project.pk)],
        **jobs_data(project_id=project.pk, role=member.role),
        "presets": presets,
        "roles": Role.values,
        "username": request.user.username,
        "overview_url": reverse("web:project", args=[project.pk]),
    }
    context = {
        "project": project,
        "role": member.role,
        "tab": "settings",
        "guidelines": render_markdown(project.guidelines),
        "presets": presets,
        "data": data,
    }
    return render(request, "annotator/settings.html", context)

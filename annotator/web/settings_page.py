"""A project's settings page for its owners: project fields and guidelines, labels, presets, members.

The page only reads; its script makes every change through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from annotator.api.labels import LabelSerializer
from annotator.api.members import MemberSerializer
from annotator.choices import Role
from annotator.models import Label, Member
from annotator.permissions import OWNERS
from annotator.presets import DEFAULT_PRESET, PRESETS
from annotator.web.access import page_member
from annotator.web.safe_markdown import render_markdown

PROJECT_FIELDS = ("id", "name", "description", "guidelines", "blind", "annotators_per_document")


def _presets():
    """Every preset, the one the UI offers first leading, each label with the fields a POST takes."""
    names = [DEFAULT_PRESET, *sorted(name for name in PRESETS if name != DEFAULT_PRESET)]
    fields = ("name", "key", "color", "description")
    return [{"name": name, "labels": [{f: label[f] for f in fields} for label in PRESETS[name]]} for name in names]


@login_required
def page(request, project_id):
    """Owners only: outsiders get 404 (as everywhere), other members 403 (as the API answers their writes)."""
    member = page_member(
        request.user, project_id, roles=OWNERS, refusal="Only the project's owners can change its settings."
    )
    project = member.project
    labels = Label.objects.filter(project_id=project.pk).order_by("id")
    members = Member.objects.filter(project_id=project.pk).select_related("user").order_by("id")
    presets = _presets()
    data = {
        "project": {field: getattr(project, field) for field in PROJECT_FIELDS},
        "labels": LabelSerializer(labels, many=True).data,
        "members": MemberSerializer(members, many=True).data,
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

"""The reviewer's pages: the review queue (disagreement first) and one document's spans side by side, a lane per
annotator plus the gold lane. The pages only read; their script reviews and curates gold through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from annotator.api.gold import GoldSpanSerializer
from annotator.api.labels import LabelSerializer
from annotator.api.spans import SpanSerializer
from annotator.models import Assignment, Label, Project
from annotator.permissions import REVIEWERS
from annotator.selectors.review import review_queue
from annotator.selectors.spans import gold_list, span_list
from annotator.web.access import page_member, page_member_document
from annotator.web.safe_markdown import render_markdown

REFUSAL = "Only the project's reviewers and owners review."


@login_required
def queue(request, project_id):
    """Documents two or more annotators worked on, the least agreement first."""
    member = page_member(request.user, project_id, roles=REVIEWERS, refusal=REFUSAL)
    project = Project.objects.get(pk=member.project_id)
    context = {"project": project, "role": member.role, "tab": "review", "rows": review_queue(project=project)}
    return render(request, "annotator/review_queue.html", context)


@login_required
def page(request, project_id, document_id):
    """One document's spans, a lane per annotator (assigned, or with spans on it) and the gold lane."""
    member, document = page_member_document(request.user, project_id, document_id, roles=REVIEWERS, refusal=REFUSAL)
    project = Project.objects.only("id", "name", "guidelines").get(pk=member.project_id)
    spans = SpanSerializer(span_list(member=member, document=document), many=True, context={"document": document})
    statuses = dict(Assignment.objects.filter(document=document).values_list("user__username", "status"))
    names = sorted(statuses.keys() | {span["annotator"] for span in spans.data})
    ids = [row["id"] for row in review_queue(project=project)]
    here = ids.index(document.pk) if document.pk in ids else None
    data = {
        "project": project.pk,
        "document": {"id": document.pk, "text": document.text},
        "username": request.user.username,
        "labels": LabelSerializer(Label.objects.filter(project=project).order_by("id"), many=True).data,
        "spans": spans.data,
        "gold": GoldSpanSerializer(gold_list(document=document), many=True, context={"document": document}).data,
        "lanes": [{"username": name, "status": statuses.get(name)} for name in names],
    }
    context = {
        "project": project,
        "role": member.role,
        "document": document,
        "labels": data["labels"],
        "lanes": data["lanes"],
        "data": data,
        "previous": ids[here - 1] if here else None,
        "next": ids[here + 1] if here is not None and here + 1 < len(ids) else None,
        "position": (here + 1, len(ids)) if here is not None else None,
        "guidelines": render_markdown(project.guidelines),
    }
    return render(request, "annotator/review.html", context)

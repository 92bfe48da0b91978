"""Server-rendered pages. They read through selectors; every change the UI makes goes through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from annotator.api.labels import LabelSerializer
from annotator.api.spans import SpanSerializer
from annotator.models import Document, Label, Project
from annotator.selectors.projects import project_overview
from annotator.selectors.spans import span_list
from annotator.web.access import page_member_document
from annotator.web.safe_markdown import render_markdown


@login_required
def projects(request):
    """The projects the signed-in user belongs to, with their role and their own queue."""
    return render(request, "annotator/projects.html", {"projects": project_overview(user=request.user)})


@login_required
def annotate(request, project_id, document_id):
    """The annotate page of one document; the spans the member may see come embedded, drawn by the page's JS."""
    member, document = page_member_document(request.user, project_id, document_id)
    labels = Label.objects.filter(project_id=member.project_id).order_by("id")
    data = {
        "project": member.project_id,
        "document": {"id": document.pk, "text": document.text},
        "username": request.user.username,
        "labels": LabelSerializer(labels, many=True).data,
        "spans": SpanSerializer(
            span_list(member=member, document=document), many=True, context={"document": document}
        ).data,
    }
    queue = list(
        Document.objects.filter(project_id=member.project_id, assignments__user=request.user)
        .order_by("id")
        .values_list("id", flat=True)
    )
    here = queue.index(document.pk) if document.pk in queue else None
    # access_project_document loads only the project's id and blind flag; the guidelines cost one query more.
    guidelines = Project.objects.filter(pk=member.project_id).values_list("guidelines", flat=True).get()
    context = {
        "document": document,
        "labels": labels,
        "data": data,
        "assigned": here is not None,
        "previous": queue[here - 1] if here else None,
        "next": queue[here + 1] if here is not None and here + 1 < len(queue) else None,
        "project_id": member.project_id,
        "guidelines": render_markdown(guidelines),
    }
    return render(request, "annotator/annotate.html", context)

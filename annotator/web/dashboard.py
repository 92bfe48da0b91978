"""A project's overview page: progress per annotator, spans per label and per source, the user's own queue."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from annotator.access import access_project
from annotator.errors import NotFound
from annotator.models import AssignmentStatus
from annotator.permissions import sees_all_spans
from annotator.selectors.documents import document_queue
from annotator.selectors.projects import project_progress
from annotator.selectors.stats import project_stats
from annotator.web.charts import heatmap

# The overview lists this much of the user's queue; the documents page has all of it.
QUEUE_ROWS = 50


@login_required
def page(request, project_id):
    """The overview of one project for any of its members; a blind project's annotator sees only their own figures."""
    try:
        member = access_project(request.user, project_id)
    except NotFound:
        raise Http404() from None
    progress = project_progress(member=member)
    queue = document_queue(member=member, limit=QUEUE_ROWS)
    mine = next((row for row in progress["annotators"] if row["username"] == request.user.username), None)
    context = {
        "project": member.project,
        "role": member.role,
        "tab": "overview",
        "sees_all": sees_all_spans(member),
        "progress": progress,
        "queue": queue,
        "queue_total": mine["total"] if mine else len(queue),
        "next": queue[0] if queue and queue[0]["status"] != AssignmentStatus.SUBMITTED else None,
        "max_label_spans": max((label["spans"] for label in progress["labels"]), default=0),
        "profile": framing_profile(project_stats(member=member)),
    }
    return render(request, "annotator/project.html", context)


def framing_profile(stats):
    """Sources × labels, spans per 1,000 characters of each source's text, as a heat map (None: no spans)."""
    used = [label["name"] for label in stats["labels"] if label["spans"]]
    sources = {row["source"] or "(no source)": row for row in stats["sources"] if row["characters"]}
    if not used or not sources:
        return None
    return heatmap(
        list(sources),
        used,
        lambda source, label: sources[source]["labels_per_1000_characters"].get(label, 0.0),
    )

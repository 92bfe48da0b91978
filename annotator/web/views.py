"""Server-rendered pages. They read through selectors; every change the UI makes goes through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from annotator.choices import AssignmentStatus
from annotator.permissions import REVIEWERS
from annotator.representations import (
    answer_json,
    label_json,
    question_json,
    relation_page_json,
    relation_type_json,
    span_page_json,
    suggestion_page_json,
)
from annotator.selectors.codebook import guidelines_versions
from annotator.selectors.documents import document_neighbours, document_title
from annotator.selectors.labels import label_list
from annotator.selectors.projects import project_heading, project_overview
from annotator.selectors.questions import own_answer_list, question_list
from annotator.selectors.relations import relation_list, relation_type_list
from annotator.selectors.spans import span_list
from annotator.selectors.suggestions import suggestion_list
from annotator.services.codebook import codebook_changes
from annotator.text import line_diff
from annotator.web.access import page_member_document
from annotator.web.presets import preset_choices
from annotator.web.safe_markdown import render_markdown


@login_required
def projects(request):
    """The projects the signed-in user belongs to, with their role and their own queue."""
    return render(request, "annotator/projects.html", {"projects": project_overview(user=request.user)})


@login_required
def new_project(request):
    """A form for a new project with the label presets it may start from (each label shown); the page's script
    creates the project through the REST API, which makes the signed-in user its owner, then opens it."""
    presets = preset_choices()
    data = {"projects_url": reverse("web:projects"), "default_preset": presets[0]["name"]}
    return render(request, "annotator/project_new.html", {"presets": presets, "data": data})


@login_required
def annotate(request, project_id, document_id):
    """The annotate page of one document; the spans and relations the member may see come embedded, drawn by the
    page's JS, with every relation type (a retired one still names its relations; only active ones draw), the
    active questions with the member's own answers (each annotator answers for themselves), and the suggestions
    the member has not decided yet (decisions are each user's own).

    The page edits at once only for an annotator the document is assigned to; anyone else reads it, and an owner
    or reviewer (whom the API lets annotate any document) turns editing on with a switch, so that nobody
    annotates a document by accident."""
    member, document = page_member_document(request.user, project_id, document_id)
    project = project_heading(project_id=member.project_id)
    labels = label_list(project_id=member.project_id)
    place = document_neighbours(member=member, document=document)
    relation_types = [relation_type_json(row) for row in relation_type_list(project_id=member.project_id)]
    labels_by_id = {label.pk: label.name for label in labels}
    codebook = _codebook_news(member)
    data = {
        "project": member.project_id,
        "document": {"id": document.pk, "text": document.text},
        "username": request.user.username,
        "labels": [label_json(label) for label in labels],
        "spans": [span_page_json(row) for row in span_list(member=member, document=document)],
        "relation_types": relation_types,
        "relations": [relation_page_json(row) for row in relation_list(member=member, document=document)],
        "questions": [question_json(row) for row in question_list(project_id=member.project_id) if row.active],
        "answers": [answer_json(row) for row in own_answer_list(member=member, document=document)],
        "suggestions": [
            suggestion_page_json(row) for row in suggestion_list(member=member, document=document, open_only=True)
        ],
        "editable": place.assigned,
        "codebook": {key: codebook[key] for key in ("version", "read", "changed")},
    }
    context = {
        "project": project,
        "document": document,
        "labels": labels,
        "relation_types": [_with_end_names(kind, labels_by_id) for kind in relation_types if kind["active"]],
        "data": data,
        "place": place,
        "submitted": place.status == AssignmentStatus.SUBMITTED,
        "may_switch": not place.assigned and member.role in REVIEWERS,
        "first_open_title": _first_open_title(place),
        "project_id": member.project_id,
        "guidelines": render_markdown(project.guidelines),
        "codebook": codebook,
    }
    return render(request, "annotator/annotate.html", context)


def _codebook_news(member):
    """What the page says of the codebook: its version; whether the guidelines changed since the member last opened
    them (`changed`), and if so how: the codebook's change lines between the two versions and a line diff of the
    guidelines; and whether to nudge a member who never opened them (`unread`)."""
    current, read, then, now = guidelines_versions(member=member)
    news = {"version": current, "read": read, "changed": False, "changes": [], "diff": []}
    news["unread"] = read is None and bool(now["guidelines"].strip())
    if then is not None and then["guidelines"] != now["guidelines"]:
        news.update(
            changed=True,
            changes=codebook_changes(then, now),
            diff=line_diff(then["guidelines"], now["guidelines"]),
        )
    return news


def _first_open_title(place):
    """The title of the first document still open in the queue, which a submit of the queue's last document points
    to (read only then: otherwise the submit opens the next document)."""
    if place.next is None and place.first_open:
        return document_title(document_id=place.first_open) or "Untitled document"
    return ""


def _with_end_names(relation_type, labels_by_id):
    """A relation type as the sidebar lists it: the names of the labels each end allows ("any" for none)."""

    def names(ids):
        return ", ".join(labels_by_id[label] for label in ids if label in labels_by_id) or "any"

    return {
        **relation_type,
        "from_names": names(relation_type["from_labels"]),
        "to_names": names(relation_type["to_labels"]),
    }

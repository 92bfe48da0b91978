"""The reviewer's pages: the review queue (disagreement first) and one document's spans side by side, a lane per
annotator plus the gold lane. The pages only read; their script reviews and curates gold through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from annotator.choices import ReviewStatus
from annotator.models import Project
from annotator.permissions import REVIEWERS
from annotator.representations import (
    answer_json,
    gold_answer_json,
    gold_json,
    gold_relation_json,
    label_json,
    question_json,
    relation_json,
    relation_type_json,
    span_json,
)
from annotator.selectors.documents import document_statuses
from annotator.selectors.figures import document_figures
from annotator.selectors.labels import label_list
from annotator.selectors.questions import answer_list, gold_answer_list, question_list
from annotator.selectors.relations import gold_relation_list, relation_list, relation_type_list
from annotator.selectors.review import answer_agreement, relation_holders, review_neighbours, review_queue
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
    """One document's spans and relations, a lane per annotator (assigned, or with spans or answers on it) and the
    gold lane; with each relation, how many annotators drew it exactly (the page marks those nobody else drew); and
    its answers, a column per annotator and the gold answers, with the questions the annotators disagree on."""
    member, document = page_member_document(request.user, project_id, document_id, roles=REVIEWERS, refusal=REFUSAL)
    project = Project.objects.only("id", "name", "guidelines").get(pk=member.project_id)
    text = document.text
    spans = [span_json(row, text) for row in span_list(member=member, document=document)]
    relations = [relation_json(row) for row in relation_list(member=member, document=document)]
    answers = [answer_json(row) for row in answer_list(member=member, document=document)]
    statuses = document_statuses(document=document)
    names = sorted(statuses.keys() | {row["annotator"] for row in spans + answers})
    previous, following, position = review_neighbours(project=project, document=document)
    data = {
        "project": project.pk,
        "document": {"id": document.pk, "text": text},
        "username": request.user.username,
        "labels": [label_json(label) for label in label_list(project_id=project.pk)],
        "spans": spans,
        "gold": [gold_json(gold, text) for gold in gold_list(document=document)],
        "lanes": [{"username": name, "status": statuses.get(name)} for name in names],
        "relation_types": [relation_type_json(row) for row in relation_type_list(project_id=project.pk)],
        "relations": relations,
        "relation_holders": relation_holders(spans=spans, relations=relations),
        "gold_relations": [gold_relation_json(gold) for gold in gold_relation_list(document=document)],
        "questions": [question_json(row) for row in question_list(project_id=project.pk)],
        "answers": answers,
        "answer_agreement": answer_agreement(answers=answers),
        "gold_answers": [gold_answer_json(gold) for gold in gold_answer_list(document=document)],
    }
    context = {
        "project": project,
        "role": member.role,
        "document": document,
        "labels": data["labels"],
        "lanes": data["lanes"],
        "data": data,
        "previous": previous,
        "next": following,
        "position": position,
        "reviewed": _reviewed(spans),
        "relations_reviewed": _reviewed(relations),
        "answers_reviewed": _reviewed(answers),
        "guidelines": render_markdown(project.guidelines),
        "figures": document_figures(document=document),
    }
    return render(request, "annotator/review.html", context)


def _reviewed(rows):
    return sum(row["review_status"] != ReviewStatus.PENDING for row in rows)

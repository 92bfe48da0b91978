"""Arranging rows through the services, as the API would write them: shared by the tests of every layer."""

from annotator.access import access_project
from annotator.models import Label
from annotator.services.assignments import document_submit
from annotator.services.gold import gold_create
from annotator.services.spans import span_create
from tests.factories import ARTICLE


def phrase(text, within=ARTICLE):
    """(start, end) of the first `text` in `within`, in code points."""
    start = within.index(text)
    return start, start + len(text)


def member_of(user, project):
    """`user`'s Member row of `project` (a Project or its id), as the API's access check hands it to a service."""
    return access_project(user, getattr(project, "pk", project))


def label_id(document, label):
    """The id of `label`: a Label, or the name of a label of the document's project."""
    if isinstance(label, str):
        return Label.objects.get(project_id=document.project_id, name=label).pk
    return label.pk


def over(document, label, text):
    """The `label`, `start` and `end` of a span or gold span over the first `text` of `document`, labelled `label`
    (a Label or a label name)."""
    start, end = phrase(text, document.text)
    return {"label": label_id(document, label), "start": start, "end": end}


def draw(user, document, label, text="told reporters", **fields):
    """`user`'s span over the first `text` of `document`, labelled `label` (a Label or a label name)."""
    member = member_of(user, document.project_id)
    return span_create(member=member, document=document, **over(document, label, text), **fields)


def draw_gold(user, document, label, text, **fields):
    """A gold span by `user` over the first `text` of `document`, labelled `label` (a Label or a label name)."""
    member = member_of(user, document.project_id)
    return gold_create(member=member, document=document, **over(document, label, text), **fields)


def submit(user, document):
    """`user` submits their work on `document`."""
    return document_submit(member=member_of(user, document.project_id), document=document)

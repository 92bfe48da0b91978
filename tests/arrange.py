"""Arranging rows through the services, as the API would write them: shared by the tests of every layer."""

from annotator.access import access_project
from annotator.models import Label
from annotator.services.answers import answer_create
from annotator.services.assignments import document_submit
from annotator.services.gold import gold_create
from annotator.services.gold_answers import gold_answer_create
from annotator.services.gold_relations import gold_relation_create
from annotator.services.questions import question_create
from annotator.services.recommenders import recommender_create, recommender_run
from annotator.services.relation_types import relation_type_create
from annotator.services.relations import relation_create
from annotator.services.spans import span_create
from annotator.services.suggestions import suggestion_accept, suggestion_create_many, suggestion_reject
from tests.factories import ARTICLE
from tests.jobs import enqueue, work_off


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


def make_relation_type(owner, project, name="Says", *, from_labels=(), to_labels=(), **fields):
    """A relation type of `project` made by its `owner`; its ends allow the labels named (names or Labels; none:
    any label)."""

    def ids(labels):
        return [Label.objects.get(project=project, name=x).pk if isinstance(x, str) else x.pk for x in labels]

    return relation_type_create(
        member=member_of(owner, project), name=name, from_labels=ids(from_labels), to_labels=ids(to_labels), **fields
    )


def relate(user, relation_type, from_span, to_span, *, document=None, **fields):
    """`user`'s relation of `relation_type` from `from_span` to `to_span` on `document` (default: the from span's)."""
    document = document or from_span.document
    return relation_create(
        member=member_of(user, document.project_id),
        document=document,
        type=relation_type.pk,
        from_span=from_span.pk,
        to_span=to_span.pk,
        **fields,
    )


def relate_gold(user, relation_type, from_gold, to_gold, **fields):
    """A gold relation by `user` of `relation_type` from gold span `from_gold` to gold span `to_gold`."""
    member = member_of(user, from_gold.document.project_id)
    return gold_relation_create(
        member=member,
        document=from_gold.document,
        type=relation_type.pk,
        from_span=from_gold.pk,
        to_span=to_gold.pk,
        **fields,
    )


def make_question(owner, project, name="Tone", kind="single", *, options=None, **fields):
    """A question of `project` made by its `owner`: by default a single choice of pro, neutral and anti."""
    if options is None and kind != "scale":
        options = ["pro", "neutral", "anti"]
    return question_create(member=member_of(owner, project), name=name, kind=kind, options=options, **fields)


def answer(user, document, question, value):
    """`user`'s answer `value` to `question` on `document`."""
    member = member_of(user, document.project_id)
    return answer_create(member=member, document=document, question=question.pk, value=value)


def answer_gold(user, document, question, value):
    """The gold answer `value` to `question` on `document`, set by `user`."""
    member = member_of(user, document.project_id)
    return gold_answer_create(member=member, document=document, question=question.pk, value=value)


def suggest(user, document, label, text="told reporters", *, source="lexicon:cues", score=0.5):
    """A suggestion over the first `text` of `document`, labelled `label` (a Label or a label name), posted by
    `user` (an owner or reviewer) as made by `source`."""
    member = member_of(user, document.project_id)
    item = {**over(document, label, text), "source": source, "score": score}
    [suggestion] = suggestion_create_many(member=member, document=document, items=[item])
    return suggestion


def accept(user, suggestion):
    """`user` accepts `suggestion`: their span, returned."""
    span, _ = suggestion_accept(member=member_of(user, suggestion.document.project_id), suggestion=suggestion)
    return span


def reject(user, suggestion):
    """`user` rejects `suggestion`."""
    return suggestion_reject(member=member_of(user, suggestion.document.project_id), suggestion=suggestion)


def make_recommender(owner, project, name, entries, **fields):
    """A lexicon recommender of `project` suggesting each (label, phrase) of `entries`."""
    config = {"entries": [{"label": label.pk, "phrase": phrase} for label, phrase in entries]}
    return recommender_create(member=member_of(owner, project), name=name, kind="lexicon", config=config, **fields)


def make_job(owner, project, name="memo"):
    """A finished job of a new memory recommender `name` of `project`, run by the database worker's own code on no
    document (it leaves no suggestion behind for the tests that count them)."""
    recommender = recommender_create(member=member_of(owner, project), name=name, kind="memory", config={})
    job = recommender_run(member=member_of(owner, project), recommender=recommender, enqueue=enqueue, documents=[])
    work_off()
    job.refresh_from_db()
    return job

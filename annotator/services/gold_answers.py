"""Gold answers: the curated answer to each question about a document, set by a reviewer or copied from an
annotator's answer; one per question."""

from django.db import transaction

from annotator.errors import GoldAnswerExists, InvalidInput
from annotator.models import Answer, GoldAnswer, Question
from annotator.services.answers import checked_value
from annotator.services.audit import audit_record, snapshot
from annotator.services.codebook import current_codebook_version
from annotator.services.versioning import check_version, delete_if_current, swap


def _copy_source(*, document, from_answer):
    """(the answer `from_answer` of `document`, its value as gold takes it); InvalidInput naming `from_answer` when
    it is not this document's or its question is deactivated."""
    source = Answer.objects.filter(pk=from_answer, document=document).select_related("question").first()
    if source is None:
        raise InvalidInput({"from_answer": [f"Answer {from_answer} is not an answer of this document."]})
    try:
        value = checked_value(source.question, source.value, named=source.question_id)
    except InvalidInput as error:
        raise InvalidInput({"from_answer": [m for messages in error.detail.values() for m in messages]}) from None
    return source, value


def _refuse_a_second(*, document, question_id):
    same = GoldAnswer.objects.filter(document=document, question_id=question_id).select_related("created_by").first()
    if same is not None:
        raise GoldAnswerExists(same)


@transaction.atomic
def gold_answer_create(*, member, document, question=None, value=None, from_answer=None):
    """Set the gold answer to `question` (an id) on `document`, or copy the answer `from_answer` (an id of this
    document's). InvalidInput naming `from_answer`, `question` or `value` as an answer's are named;
    GoldAnswerExists when the gold layer answers that question already (the unique rule settles a race)."""
    source = None
    if from_answer is not None:
        source, value = _copy_source(document=document, from_answer=from_answer)
        question_obj = source.question
    else:
        given = {"question": question, "value": value}
        missing = {name: ["This field is required."] for name, given_value in given.items() if given_value is None}
        if missing:
            raise InvalidInput(missing)
        question_obj = Question.objects.filter(pk=question, project_id=document.project_id).first()
        value = checked_value(question_obj, value, named=question)
    _refuse_a_second(document=document, question_id=question_obj.pk)
    gold = GoldAnswer.objects.create(
        document=document,
        question=question_obj,
        value=value,
        source_answer=source,
        created_by=member.user,
        codebook_version=current_codebook_version(member),
    )
    audit_record(
        actor=member.user, action="gold_answer.create", obj=gold, project_id=member.project_id, after=snapshot(gold)
    )
    return gold


@transaction.atomic
def gold_answer_update(*, member, gold, expected_version=None, value):
    """Change a gold answer's value; VersionConflict when `expected_version` is stale; InvalidInput as on
    create."""
    check_version(gold, expected_version)
    value = checked_value(gold.question, value, named=gold.question_id)
    before = snapshot(gold)
    swap(gold, expected_version, {"value": value, "codebook_version": current_codebook_version(member)})
    audit_record(
        actor=member.user,
        action="gold_answer.update",
        obj=gold,
        project_id=member.project_id,
        before=before,
        after=snapshot(gold),
    )
    return gold


@transaction.atomic
def gold_answer_delete(*, member, gold, expected_version=None):
    """Delete a gold answer; VersionConflict when `expected_version` is stale."""
    check_version(gold, expected_version)
    audit_record(
        actor=member.user,
        action="gold_answer.delete",
        obj=gold,
        project_id=member.project_id,
        before=snapshot(gold),
    )
    delete_if_current(gold, expected_version)

"""Answers: one annotator's answer to a question about a document, versioned; a changed value goes back to
review."""

from functools import cache

from django.db import connection, transaction

from annotator.choices import AssignmentStatus, ReviewStatus
from annotator.errors import AnswerExists, InvalidInput, NotAllowed
from annotator.models import Answer, Assignment, Question
from annotator.permissions import can_annotate, can_change_answer
from annotator.rules import answer_problems, answer_value, answered_question_problems
from annotator.services.assignments import assignment_start
from annotator.services.audit import audit_record, insert_audited, snapshot
from annotator.services.codebook import current_codebook_version
from annotator.services.versioning import check_version, delete_if_current, swap


def checked_value(question, value, *, named):
    """`value` as stored for an answer to `question` (rules.answer_value); InvalidInput naming `question` (not
    the project's, or deactivated) or `value` (rules.answer_problems)."""
    problems = answered_question_problems(question, named=named) or answer_problems(question, value)
    if problems:
        raise InvalidInput({field: [message] for field, message in problems})
    return answer_value(question, value)


@cache
def _create_checks_sql():
    qn = connection.ops.quote_name
    question, assignment, answer = (qn(model._meta.db_table) for model in (Question, Assignment, Answer))
    return (
        f"SELECT q.*, (SELECT a.{qn('status')} FROM {assignment} a "  # noqa: S608 (names from the models)
        f"WHERE a.{qn('document_id')} = %s AND a.{qn('user_id')} = %s) AS assignment_status, "
        f"(SELECT s.{qn('id')} FROM {answer} s WHERE s.{qn('document_id')} = %s AND s.{qn('annotator_id')} = %s "
        f"AND s.{qn('question_id')} = q.{qn('id')}) AS same_answer "
        f"FROM {question} q WHERE q.{qn('id')} = %s AND q.{qn('project_id')} = %s"
    )


def _create_checks(*, document, question_id, user_id):
    """(the project's question `question_id` or None, the user's assignment status on `document` or None, the id
    of the user's answer to that question on `document` or None): one query, as for spans, where three cost a
    third of an answer's save."""
    params = [document.pk, user_id, document.pk, user_id, question_id, document.project_id]
    found = list(Question.objects.raw(_create_checks_sql(), params))
    if found:
        return found[0], found[0].assignment_status, found[0].same_answer
    status = Assignment.objects.filter(document_id=document.pk, user_id=user_id).values_list("status", flat=True)
    return None, status.first(), None


def answer_create(*, member, document, question, value):
    """Answer `question` (an id) on `document` as `member`. NotAllowed for an annotator the document is not
    assigned to; InvalidInput naming `question` (not the project's, or deactivated) or `value` (not an answer to
    it); AnswerExists when the member has answered it already (the unique rule settles a race). The first answer,
    as the first span, starts the member's assignment. The checks read before the transaction opens, as for spans."""
    question_obj, status, same = _create_checks(document=document, question_id=question, user_id=member.user_id)
    if not can_annotate(member, assigned=status is not None):
        raise NotAllowed("This document is not assigned to you.")
    value = checked_value(question_obj, value, named=question)
    if same is not None:
        raise AnswerExists(Answer.objects.select_related("annotator", "reviewed_by").get(pk=same))
    answer = Answer(
        document=document,
        annotator=member.user,
        question=question_obj,
        value=value,
        codebook_version=current_codebook_version(member),
    )
    if connection.vendor == "postgresql":
        insert_audited(
            answer,
            actor=member.user,
            action="answer.create",
            project_id=document.project_id,
            start_assignment=status == AssignmentStatus.ASSIGNED,
        )
        return answer
    with transaction.atomic():
        answer.save(force_insert=True)
        audit_record(
            actor=member.user,
            action="answer.create",
            obj=answer,
            project_id=document.project_id,
            after=snapshot(answer),
        )
        if status == AssignmentStatus.ASSIGNED:
            assignment_start(document_id=document.pk, user_id=member.user_id)
    return answer


@transaction.atomic
def answer_update(*, member, answer, expected_version=None, value):
    """Change an answer's value. NotAllowed unless `member` gave it; VersionConflict when `expected_version` is
    stale; InvalidInput naming `question` (deactivated since) or `value`; a changed value sends a reviewed answer
    back to pending."""
    if not can_change_answer(member, answer):
        raise NotAllowed("Only the annotator who gave an answer may change it.")
    check_version(answer, expected_version)
    changes = {"value": checked_value(answer.question, value, named=answer.question_id)}
    if changes["value"] != answer.value and answer.review_status != ReviewStatus.PENDING:
        changes.update(review_status=ReviewStatus.PENDING, review_comment="", reviewed_by=None, reviewed_at=None)
    before = snapshot(answer)
    changes["codebook_version"] = current_codebook_version(member)
    swap(answer, expected_version, changes)
    audit_record(
        actor=member.user,
        action="answer.update",
        obj=answer,
        project_id=answer.document.project_id,
        before=before,
        after=snapshot(answer),
    )
    return answer


@transaction.atomic
def answer_delete(*, member, answer, expected_version=None):
    """Delete an answer. NotAllowed unless `member` gave it; VersionConflict when `expected_version` is stale."""
    if not can_change_answer(member, answer):
        raise NotAllowed("Only the annotator who gave an answer may delete it.")
    check_version(answer, expected_version)
    audit_record(
        actor=member.user,
        action="answer.delete",
        obj=answer,
        project_id=member.project_id,
        before=snapshot(answer),
    )
    delete_if_current(answer, expected_version)

"""Reads of a project's questions and of the answers and gold answers of one document."""

from annotator.models import Answer, GoldAnswer, Question


def question_list(*, project_id):
    """The questions of project `project_id`, by id."""
    return Question.objects.filter(project_id=project_id).order_by("id")


def answer_list(*, member, document):
    """The answers of `document` that `member` may see (an annotator of a blind project: their own), by id."""
    return (
        Answer.objects.visible_to(member)
        .filter(document=document)
        .select_related("annotator", "reviewed_by")
        .order_by("id")
    )


def own_answer_list(*, member, document):
    """The answers `member` gave on `document` (what the annotate page shows as theirs), by id."""
    return (
        Answer.objects.filter(document=document, annotator_id=member.user_id)
        .select_related("annotator", "reviewed_by")
        .order_by("id")
    )


def gold_answer_list(*, document):
    """The gold answers of `document`, by id."""
    return GoldAnswer.objects.filter(document=document).select_related("created_by").order_by("id")


def unanswered_required(*, document, user_id):
    """The names of the active required questions of `document`'s project that the user has not answered on it,
    by id."""
    answered = Answer.objects.filter(document=document, annotator_id=user_id).values("question_id")
    return list(
        Question.objects.filter(project_id=document.project_id, active=True, required=True)
        .exclude(pk__in=answered)
        .order_by("id")
        .values_list("name", flat=True)
    )

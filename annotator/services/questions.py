"""Document questions: names and keys unique in their project, options or bounds that fit their kind, kept from
deletion and from changes that would strand an answer while answers hold them."""

from django.db import transaction
from django.utils import timezone

from annotator.choices import QuestionKind
from annotator.errors import Conflict, InvalidInput, NotFound, QuestionInUse
from annotator.models import Answer, GoldAnswer, Question
from annotator.rules import question_problems
from annotator.services.audit import audit_record, snapshot
from annotator.services.codebook import codebook_batch, codebook_bump, codebook_number_locked


def _check_unique(project_id, *, name=None, key=None, exclude_pk=None):
    others = Question.objects.filter(project_id=project_id).exclude(pk=exclude_pk)
    errors = {}
    if name is not None and others.filter(name=name).exists():
        errors["name"] = [f"This project already has a question named {name!r}."]
    if key and others.filter(key=key).exists():
        errors["key"] = [f"The key {key!r} is already taken by another question of this project."]
    if errors:
        raise InvalidInput(errors)


def _check_shape(*, kind, options, min, max):
    problems = question_problems(kind=kind, options=options, min=min, max=max)
    if problems:
        errors = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise InvalidInput(errors)


def _values_in_use(question):
    """The distinct values the question's answers and gold answers hold."""
    values = []
    for model in (Answer, GoldAnswer):
        values += model.objects.filter(question=question).values_list("value", flat=True).distinct()
    return values


def _check_answers_still_fit(question, *, kind, options, min, max):
    """QuestionInUse when the change would leave an answer or gold answer that no longer answers the question: a
    new kind, an option taken away (renaming is taking away) or a scale cut short under a value given."""
    values = _values_in_use(question)
    if not values:
        return
    if kind != question.kind:
        raise QuestionInUse(f"This question has answers, so its kind stays {question.kind!r}.")
    if kind == QuestionKind.SCALE:
        outside = sorted(value for value in values if not min <= value <= max)
        if outside:
            raise QuestionInUse(f"Answers give {outside[0]}, outside {min} to {max}; the scale must keep it.")
        return
    chosen = {option for value in values for option in (value if isinstance(value, list) else [value])}
    taken = [option for option in question.options if option in chosen and option not in options]
    if taken:
        raise QuestionInUse(f"Answers choose {taken[0]!r}; an option in use stays (add new ones beside it).")


@transaction.atomic
def question_create(
    *, member, name, kind, options=None, min=None, max=None, required=False, description="", key="", active=True
):
    """Add a question to the member's project; InvalidInput if its name or key is taken (among questions: a key
    may equal a label's, as a relation type's may) or its options or bounds do not fit its kind."""
    _check_unique(member.project_id, name=name, key=key)
    options = [] if options is None else options
    _check_shape(kind=kind, options=options, min=min, max=max)
    question = Question.objects.create(
        project_id=member.project_id,
        name=name,
        kind=kind,
        options=options,
        min=min,
        max=max,
        required=required,
        description=description,
        key=key,
        active=active,
    )
    audit_record(
        actor=member.user,
        action="question.create",
        obj=question,
        project_id=member.project_id,
        after=snapshot(question),
    )
    codebook_bump(member=member)
    return question


@transaction.atomic
def question_create_many(*, member, items):
    """Create each of `items` (keyword arguments of question_create), all or nothing, as one codebook version."""
    with codebook_batch(member):
        return [question_create(member=member, **item) for item in items]


@transaction.atomic
def question_update(*, member, question, **changes):
    """Change a question (deactivate with active=False). A new kind drops the old kind's options or bounds unless
    given. InvalidInput as on create; QuestionInUse when answers would no longer fit (a new kind, an option in use
    taken away, a scale cut short under a value given)."""
    _check_unique(member.project_id, name=changes.get("name"), key=changes.get("key"), exclude_pk=question.pk)
    kind = changes.get("kind", question.kind)
    if kind != question.kind:
        defaults = {"options": []} if kind == QuestionKind.SCALE else {"min": None, "max": None}
        changes = {**defaults, **changes}
    shape = {name: changes.get(name, getattr(question, name)) for name in ("kind", "options", "min", "max")}
    if shape.keys() & changes.keys():
        _check_shape(**shape)
        _check_answers_still_fit(question, **shape)
    before = snapshot(question)
    for name, value in changes.items():
        setattr(question, name, value)
    question.save()
    audit_record(
        actor=member.user,
        action="question.update",
        obj=question,
        project_id=question.project_id,
        before=before,
        after=snapshot(question),
    )
    codebook_bump(member=member)
    return question


@transaction.atomic
def question_delete(*, member, question):
    """Delete an unanswered question; QuestionInUse if any answer or gold answer holds it."""
    if Answer.objects.filter(question=question).exists() or GoldAnswer.objects.filter(question=question).exists():
        raise QuestionInUse()
    audit_record(
        actor=member.user,
        action="question.delete",
        obj=question,
        project_id=question.project_id,
        before=snapshot(question),
    )
    question.delete()
    codebook_bump(member=member)


def _merged_value(value, *, option, into, options):
    """An answer's value with `option` read as `into`: a single option, or a multi list deduplicated in the order of
    `options` (the question's options once `option` is gone)."""
    if not isinstance(value, list):
        return into if value == option else value
    chosen = {into if item == option else item for item in value}
    return [item for item in options if item in chosen]


@transaction.atomic
def question_merge_option(*, member, question, option, into):
    """Merge the option `option` of a single or multi question into its option `into`: every answer and gold answer
    that chose `option` chooses `into` (a multi list once, in the question's order; review status kept, version
    raised) and the question loses `option`: one codebook version, one `question.merge` audit event with the counts.
    InvalidInput for a scale question or an option the question lacks (naming `option` or `into`); Conflict when
    the two are the same or the question is deactivated; NotFound when the question is gone."""
    locked = Question.objects.select_for_update().filter(pk=question.pk).first()
    if locked is None:
        raise NotFound()
    question = locked
    if question.kind == QuestionKind.SCALE:
        raise InvalidInput({"option": ["A scale question has no options to merge."]})
    errors = {
        name: [f"{value!r} is not an option of this question."]
        for name, value in (("option", option), ("into", into))
        if value not in question.options
    }
    if errors:
        raise InvalidInput(errors)
    if option == into:
        raise Conflict("An option cannot be merged into itself; choose another option.")
    if not question.active:
        raise Conflict(f"“{question.name}” is deactivated; reactivate it before merging its options.")
    options = [item for item in question.options if item != option]
    problems = question_problems(kind=question.kind, options=options, min=None, max=None)
    if problems:
        raise InvalidInput({"option": [f"Without {option!r}: {problems[0][1]}."]})
    number = codebook_number_locked(member.project_id) + 1
    now = timezone.now()
    before = snapshot(question)
    counts = {}
    for model, name in ((Answer, "answers"), (GoldAnswer, "gold_answers")):
        changed = []
        for row in model.objects.select_for_update().filter(question=question).order_by("id"):
            value = _merged_value(row.value, option=option, into=into, options=options)
            if value != row.value:
                row.value, row.version, row.codebook_version, row.updated_at = value, row.version + 1, number, now
                changed.append(row)
        model.objects.bulk_update(changed, ["value", "version", "codebook_version", "updated_at"], batch_size=1000)
        counts[name] = len(changed)
    question.options = options
    question.save(update_fields=["options"])
    audit_record(
        actor=member.user,
        action="question.merge",
        obj=question,
        project_id=question.project_id,
        before=before,
        after={**snapshot(question), "option": option, "into": into, **counts},
    )
    codebook_bump(member=member, changes=[f'question "{question.name}" option "{option}" merged into "{into}"'])
    return question, counts, number

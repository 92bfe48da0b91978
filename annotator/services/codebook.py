"""Codebook versions: every change to a project's guidelines, labels, relation types or questions makes one new,
append-only CodebookVersion (the whole codebook and readable lines of what changed), in the change's own
transaction. Annotations record the number current when they are made or changed (`current_codebook_version`)."""

import contextvars
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q

from annotator.errors import InvalidInput
from annotator.models import CodebookVersion, Label, Member, Project, Question
from annotator.representations import label_json, question_json, relation_type_json
from annotator.selectors.relations import relation_type_list
from annotator.services.audit import audit_record

GUIDELINES_EDITED = "guidelines edited"
KINDS = (("labels", "label"), ("relation_types", "relation type"), ("questions", "question"))
# Inside codebook_batch: the project ids whose codebook changed, versioned once when the batch ends.
_batched = contextvars.ContextVar("codebook_batched", default=None)
# Inside codebook_request: {project id: (the version this request made, its audit event)}, rewritten by later changes.
_made = contextvars.ContextVar("codebook_made", default=None)


def current_codebook_version(member):
    """The number of the codebook version `member`'s project is at: read with the project (access_project and
    the document fast path load it), so making an annotation computes nothing and asks nothing more."""
    return member.project.codebook_version


def codebook_snapshot(project_id):
    """The whole codebook of project `project_id` as the API shows it: {guidelines, labels, relation_types,
    questions}, each list by id."""
    guidelines = Project.objects.filter(pk=project_id).values_list("guidelines", flat=True).get()
    return {
        "guidelines": guidelines,
        "labels": [label_json(label) for label in Label.objects.filter(project_id=project_id).order_by("id")],
        "relation_types": [relation_type_json(kind) for kind in relation_type_list(project_id=project_id)],
        "questions": [question_json(q) for q in Question.objects.filter(project_id=project_id).order_by("id")],
    }


def codebook_number_locked(project_id):
    """The number of project `project_id`'s current codebook version, its row locked until the transaction ends: the
    next version is this plus one, for a change that stamps rows with it before codebook_bump records it."""
    return Project.objects.select_for_update().filter(pk=project_id).values_list("codebook_version", flat=True).get()


def codebook_bump(*, member, project_id=None, changes=None):
    """Record the codebook of the member's project (or `project_id`) as its next version, with the lines that say
    how it differs from the current one; call at the end of the transaction of the change. The project row is
    locked first, so two changes at once get consecutive numbers, never the same. A request that changed
    nothing (a PATCH with the values already there) makes no version; returns the new version or None.
    `changes`: the caller's own lines instead of the computed ones, for a change the diff would misread (a merge
    reads as a deletion and a relation type's ends changing); not inside codebook_batch."""
    project_id = member.project_id if project_id is None else project_id
    batched = _batched.get()
    if batched is not None:
        if changes is not None:
            raise RuntimeError("codebook_bump(changes=…) inside codebook_batch would lose its lines")
        batched.add(project_id)
        return None
    made = _made.get()
    if made is not None and project_id in made:
        if changes is not None:
            raise RuntimeError("codebook_bump(changes=…) inside codebook_request would lose its lines")
        return _amend(*made[project_id])
    number = codebook_number_locked(project_id)
    snapshot = codebook_snapshot(project_id)
    if changes is None:
        changes = _changes_since(project_id, number, snapshot)
    if not changes:
        return None
    version = CodebookVersion.objects.create(
        project_id=project_id, number=number + 1, created_by=member.user, changes=changes, snapshot=snapshot
    )
    Project.objects.filter(pk=project_id).update(codebook_version=number + 1)
    if member.project_id == project_id:
        member.project.codebook_version = number + 1
    event = audit_record(
        actor=member.user,
        action="codebook_version.create",
        obj=version,
        project_id=project_id,
        after={"number": version.number, "changes": changes},
    )
    if GUIDELINES_EDITED in changes and member.pk is not None and member.project_id == project_id:
        _guidelines_read_by(member, version.number)  # whoever wrote the new guidelines has read them
    if made is not None:
        made[project_id] = (version, event)
    return version


def _changes_since(project_id, number, snapshot):
    previous = CodebookVersion.objects.filter(project_id=project_id, number=number).values_list("snapshot", flat=True)
    previous = previous.first()
    return codebook_changes(previous, snapshot) if previous is not None else ["codebook recorded"]


def _amend(version, event):
    """Rewrite `version`, made earlier in this still open transaction (so no one else has seen it, and the
    project row stays locked), to the codebook as it is now: its snapshot, its lines and its audit event."""
    version.snapshot = codebook_snapshot(version.project_id)
    version.changes = _changes_since(version.project_id, version.number - 1, version.snapshot)
    version.save(update_fields=["snapshot", "changes"])
    event.after = {"number": version.number, "changes": version.changes}
    event.save(update_fields=["after"])
    return version


@contextmanager
def codebook_request(member):
    """Make every codebook change inside the block one version when annotations written between the changes must
    already carry its number (an import creates labels batch by batch, each batch's spans after its labels): the
    first change makes the version at once, each later one rewrites that same version, still uncommitted. The
    block must run inside one transaction; codebook_batch, which versions once at its end, is cheaper where
    nothing in between needs the number."""
    if _made.get() is not None:
        yield
        return
    token = _made.set({})
    try:
        yield
    finally:
        _made.reset(token)


@transaction.atomic
def guidelines_read(*, member, number):
    """Record that `member` has read the guidelines of version `number` of their project's codebook. It never
    moves back: an older number than the one recorded changes nothing. InvalidInput for a number the codebook
    does not have."""
    if not CodebookVersion.objects.filter(project_id=member.project_id, number=number).exists():
        raise InvalidInput({"version": [f"This codebook has no version {number}."]})
    _guidelines_read_by(member, number)


def _guidelines_read_by(member, number):
    """Move the member's read version up to `number` (a compare-and-swap, so two tabs never move it back), audited
    when it moved."""
    before = member.guidelines_read_version
    moved = (
        Member.objects.filter(pk=member.pk)
        .filter(Q(guidelines_read_version__isnull=True) | Q(guidelines_read_version__lt=number))
        .update(guidelines_read_version=number)
    )
    if not moved:
        return
    member.guidelines_read_version = number
    audit_record(
        actor=member.user,
        action="member.guidelines_read",
        obj=member,
        project_id=member.project_id,
        before={"guidelines_read_version": before},
        after={"guidelines_read_version": number},
    )


@contextmanager
def codebook_batch(member):
    """Make every codebook change inside the block one version (a POST of a list of labels is one request): the
    bump happens once, at the end of the block, which must run inside the changes' transaction."""
    if _batched.get() is not None:  # already in a batch: the outer one versions it
        yield
        return
    token = _batched.set(set())
    try:
        yield
        changed = _batched.get()
    finally:
        _batched.reset(token)
    for project_id in sorted(changed):
        codebook_bump(member=member, project_id=project_id)


def codebook_first(*, user, project):
    """An unsaved version 1 of a new project's codebook (for project_create, which stores its rows in bulk)."""
    return CodebookVersion(
        project=project, number=1, created_by=user, changes=[], snapshot=codebook_snapshot(project.pk)
    )


def codebook_changes(old, new):
    """The readable lines that turn codebook snapshot `old` into `new` (codebook_snapshot's shape), in the order
    guidelines, labels, relation types, questions; by id within each."""
    lines = []
    if old.get("guidelines", "") != new.get("guidelines", ""):
        lines.append(GUIDELINES_EDITED)
    for key, noun in KINDS:
        before = {item["id"]: item for item in old.get(key, [])}
        after = {item["id"]: item for item in new.get(key, [])}
        for pk in sorted(before.keys() | after.keys()):
            if pk not in after:
                lines.append(f'{noun} "{before[pk]["name"]}" deleted')
            elif pk not in before:
                lines.append(f'{noun} "{after[pk]["name"]}" added')
            else:
                lines += _item_changes(noun, before[pk], after[pk])
    return lines


def _item_changes(noun, old, new):
    name = new["name"]
    lines = []
    if old["name"] != name:
        lines.append(f'{noun} "{old["name"]}" renamed to "{name}"')
    if old.get("kind") != new.get("kind"):
        lines.append(f'{noun} "{name}" kind changed from {old["kind"]} to {new["kind"]}')
    for option in new.get("options", []):
        if option not in old.get("options", []):
            lines.append(f'{noun} "{name}" gained option "{option}"')
    for option in old.get("options", []):
        if option not in new.get("options", []):
            lines.append(f'{noun} "{name}" lost option "{option}"')
    if (old.get("min"), old.get("max")) != (new.get("min"), new.get("max")) and new.get("min") is not None:
        lines.append(f'{noun} "{name}" range changed to {new["min"]}–{new["max"]}')
    if old.get("required") != new.get("required"):
        lines.append(f'{noun} "{name}" {"now required" if new["required"] else "no longer required"}')
    for field, word in (("color", "colour"), ("key", "key"), ("description", "description")):
        if old.get(field) != new.get(field):
            lines.append(f'{noun} "{name}" {word} changed')
    if old.get("from_labels") != new.get("from_labels") or old.get("to_labels") != new.get("to_labels"):
        lines.append(f'{noun} "{name}" allowed labels changed')
    if old["active"] != new["active"]:
        lines.append(f'{noun} "{name}" {"reactivated" if new["active"] else "deactivated"}')
    return lines

"""Documents: articles of a project. Text is stored as given but for line endings, and freezes once annotated."""

from django.db import transaction

from annotator.errors import InvalidInput, TextFrozen
from annotator.models import AuditEvent, Document, GoldSpan, Span
from annotator.services.assignments import assignment_fill
from annotator.services.audit import audit_event, audit_record, snapshot
from annotator.text import normalize_newlines, text_hash


def _check_external_ids(project, items):
    """Per-item errors (DRF's list shape) for external ids taken in the project or repeated in `items`."""
    wanted = [item.get("external_id") or "" for item in items]
    taken = set(
        Document.objects.filter(project=project, external_id__in=[w for w in wanted if w]).values_list(
            "external_id", flat=True
        )
    )
    seen, errors = set(), []
    for external_id in wanted:
        error = {}
        if external_id in taken:
            error["external_id"] = [f"A document with external id {external_id!r} already exists in this project."]
        elif external_id and external_id in seen:
            error["external_id"] = [f"The external id {external_id!r} is given twice."]
        seen.add(external_id)
        errors.append(error)
    return errors


@transaction.atomic
def document_create_many(*, member, items):
    """Create documents from validated field dicts and assign them; all or nothing.

    InvalidInput (a list of per-item errors) if an external_id is taken or repeated.
    """
    project = member.project
    errors = _check_external_ids(project, items)
    if any(errors):
        raise InvalidInput(errors)
    documents = []
    for item in items:
        text = normalize_newlines(item["text"])
        documents.append(Document(project=project, **{**item, "text": text, "text_hash": text_hash(text)}))
    documents = Document.objects.bulk_create(documents, batch_size=500)
    AuditEvent.objects.bulk_create(
        [
            audit_event(
                actor=member.user, action="document.create", obj=doc, project_id=project.pk, after=snapshot(doc)
            )
            for doc in documents
        ],
        batch_size=1000,
    )
    assignment_fill(project=project, document_ids=[doc.pk for doc in documents])
    return documents


@transaction.atomic
def document_update(*, member, document, **changes):
    """Change a document's fields; TextFrozen if its text changes once spans point into it."""
    if "text" in changes:
        changes["text"] = normalize_newlines(changes["text"])
        if changes["text"] == document.text:
            del changes["text"]
        elif Span.objects.filter(document=document).exists() or GoldSpan.objects.filter(document=document).exists():
            raise TextFrozen()
        else:
            changes["text_hash"] = text_hash(changes["text"])
    new_id = changes.get("external_id")
    if (
        new_id
        and new_id != document.external_id
        and Document.objects.filter(project_id=document.project_id, external_id=new_id).exists()
    ):
        raise InvalidInput({"external_id": ["Another document of this project has this external id."]})
    before = snapshot(document)
    for name, value in changes.items():
        setattr(document, name, value)
    document.save()
    after = snapshot(document)
    if "text" in changes:
        after["text"] = document.text
    audit_record(
        actor=member.user,
        action="document.update",
        obj=document,
        project_id=document.project_id,
        before=before,
        after=after,
    )
    return document


@transaction.atomic
def document_delete(*, member, document):
    """Delete a document with its spans, gold spans and assignments."""
    audit_record(
        actor=member.user,
        action="document.delete",
        obj=document,
        project_id=document.project_id,
        before=snapshot(document),
    )
    document.delete()

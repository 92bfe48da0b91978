"""The audit trail: one event per change, written by the service that makes the change, in its transaction."""

import datetime
import decimal
import json
from functools import cache

from django.db import connection
from django.utils import timezone

from annotator.choices import AssignmentStatus
from annotator.models import Assignment, AuditEvent, Document
from annotator.services.figures import figures_touch

# Article text can be long and never changes once spans point into it; events record its length instead.
_EXCLUDED = {Document: {"text"}}


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj):
    """A JSON-ready dict of `obj`'s stored fields, as the audit trail keeps it."""
    excluded = _EXCLUDED.get(type(obj), set())
    data = {f.attname: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.name not in excluded}
    if "text" in excluded:
        data["text_length"] = len(obj.text)
    return data


def audit_event(*, actor, action, obj, project_id, before=None, after=None):
    """An unsaved AuditEvent for `action` on `obj` (for bulk_create). Every audited change may change what the
    project's figures read, so each also marks them for a refresh once its transaction commits (figures_touch)."""
    figures_touch(project_id=project_id)
    return AuditEvent(
        project_id=project_id,
        actor=actor if actor and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=type(obj)._meta.model_name,
        object_id=obj.pk,
        before=before,
        after=after,
    )


def audit_record(**kwargs):
    """Write one audit event; call inside the transaction of the change it records."""
    event = audit_event(**kwargs)
    event.save(force_insert=True)
    return event


def delete_audited(rows, *, actor, action, project_id):
    """Delete the rows of the queryset `rows`, each with its own `action` event (its state before); call inside
    the transaction of the change that takes them along (a span's relations go with the span). The rows are
    locked as they are read, so none changes unrecorded in between."""
    doomed = list(rows.select_for_update().order_by("id"))
    if not doomed:
        return []
    AuditEvent.objects.bulk_create(
        audit_event(actor=actor, action=action, obj=row, project_id=project_id, before=snapshot(row)) for row in doomed
    )
    type(doomed[0]).objects.filter(pk__in=[row.pk for row in doomed]).delete()
    return doomed


@cache
def _columns_but_id(model):
    # Every column but the id, from the model: a new field is written here as the ORM path writes it.
    return [field for field in model._meta.concrete_fields if not field.primary_key]


@cache
def _insert_audited_sql(model, start_assignment):
    qn = connection.ops.quote_name
    table, audit, assignment = (qn(m._meta.db_table) for m in (model, AuditEvent, Assignment))
    new_id = f"new_row.{qn('id')}"
    # The event names the row by the id the insert gave it, in object_id and in its snapshot.
    computed = {"object_id": new_id, "after": f"jsonb_set(%s::jsonb, '{{id}}', to_jsonb({new_id}))"}
    fields, audit_fields = _columns_but_id(model), _columns_but_id(AuditEvent)
    # Names come from the models, never from input; every value is a parameter.
    started = (
        f", started AS (UPDATE {assignment} SET {qn('status')} = %s, {qn('updated_at')} = %s "  # noqa: S608
        f"WHERE {qn('document_id')} = %s AND {qn('user_id')} = %s AND {qn('status')} = %s)"
    )
    return (
        f"WITH new_row AS (INSERT INTO {table} ({', '.join(qn(field.column) for field in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn('id')})"
        f"{started if start_assignment else ''} "
        f"INSERT INTO {audit} ({', '.join(qn(field.column) for field in audit_fields)}) "
        f"SELECT {', '.join(computed.get(field.attname, '%s') for field in audit_fields)} "
        f"FROM new_row RETURNING {qn('object_id')}"
    )


def insert_audited(obj, *, actor, action, project_id, start_assignment=False):
    """PostgreSQL: store the new `obj` (a Span, Relation, Answer or SuggestionDecision: with `created_at`), its `action`
    audit event (its state after) and, with `start_assignment`, the move of its annotator's assignment of its document
    from assigned to in_progress, in one statement, which is atomic on its own: one round trip instead of four or five
    (BEGIN, the row, its event, the assignment, COMMIT), for the hottest writes. The rows are the ones the ORM path
    writes (tests/services/test_fast_paths.py compares them)."""
    model = type(obj)
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.attname in {"created_at", "updated_at"}:
            setattr(obj, field.attname, now)
    event = audit_event(actor=actor, action=action, obj=obj, project_id=project_id, after=snapshot(obj))
    event.created_at = now
    params = [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in _columns_but_id(model)]
    if start_assignment:
        params += [AssignmentStatus.IN_PROGRESS, now, obj.document_id, obj.annotator_id, AssignmentStatus.ASSIGNED]
    for field in _columns_but_id(AuditEvent):
        if field.attname == "after":
            params.append(json.dumps(event.after))
        elif field.attname != "object_id":
            params.append(field.get_db_prep_save(getattr(event, field.attname), connection))
    with connection.cursor() as cursor:
        cursor.execute(_insert_audited_sql(model, start_assignment), params)
        (obj.pk,) = cursor.fetchone()
    obj._state.adding = False
    obj._state.db = connection.alias

"""The audit trail: one event per change, written by the service that makes the change, in its transaction."""

import datetime
import decimal

from annotator.models import AuditEvent, Document

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
    """An unsaved AuditEvent for `action` on `obj` (for bulk_create)."""
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

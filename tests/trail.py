"""Assertions on the audit trail: what a service or a request wrote to it, and only that."""

from django.db.models import Max

from annotator.models import AuditEvent


class Trail:
    """The audit events written since it was made."""

    def __init__(self):
        self.mark = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0

    def events(self):
        return list(AuditEvent.objects.filter(id__gt=self.mark).order_by("id"))

    def one(self, action, obj_id, actor):
        """Assert that exactly one event was written, by `actor`, for `action` on `obj_id`; return it. A codebook
        change's own `codebook_version.create` event beside it, and the `member.guidelines_read` of whoever edited the
        guidelines, are left to tests/services/test_codebook.py and tests/api/test_guidelines_read.py."""
        companions = {"codebook_version.create", "member.guidelines_read"} - {action}
        events = [e for e in self.events() if e.action not in companions]
        assert [(e.action, e.object_id) for e in events] == [(action, obj_id)]
        [event] = events
        assert (event.actor_id, event.actor_username) == (actor.pk, actor.username)
        return event

    def none(self):
        assert self.events() == []

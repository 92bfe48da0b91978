"""Optimistic concurrency: every accepted change raises `version` by one, as a compare-and-swap in the database."""

from django.db.models import F
from django.utils import timezone

from annotator.errors import NotFound, VersionConflict


def check_version(obj, expected):
    """Refuse early when the client's version is known stale (None means the client takes the risk);
    NotFound when the object was deleted since it was read."""
    if expected is not None and expected != obj.version:
        raise VersionConflict(_current(type(obj), obj.pk))


def swap(obj, expected, changes):
    """Apply `changes` to `obj` only if its stored version is still `expected` (or obj.version when None).

    Exactly one of several racing writers with the same version wins; the others get VersionConflict.
    Returns `obj` with the changes and its new version applied.
    """
    version = obj.version if expected is None else expected
    model = type(obj)
    now = timezone.now()
    updated = model.objects.filter(pk=obj.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=now
    )
    if not updated:
        raise VersionConflict(_current(model, obj.pk))
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version = version + 1
    obj.updated_at = now
    return obj


def delete_if_current(obj, expected):
    """Delete `obj` only if its stored version is still `expected` (or obj.version when None); call it in a
    transaction."""
    version = obj.version if expected is None else expected
    model = type(obj)
    # Lock the row at that version first: a delete that visits related rows (a span's gold copies) reads the rows
    # and then deletes them by primary key alone, so a change committed in between was deleted unseen.
    if not model.objects.select_for_update().filter(pk=obj.pk, version=version).exists():
        raise VersionConflict(_current(model, obj.pk))
    model.objects.filter(pk=obj.pk).delete()


def _current(model, pk):
    current = model.objects.filter(pk=pk).first()
    if current is None:
        raise NotFound("This object was deleted meanwhile.")
    return current

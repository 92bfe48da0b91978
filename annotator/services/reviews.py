"""Reviews: a reviewer or owner accepts or rejects a span, a relation or an answer, with a comment; a review
raises its version."""

from django.db import transaction
from django.utils import timezone

from annotator.services.audit import audit_record, snapshot
from annotator.services.versioning import check_version, swap


def _review(*, member, obj, action, decision, comment, expected_version):
    check_version(obj, expected_version)
    before = snapshot(obj)
    swap(
        obj,
        expected_version,
        {
            "review_status": decision,
            "review_comment": comment,
            "reviewed_by": member.user,
            "reviewed_at": timezone.now(),
        },
    )
    audit_record(
        actor=member.user,
        action=action,
        obj=obj,
        project_id=member.project_id,
        before=before,
        after=snapshot(obj),
    )
    return obj


@transaction.atomic
def span_review(*, member, span, decision, comment="", expected_version=None):
    """Record `decision` ("accepted" or "rejected") on `span`; VersionConflict when `expected_version` is stale."""
    return _review(
        member=member,
        obj=span,
        action="span.review",
        decision=decision,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def relation_review(*, member, relation, decision, comment="", expected_version=None):
    """Record `decision` ("accepted" or "rejected") on `relation`; VersionConflict when `expected_version` is
    stale."""
    return _review(
        member=member,
        obj=relation,
        action="relation.review",
        decision=decision,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def answer_review(*, member, answer, decision, comment="", expected_version=None):
    """Record `decision` ("accepted" or "rejected") on `answer`; VersionConflict when `expected_version` is stale."""
    return _review(
        member=member,
        obj=answer,
        action="answer.review",
        decision=decision,
        comment=comment,
        expected_version=expected_version,
    )

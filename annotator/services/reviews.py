"""Reviews: a reviewer or owner accepts or rejects a span, with a comment; a review raises its version."""

from django.db import transaction
from django.utils import timezone

from annotator.services.audit import audit_record, snapshot
from annotator.services.versioning import check_version, swap


@transaction.atomic
def span_review(*, member, span, decision, comment="", expected_version=None):
    """Record `decision` ("accepted" or "rejected") on `span`; VersionConflict when `expected_version` is stale."""
    check_version(span, expected_version)
    before = snapshot(span)
    swap(
        span,
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
        action="span.review",
        obj=span,
        project_id=member.project_id,
        before=before,
        after=snapshot(span),
    )
    return span

"""annotator.services.reviews called directly: a decision with its comment and reviewer, the version it raises,
stale versions, and one audit event per review. Who may review is the API's check (tests/api/test_reviews.py)."""

import pytest

from annotator.errors import NotFound, VersionConflict
from annotator.models import ReviewStatus, Span
from annotator.services.reviews import span_review
from annotator.services.spans import span_delete, span_update
from tests.arrange import member_of
from tests.trail import Trail


def review(user, span, decision, comment="", **kwargs):
    return span_review(
        member=member_of(user, span.document.project_id), span=span, decision=decision, comment=comment, **kwargs
    )


def stored(span):
    return Span.objects.get(pk=span.pk)


class TestSpanReview:
    @pytest.mark.parametrize(
        ("role", "decision"), [("reviewer", ReviewStatus.ACCEPTED), ("owner", ReviewStatus.REJECTED)]
    )
    def test_the_decision_is_stored_with_its_comment_and_reviewer(self, request, span, role, decision):
        user = request.getfixturevalue(role)

        review(user, span, decision, "Verb and source both in.")

        row = stored(span)
        assert (row.review_status, row.review_comment, row.reviewed_by) == (decision, "Verb and source both in.", user)
        assert row.reviewed_at is not None

    def test_a_review_raises_the_version_and_leaves_label_and_range_alone(self, reviewer, span):
        review(reviewer, span, ReviewStatus.ACCEPTED, expected_version=1)

        row = stored(span)
        assert row.version == 2
        assert (row.label_id, row.start, row.end, row.note) == (span.label_id, span.start, span.end, span.note)

    def test_a_comment_is_optional(self, reviewer, span):
        review(reviewer, span, ReviewStatus.ACCEPTED)

        assert stored(span).review_comment == ""

    def test_a_second_review_replaces_the_first(self, reviewer, owner, span):
        review(reviewer, span, ReviewStatus.ACCEPTED, "Fine.")

        review(owner, stored(span), ReviewStatus.REJECTED, "No.", expected_version=2)

        row = stored(span)
        assert (row.review_status, row.review_comment, row.reviewed_by, row.version) == (
            ReviewStatus.REJECTED,
            "No.",
            owner,
            3,
        )

    def test_stale_version_is_refused_with_the_current_span(self, annotator, reviewer, span):
        span_update(member=member_of(annotator, span.document.project_id), span=span, note="moved on")
        trail = Trail()

        with pytest.raises(VersionConflict) as refused:
            review(reviewer, span, ReviewStatus.ACCEPTED, expected_version=1)

        assert (refused.value.current.version, refused.value.current.note) == (2, "moved on")
        assert stored(span).review_status == ReviewStatus.PENDING
        trail.none()

    def test_a_review_made_on_an_old_copy_loses_to_the_change_stored_since(self, annotator, reviewer, span):
        old_copy = stored(span)
        span_update(member=member_of(annotator, span.document.project_id), span=span, note="moved on")

        with pytest.raises(VersionConflict):
            review(reviewer, old_copy, ReviewStatus.ACCEPTED)

        assert stored(span).review_status == ReviewStatus.PENDING

    def test_a_review_of_a_span_deleted_meanwhile_is_not_found(self, annotator, reviewer, span):
        old_copy = stored(span)
        span_delete(member=member_of(annotator, span.document.project_id), span=span)
        trail = Trail()

        with pytest.raises(NotFound):
            review(reviewer, old_copy, ReviewStatus.ACCEPTED, expected_version=1)

        trail.none()

    def test_a_review_writes_one_event_with_before_and_after(self, reviewer, span):
        trail = Trail()

        review(reviewer, span, ReviewStatus.REJECTED, "Not a source.")

        event = trail.one("span.review", span.pk, reviewer)
        assert (event.object_type, event.project_id) == ("span", span.document.project_id)
        assert (event.before["review_status"], event.before["reviewed_by_id"], event.before["version"]) == (
            "pending",
            None,
            1,
        )
        assert (event.after["review_status"], event.after["review_comment"]) == ("rejected", "Not a source.")
        assert (event.after["reviewed_by_id"], event.after["version"]) == (reviewer.pk, 2)

"""annotator.services.spans called directly: who may draw, change and delete a span, what it is checked against,
versions, the review a move resets, the assignment a first span starts, and the audit event of each change."""

import pytest

from annotator.errors import InvalidInput, NotAllowed, NotFound, VersionConflict
from annotator.models import Assignment, AssignmentStatus, ReviewStatus, Span
from annotator.services.labels import label_update
from annotator.services.reviews import span_review
from annotator.services.spans import span_create, span_delete, span_update
from tests.arrange import member_of, over, phrase, submit
from tests.factories import ARTICLE
from tests.trail import Trail


def create(user, document, label, words="told reporters", **fields):
    member = member_of(user, document.project_id)
    return span_create(member=member, document=document, **over(document, label, words), **fields)


def update(user, span, **changes):
    return span_update(member=member_of(user, span.document.project_id), span=span, **changes)


def delete(user, span, **kwargs):
    span_delete(member=member_of(user, span.document.project_id), span=span, **kwargs)


def stored(span):
    return Span.objects.get(pk=span.pk)


def status_of(user, document):
    return Assignment.objects.get(document=document, user=user).status


def assert_back_to_pending(row):
    """The review is gone, and the move raised the version past the review's."""
    assert (row.review_status, row.review_comment, row.reviewed_by, row.reviewed_at) == (
        ReviewStatus.PENDING,
        "",
        None,
        None,
    )
    assert row.version == 3


@pytest.fixture
def other_label(project):
    return project.labels.get(name="Diplomatic claim")


@pytest.fixture
def rejected(span, reviewer):
    """`span`, rejected with a comment: at version 2."""
    return span_review(
        member=member_of(reviewer, span.document.project_id), span=span, decision="rejected", comment="Too short."
    )


class TestSpanCreate:
    def test_an_assigned_annotator_draws_a_pending_span_at_version_1(self, annotator, document, label):
        span = create(annotator, document, label, note="the verb")

        row = stored(span)
        assert (row.annotator, row.label, row.note) == (annotator, label, "the verb")
        assert ARTICLE[row.start : row.end] == "told reporters"
        assert (row.review_status, row.version) == (ReviewStatus.PENDING, 1)

    def test_an_annotator_the_document_is_not_assigned_to_is_refused(self, third_annotator, document, label):
        trail = Trail()

        with pytest.raises(NotAllowed, match="not assigned to you"):
            create(third_annotator, document, label)

        assert not Span.objects.exists()
        trail.none()

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_owners_and_reviewers_draw_on_any_document(self, request, document, label, role):
        user = request.getfixturevalue(role)

        span = create(user, document, label)

        assert stored(span).annotator == user

    def test_a_label_of_another_project_is_refused_naming_label(self, annotator, document, other_project):
        foreign = other_project.labels.first()

        with pytest.raises(InvalidInput) as refused:
            create(annotator, document, foreign)

        assert refused.value.detail == {"label": [f"label {foreign.pk} is not in this project"]}
        assert not Span.objects.exists()

    def test_a_deactivated_label_is_refused_naming_label(self, owner, annotator, document, label):
        label_update(member=member_of(owner, label.project), label=label, active=False)

        with pytest.raises(InvalidInput) as refused:
            create(annotator, document, label)

        assert refused.value.detail == {"label": ["label 'Source attribution' is deactivated"]}

    @pytest.mark.parametrize(
        ("start", "end", "field", "message"),
        [
            (len(ARTICLE), len(ARTICLE) + 1, "start", f"start {len(ARTICLE)} is past the end of the text"),
            (0, len(ARTICLE) + 1, "end", f"end {len(ARTICLE) + 1} is past the end of the text"),
            (10, 10, "end", "start 10 is not before end 10"),
            (10, 9, "end", "start 10 is not before end 9"),
        ],
    )
    def test_a_range_outside_the_text_or_backwards_is_refused_naming_the_field(
        self, annotator, document, label, start, end, field, message
    ):
        with pytest.raises(InvalidInput) as refused:
            span_create(member=member_of(annotator, document.project_id), document=document, label=label.pk,
                        start=start, end=end)  # fmt: skip

        assert list(refused.value.detail) == [field]
        assert refused.value.detail[field][0].startswith(message)
        assert not Span.objects.exists()

    def test_the_range_may_end_at_the_last_code_point(self, annotator, document, label):
        span = span_create(member=member_of(annotator, document.project_id), document=document, label=label.pk,
                           start=len(ARTICLE) - 7, end=len(ARTICLE))  # fmt: skip

        assert ARTICLE[span.start : span.end] == "outlet."

    def test_text_that_does_not_match_the_range_is_refused_naming_text(self, annotator, document, label):
        with pytest.raises(InvalidInput) as refused:
            create(annotator, document, label, text="told reporters on")

        assert list(refused.value.detail) == ["text"]
        assert "'told reporters'" in refused.value.detail["text"][0]

    def test_text_equal_to_the_range_is_accepted(self, annotator, document, label):
        span = create(annotator, document, label, "Readers can donate", text="Readers can donate")

        assert ARTICLE[span.start : span.end] == "Readers can donate"

    def test_the_first_span_starts_the_assignment(self, annotator, annotator2, document, label):
        create(annotator, document, label)

        assert status_of(annotator, document) == AssignmentStatus.IN_PROGRESS
        assert status_of(annotator2, document) == AssignmentStatus.ASSIGNED

    def test_a_span_on_submitted_work_leaves_it_submitted(self, annotator, document, label):
        submit(annotator, document)

        create(annotator, document, label)

        assert status_of(annotator, document) == AssignmentStatus.SUBMITTED

    def test_a_create_writes_one_event_with_the_span_after(self, annotator, document, label):
        trail = Trail()

        span = create(annotator, document, label)

        event = trail.one("span.create", span.pk, annotator)
        assert (event.object_type, event.project_id, event.before) == ("span", document.project_id, None)
        assert (event.after["id"], event.after["label_id"], event.after["annotator_id"]) == (
            span.pk,
            label.pk,
            annotator.pk,
        )
        assert (event.after["start"], event.after["end"], event.after["version"]) == (span.start, span.end, 1)


class TestSpanUpdate:
    def test_the_annotator_changes_label_range_and_note_and_the_version_rises(
        self, annotator, span, other_label
    ):
        start, end = phrase("told reporters on Monday")

        update(annotator, span, label=other_label.pk, start=start, end=end, note="with the day", expected_version=1)

        row = stored(span)
        assert (row.label, row.start, row.end, row.note, row.version) == (other_label, start, end, "with the day", 2)

    def test_stale_version_is_refused_with_the_current_span(self, annotator, span):
        update(annotator, span, note="first", expected_version=1)
        trail = Trail()

        with pytest.raises(VersionConflict) as refused:
            update(annotator, stored(span), note="second", expected_version=1)

        assert (refused.value.current.version, refused.value.current.note) == (2, "first")
        assert stored(span).note == "first"
        trail.none()

    def test_a_change_made_on_an_old_copy_loses_to_the_one_stored_since(self, annotator, span):
        old_copy = stored(span)
        update(annotator, span, note="first")

        with pytest.raises(VersionConflict):
            update(annotator, old_copy, note="second")

        assert (stored(span).note, stored(span).version) == ("first", 2)

    def test_a_span_deleted_meanwhile_is_not_found(self, annotator, span):
        old_copy = stored(span)
        delete(annotator, span)

        with pytest.raises(NotFound):
            update(annotator, old_copy, note="too late", expected_version=1)

    @pytest.mark.parametrize("role", ["owner", "reviewer", "annotator2"])
    def test_only_the_annotator_who_drew_it_may_change_it(self, request, span, role):
        trail = Trail()

        with pytest.raises(NotAllowed, match="Only the annotator who drew a span"):
            update(request.getfixturevalue(role), span, note="mine now")

        assert (stored(span).note, stored(span).version) == ("", 1)
        trail.none()

    def test_a_new_end_beyond_the_text_is_refused_naming_end(self, annotator, span):
        with pytest.raises(InvalidInput) as refused:
            update(annotator, span, end=len(ARTICLE) + 1)

        assert list(refused.value.detail) == ["end"]
        assert stored(span).end == span.end

    def test_a_new_start_past_the_end_is_refused_naming_end(self, annotator, span):
        with pytest.raises(InvalidInput) as refused:
            update(annotator, span, start=span.end)

        assert list(refused.value.detail) == ["end"]

    def test_a_label_of_another_project_is_refused_naming_label(self, annotator, span, other_project):
        with pytest.raises(InvalidInput) as refused:
            update(annotator, span, label=other_project.labels.first().pk)

        assert list(refused.value.detail) == ["label"]

    def test_text_is_checked_against_the_new_range(self, annotator, span):
        start, end = phrase("told reporters on Monday")

        with pytest.raises(InvalidInput) as refused:
            update(annotator, span, start=start, end=end, text="told reporters")

        assert list(refused.value.detail) == ["text"]
        assert (stored(span).end, stored(span).version) == (span.end, 1)

    def test_a_new_label_sends_a_reviewed_span_back_to_pending(self, annotator, rejected, other_label):
        update(annotator, rejected, label=other_label.pk, expected_version=2)

        assert_back_to_pending(stored(rejected))

    def test_a_new_range_sends_a_reviewed_span_back_to_pending(self, annotator, rejected):
        start, end = phrase("told reporters on Monday")

        update(annotator, rejected, start=start, end=end, expected_version=2)

        assert_back_to_pending(stored(rejected))

    def test_a_note_alone_leaves_the_review_standing(self, annotator, reviewer, rejected):
        update(annotator, rejected, note="I disagree", expected_version=2)

        row = stored(rejected)
        assert (row.review_status, row.review_comment) == (ReviewStatus.REJECTED, "Too short.")
        assert (row.reviewed_by, row.version) == (reviewer, 3)

    def test_the_same_range_sent_again_leaves_the_review_standing(self, annotator, rejected):
        update(annotator, rejected, start=rejected.start, end=rejected.end, expected_version=2)

        assert stored(rejected).review_status == ReviewStatus.REJECTED

    def test_an_update_writes_one_event_with_before_and_after(self, annotator, span, label, other_label):
        trail = Trail()

        update(annotator, span, label=other_label.pk, note="a claim", expected_version=1)

        event = trail.one("span.update", span.pk, annotator)
        assert (event.before["label_id"], event.before["note"], event.before["version"]) == (label.pk, "", 1)
        assert (event.after["label_id"], event.after["note"], event.after["version"]) == (other_label.pk, "a claim", 2)


class TestSpanDelete:
    def test_the_annotator_deletes_their_span_and_one_event_keeps_it(self, annotator, span):
        trail = Trail()

        delete(annotator, span, expected_version=1)

        assert not Span.objects.filter(pk=span.pk).exists()
        event = trail.one("span.delete", span.pk, annotator)
        assert (event.before["start"], event.before["end"], event.after) == (span.start, span.end, None)

    def test_stale_version_is_refused_and_the_span_stays(self, annotator, span):
        update(annotator, span, note="changed elsewhere")
        trail = Trail()

        with pytest.raises(VersionConflict) as refused:
            delete(annotator, stored(span), expected_version=1)

        assert refused.value.current.version == 2
        assert Span.objects.filter(pk=span.pk).exists()
        trail.none()

    def test_a_delete_that_loses_a_race_takes_its_event_back(self, annotator, span):
        """The event is written before the row is deleted: only the shared transaction takes it back."""
        old_copy = stored(span)
        update(annotator, span, note="changed meanwhile")
        trail = Trail()

        with pytest.raises(VersionConflict):
            delete(annotator, old_copy)

        assert stored(span).note == "changed meanwhile"
        trail.none()

    @pytest.mark.parametrize("role", ["owner", "reviewer", "annotator2"])
    def test_only_the_annotator_who_drew_it_may_delete_it(self, request, span, role):
        trail = Trail()

        with pytest.raises(NotAllowed, match="Only the annotator who drew a span"):
            delete(request.getfixturevalue(role), span)

        assert Span.objects.filter(pk=span.pk).exists()
        trail.none()

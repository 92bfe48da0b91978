"""annotator.services.relations called directly: who may link which spans, the type's rules, no duplicates,
versions, review, audit events, and the relations a span's deletion takes along."""

import pytest
from django.db import IntegrityError, transaction

from annotator.errors import InvalidInput, NotAllowed, RelationExists, VersionConflict
from annotator.models import AuditEvent, Relation, ReviewStatus
from annotator.services.documents import document_create_many
from annotator.services.relation_types import relation_type_update
from annotator.services.relations import relation_delete, relation_update
from annotator.services.reviews import relation_review
from annotator.services.spans import span_delete
from tests.arrange import draw, make_relation_type, member_of, relate
from tests.factories import ARTICLE
from tests.trail import Trail


@pytest.fixture
def says(owner, project):
    """A relation type from a Source attribution to an Official statement or a Diplomatic claim."""
    return make_relation_type(
        owner,
        project,
        "Says",
        key="q",
        from_labels=["Source attribution"],
        to_labels=["Official statement", "Diplomatic claim"],
    )


@pytest.fixture
def anything(owner, project):
    """A relation type whose ends may carry any label."""
    return make_relation_type(owner, project, "Related")


@pytest.fixture
def claim(annotator, document):
    """`annotator`'s Official statement over "talks would resume"."""
    return draw(annotator, document, "Official statement", "talks would resume")


@pytest.fixture
def quote(annotator, document):
    """`annotator`'s Diplomatic claim over "We expect a result within weeks"."""
    return draw(annotator, document, "Diplomatic claim", "We expect a result within weeks")


@pytest.fixture
def relation(annotator, says, span, claim):
    """`annotator`'s Says relation from `span` ("told reporters") to `claim`, at version 1."""
    return relate(annotator, says, span, claim)


def update(user, relation, **changes):
    return relation_update(member=member_of(user, relation.document.project_id), relation=relation, **changes)


def refusal(call):
    with pytest.raises(InvalidInput) as refused:
        call()
    return refused.value.detail


class TestRelationCreate:
    def test_an_annotator_links_two_of_their_spans_pending_at_version_1_and_audited(self, annotator, says, span, claim):
        trail = Trail()

        relation = relate(annotator, says, span, claim, note="the claim's source")

        row = Relation.objects.get(pk=relation.pk)
        assert (row.annotator, row.type, row.from_span, row.to_span) == (annotator, says, span, claim)
        assert (row.note, row.review_status, row.version) == ("the claim's source", ReviewStatus.PENDING, 1)
        event = trail.one("relation.create", relation.pk, annotator)
        assert event.after["from_span_id"] == span.pk
        assert event.object_type == "relation"

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_owners_and_reviewers_link_their_own_spans_on_any_document(self, request, document, says, role):
        user = request.getfixturevalue(role)
        source = draw(user, document, "Source attribution", "told reporters")
        target = draw(user, document, "Official statement", "talks would resume")

        relation = relate(user, says, source, target)

        assert relation.annotator == user

    def test_an_annotator_the_document_is_no_longer_assigned_to_is_refused(
        self, owner, annotator, document, says, span, claim
    ):
        document.assignments.filter(user=annotator).delete()

        with pytest.raises(NotAllowed, match="not assigned to you"):
            relate(annotator, says, span, claim)

        assert not Relation.objects.exists()

    def test_another_annotators_span_is_refused_naming_the_end(self, annotator, annotator2, document, says, span):
        theirs = draw(annotator2, document, "Official statement", "talks would resume")

        detail = refusal(lambda: relate(annotator, says, span, theirs))

        assert detail == {"to_span": [f"span {theirs.pk} is not one of your spans of this document"]}

    def test_a_span_of_another_document_is_refused_naming_the_end(self, owner, annotator, document, says, claim):
        [sibling] = document_create_many(member=member_of(owner, document.project), items=[{"text": ARTICLE}])
        elsewhere = draw(annotator, sibling, "Source attribution", "told reporters")

        detail = refusal(lambda: relate(annotator, says, elsewhere, claim, document=document))

        assert list(detail) == ["from_span"]

    def test_a_span_of_another_project_reads_like_a_span_that_does_not_exist(
        self, outsider, annotator, document, says, claim, other_project
    ):
        foreign = draw(outsider, other_project.documents.get(), "Source", "Foreign")
        missing = type(foreign)(pk=987_654_321, label_id=foreign.label_id, document=document)

        foreign_detail = refusal(lambda: relate(annotator, says, foreign, claim, document=document))
        missing_detail = refusal(lambda: relate(annotator, says, missing, claim, document=document))

        assert foreign_detail["from_span"][0].replace(str(foreign.pk), "N") == (
            missing_detail["from_span"][0].replace("987654321", "N")
        )
        assert "Foreign" not in str(foreign_detail)

    def test_both_ends_missing_are_both_named(self, annotator, document, says, other_project, outsider):
        foreign = draw(outsider, other_project.documents.get(), "Source", "Foreign")
        other = draw(outsider, other_project.documents.get(), "Cue", "text")

        detail = refusal(lambda: relate(annotator, says, foreign, other, document=document))

        assert set(detail) == {"from_span", "to_span"}

    def test_the_same_span_at_both_ends_is_refused_naming_to_span(self, annotator, anything, span):
        detail = refusal(lambda: relate(annotator, anything, span, span))

        assert list(detail) == ["to_span"]
        assert "the same" in detail["to_span"][0]

    def test_the_database_refuses_a_relation_from_a_span_to_itself(self, annotator, anything, span):
        with pytest.raises(IntegrityError), transaction.atomic():
            Relation.objects.create(
                document=span.document, annotator=annotator, type=anything, from_span=span, to_span=span
            )

    def test_a_type_of_another_project_is_refused_naming_type(self, annotator, span, claim, other_project):
        foreign = other_project.relation_types.first()

        detail = refusal(lambda: relate(annotator, foreign, span, claim))

        assert detail == {"type": [f"relation type {foreign.pk} is not in this project"]}

    def test_a_deactivated_type_is_refused_naming_type(self, owner, annotator, says, span, claim):
        relation_type_update(member=member_of(owner, says.project_id), relation_type=says, active=False)

        detail = refusal(lambda: relate(annotator, says, span, claim))

        assert detail == {"type": ["relation type 'Says' is deactivated"]}

    def test_a_from_span_whose_label_the_type_does_not_allow_is_refused_naming_from_span(
        self, annotator, document, says, claim, quote
    ):
        detail = refusal(lambda: relate(annotator, says, quote, claim))

        assert detail == {"from_span": ["relation type 'Says' does not start at a span with this label"]}

    def test_a_to_span_whose_label_the_type_does_not_allow_is_refused_naming_to_span(
        self, annotator, document, says, span
    ):
        appeal = draw(annotator, document, "Editorial appeal", "Readers can donate")

        detail = refusal(lambda: relate(annotator, says, span, appeal))

        assert detail == {"to_span": ["relation type 'Says' does not end at a span with this label"]}

    def test_a_type_without_label_lists_takes_any_labels(self, annotator, anything, claim, quote):
        assert relate(annotator, anything, quote, claim).pk

    def test_the_same_relation_twice_answers_the_first(self, annotator, says, span, claim, relation):
        trail = Trail()

        with pytest.raises(RelationExists) as refused:
            relate(annotator, says, span, claim)

        assert refused.value.current.pk == relation.pk
        assert Relation.objects.count() == 1
        trail.none()

    def test_the_same_ends_in_reverse_or_with_another_type_are_other_relations(
        self, annotator, anything, says, span, claim, relation
    ):
        relate(annotator, anything, claim, span)
        relate(annotator, anything, span, claim)

        assert Relation.objects.count() == 3

    def test_the_database_refuses_a_second_copy(self, annotator, says, span, claim, relation):
        with pytest.raises(IntegrityError), transaction.atomic():
            Relation.objects.create(
                document=span.document, annotator=annotator, type=says, from_span=span, to_span=claim
            )


class TestRelationUpdate:
    def test_a_new_note_raises_the_version_and_is_audited(self, annotator, relation):
        trail = Trail()

        updated = update(annotator, relation, note="who said it", expected_version=1)

        assert (updated.note, updated.version) == ("who said it", 2)
        event = trail.one("relation.update", relation.pk, annotator)
        assert (event.before["note"], event.after["note"]) == ("", "who said it")

    def test_another_type_is_checked_again(self, owner, annotator, project, relation):
        narrow = make_relation_type(owner, project, "Denies", to_labels=["Denial"])

        detail = refusal(lambda: update(annotator, relation, type=narrow.pk))

        assert list(detail) == ["to_span"]
        assert Relation.objects.get(pk=relation.pk).type_id == relation.type_id

    def test_a_type_of_another_project_is_refused_naming_type(self, annotator, relation, other_project):
        detail = refusal(lambda: update(annotator, relation, type=other_project.relation_types.first().pk))

        assert list(detail) == ["type"]

    def test_a_retype_that_would_copy_another_relation_answers_that_one(
        self, annotator, anything, span, claim, relation
    ):
        other = relate(annotator, anything, span, claim)

        with pytest.raises(RelationExists) as refused:
            update(annotator, other, type=relation.type_id)

        assert refused.value.current.pk == relation.pk

    def test_a_stale_version_is_refused_with_the_current_relation(self, annotator, relation):
        update(annotator, relation, note="first")

        with pytest.raises(VersionConflict) as refused:
            update(annotator, Relation.objects.get(pk=relation.pk), note="second", expected_version=1)

        assert (refused.value.current.note, refused.value.current.version) == ("first", 2)

    @pytest.mark.parametrize("role", ["annotator2", "reviewer", "owner"])
    def test_only_its_annotator_changes_it(self, request, relation, role):
        with pytest.raises(NotAllowed):
            update(request.getfixturevalue(role), relation, note="mine now")

    def test_a_retype_sends_a_reviewed_relation_back_to_pending_and_a_note_does_not(
        self, annotator, reviewer, anything, relation
    ):
        reviewed = relation_review(
            member=member_of(reviewer, relation.document.project_id), relation=relation, decision="accepted"
        )
        noted = update(annotator, reviewed, note="still accepted")
        assert noted.review_status == ReviewStatus.ACCEPTED

        retyped = update(annotator, noted, type=anything.pk)

        row = Relation.objects.get(pk=retyped.pk)
        assert (row.review_status, row.reviewed_by, row.version) == (ReviewStatus.PENDING, None, 4)


class TestRelationDelete:
    def test_its_annotator_deletes_it_audited(self, annotator, relation):
        trail = Trail()

        relation_delete(member=member_of(annotator, relation.document.project_id), relation=relation)

        assert not Relation.objects.exists()
        trail.one("relation.delete", relation.pk, annotator)

    def test_a_stale_version_keeps_it(self, annotator, relation):
        update(annotator, relation, note="changed")

        with pytest.raises(VersionConflict):
            relation_delete(
                member=member_of(annotator, relation.document.project_id), relation=relation, expected_version=1
            )

        assert Relation.objects.filter(pk=relation.pk).exists()

    def test_only_its_annotator_deletes_it(self, owner, relation):
        with pytest.raises(NotAllowed):
            relation_delete(member=member_of(owner, relation.document.project_id), relation=relation)


class TestSpanDeleteTakesItsRelations:
    def test_the_relations_from_and_to_a_span_go_with_it_each_audited_in_one_transaction(
        self, annotator, anything, says, span, claim, quote, relation
    ):
        into = relate(annotator, anything, quote, span)
        untouched = relate(annotator, anything, quote, claim)
        trail = Trail()

        span_delete(member=member_of(annotator, span.document.project_id), span=span, expected_version=1)

        assert list(Relation.objects.values_list("pk", flat=True)) == [untouched.pk]
        assert [(event.action, event.object_id) for event in trail.events()] == [
            ("relation.delete", relation.pk),
            ("relation.delete", into.pk),
            ("span.delete", span.pk),
        ]
        assert all(event.actor == annotator and event.before for event in trail.events())

    def test_a_stale_span_delete_keeps_the_span_and_its_relations(self, annotator, span, relation):
        span.version = 7  # the client's stale copy

        with pytest.raises(VersionConflict):
            span_delete(member=member_of(annotator, span.document.project_id), span=span, expected_version=7)

        assert Relation.objects.filter(pk=relation.pk).exists()
        assert not AuditEvent.objects.filter(action="relation.delete").exists()

    def test_the_database_keeps_a_span_while_a_relation_points_at_it(self, span, relation):
        with pytest.raises(IntegrityError), transaction.atomic():
            type(span).objects.filter(pk=span.pk).delete()


class TestRelationReview:
    @pytest.mark.parametrize("decision", ["accepted", "rejected"])
    def test_a_reviewer_decides_with_a_comment_raising_the_version(self, reviewer, relation, decision):
        trail = Trail()

        reviewed = relation_review(
            member=member_of(reviewer, relation.document.project_id),
            relation=relation,
            decision=decision,
            comment="Right source.",
        )

        row = Relation.objects.get(pk=reviewed.pk)
        assert (row.review_status, row.review_comment, row.reviewed_by, row.version) == (
            decision,
            "Right source.",
            reviewer,
            2,
        )
        trail.one("relation.review", relation.pk, reviewer)

    def test_a_stale_review_is_refused(self, annotator, reviewer, relation):
        update(annotator, relation, note="changed")

        with pytest.raises(VersionConflict):
            relation_review(
                member=member_of(reviewer, relation.document.project_id),
                relation=relation,
                decision="accepted",
                expected_version=1,
            )

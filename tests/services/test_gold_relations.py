"""annotator.services.gold_relations called directly: gold relations between gold spans, copies of an annotator's
relation (with its spans), versions, audit events, and the gold relations a gold span's deletion takes along."""

import pytest

from annotator.errors import InvalidInput, VersionConflict
from annotator.models import GoldRelation, GoldSpan
from annotator.services.gold import gold_delete
from annotator.services.gold_relations import gold_relation_create, gold_relation_delete, gold_relation_update
from annotator.services.relation_types import relation_type_update
from tests.arrange import draw, draw_gold, make_relation_type, member_of, relate, relate_gold
from tests.trail import Trail


@pytest.fixture
def says(owner, project):
    return make_relation_type(owner, project, "Says", from_labels=["Source attribution"])


@pytest.fixture
def gold_claim(reviewer, document):
    return draw_gold(reviewer, document, "Diplomatic claim", "talks would resume")


@pytest.fixture
def relation(annotator, document, says, span):
    """`annotator`'s Says relation from "told reporters" to their Diplomatic claim "talks would resume"."""
    claim = draw(annotator, document, "Diplomatic claim", "talks would resume")
    return relate(annotator, says, span, claim, note="the envoy")


def copy(user, relation, **fields):
    member = member_of(user, relation.document.project_id)
    return gold_relation_create(member=member, document=relation.document, from_relation=relation.pk, **fields)


class TestGoldRelationCreate:
    def test_a_reviewer_links_two_gold_spans_audited(self, reviewer, says, gold, gold_claim):
        trail = Trail()

        made = relate_gold(reviewer, says, gold, gold_claim, note="checked")

        row = GoldRelation.objects.get(pk=made.pk)
        assert (row.from_span, row.to_span, row.type, row.created_by, row.version) == (
            gold,
            gold_claim,
            says,
            reviewer,
            1,
        )
        trail.one("gold_relation.create", made.pk, reviewer)

    def test_an_annotators_span_is_no_gold_span(self, reviewer, annotator, document, says, gold_claim):
        for words in ("The ministry", "told reporters"):
            span = draw(annotator, document, "Official statement", words)  # an id no gold span has
        assert not GoldSpan.objects.filter(pk=span.pk).exists()

        with pytest.raises(InvalidInput) as refused:
            relate_gold(reviewer, says, gold_claim, span)

        assert refused.value.detail == {"to_span": [f"span {span.pk} is not one of the gold spans of this document"]}

    def test_the_types_labels_hold_for_gold_too(self, reviewer, says, gold, gold_claim):
        with pytest.raises(InvalidInput) as refused:
            relate_gold(reviewer, says, gold_claim, gold)

        assert list(refused.value.detail) == ["from_span"]

    def test_the_same_gold_relation_twice_is_refused(self, reviewer, says, gold, gold_claim):
        relate_gold(reviewer, says, gold, gold_claim)

        with pytest.raises(InvalidInput, match="already has this relation"):
            relate_gold(reviewer, says, gold, gold_claim)

    def test_without_type_or_ends_each_missing_field_is_named(self, reviewer, document):
        with pytest.raises(InvalidInput) as refused:
            gold_relation_create(member=member_of(reviewer, document.project_id), document=document, from_span=3)

        assert set(refused.value.detail) == {"type", "to_span"}


class TestGoldRelationCopy:
    def test_a_copy_first_copies_both_spans_into_gold(self, reviewer, relation):
        trail = Trail()

        made = copy(reviewer, relation)

        assert (made.source_relation, made.note, made.type_id) == (relation, "the envoy", relation.type_id)
        assert (made.from_span.source_span_id, made.to_span.source_span_id) == (
            relation.from_span_id,
            relation.to_span_id,
        )
        assert [event.action for event in trail.events()] == ["gold.create", "gold.create", "gold_relation.create"]

    def test_a_gold_span_with_the_same_label_start_and_end_is_reused(self, reviewer, relation, gold_claim):
        made = copy(reviewer, relation)

        assert made.to_span == gold_claim
        assert GoldSpan.objects.count() == 2

    def test_a_relation_of_another_document_is_refused_naming_from_relation(self, reviewer, relation, other_project):
        elsewhere = other_project.documents.get()

        with pytest.raises(InvalidInput) as refused:
            gold_relation_create(
                member=member_of(reviewer, relation.document.project_id), document=elsewhere, from_relation=relation.pk
            )

        assert list(refused.value.detail) == ["from_relation"]

    def test_a_relation_of_a_deactivated_type_is_refused_naming_from_relation_and_copies_nothing(
        self, owner, reviewer, says, relation
    ):
        relation_type_update(member=member_of(owner, says.project_id), relation_type=says, active=False)

        with pytest.raises(InvalidInput) as refused:
            copy(reviewer, relation)

        assert refused.value.detail == {"from_relation": ["relation type 'Says' is deactivated"]}
        assert not GoldSpan.objects.exists()

    def test_copying_it_twice_is_refused(self, reviewer, relation):
        copy(reviewer, relation)

        with pytest.raises(InvalidInput, match="already has this relation"):
            copy(reviewer, relation)


class TestGoldRelationChanges:
    def test_a_new_note_and_type_raise_the_version_audited(self, owner, reviewer, project, says, gold, gold_claim):
        made = relate_gold(reviewer, says, gold, gold_claim)
        other = make_relation_type(owner, project, "Other")
        trail = Trail()

        changed = gold_relation_update(
            member=member_of(reviewer, project), gold=made, type=other.pk, note="x", expected_version=1
        )

        assert (changed.type_id, changed.note, changed.version) == (other.pk, "x", 2)
        trail.one("gold_relation.update", made.pk, reviewer)

    def test_a_stale_version_is_refused(self, reviewer, project, says, gold, gold_claim):
        made = relate_gold(reviewer, says, gold, gold_claim)
        gold_relation_update(member=member_of(reviewer, project), gold=made, note="first")

        with pytest.raises(VersionConflict):
            gold_relation_delete(member=member_of(reviewer, project), gold=made, expected_version=1)

    def test_it_is_deleted_audited(self, reviewer, project, says, gold, gold_claim):
        made = relate_gold(reviewer, says, gold, gold_claim)
        trail = Trail()

        gold_relation_delete(member=member_of(reviewer, project), gold=made, expected_version=1)

        assert not GoldRelation.objects.exists()
        trail.one("gold_relation.delete", made.pk, reviewer)

    def test_deleting_a_gold_span_deletes_its_gold_relations_each_audited(
        self, reviewer, project, says, gold, gold_claim
    ):
        made = relate_gold(reviewer, says, gold, gold_claim)
        trail = Trail()

        gold_delete(member=member_of(reviewer, project), gold=gold_claim, expected_version=1)

        assert not GoldRelation.objects.exists()
        assert [(event.action, event.object_id) for event in trail.events()] == [
            ("gold_relation.delete", made.pk),
            ("gold.delete", gold_claim.pk),
        ]

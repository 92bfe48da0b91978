"""annotator.services.gold called directly: a gold span drawn or copied from an annotator's span, checked like a
span and unique in its document; versions; one audit event per change. Who may curate gold is the API's check
(tests/api/test_gold.py)."""

import pytest

from annotator.errors import InvalidInput, NotFound, VersionConflict
from annotator.models import GoldSpan
from annotator.services.documents import document_create_many
from annotator.services.gold import gold_create, gold_delete, gold_update
from annotator.services.labels import label_update
from annotator.services.spans import span_delete
from tests.arrange import draw, member_of, over, phrase
from tests.factories import ARTICLE
from tests.trail import Trail


def create(user, document, **fields):
    return gold_create(member=member_of(user, document.project_id), document=document, **fields)


def create_over(user, document, label, words):
    return create(user, document, **over(document, label, words))


def update(user, gold, **changes):
    return gold_update(member=member_of(user, gold.document.project_id), gold=gold, **changes)


def delete(user, gold, **kwargs):
    gold_delete(member=member_of(user, gold.document.project_id), gold=gold, **kwargs)


def stored(gold):
    return GoldSpan.objects.get(pk=gold.pk)


@pytest.fixture
def other_label(project):
    return project.labels.get(name="Diplomatic claim")


class TestGoldCreate:
    def test_a_reviewer_draws_a_gold_span_directly(self, reviewer, document, label):
        gold = create_over(reviewer, document, label, "told reporters")

        row = stored(gold)
        assert (row.document, row.label, ARTICLE[row.start : row.end]) == (document, label, "told reporters")
        assert (row.source_span, row.created_by, row.version) == (None, reviewer, 1)

    def test_a_copy_takes_the_spans_label_range_and_note_and_names_its_source(self, owner, annotator, document, label):
        span = draw(annotator, document, label, "told reporters", note="the verb")
        start, end = phrase("told reporters")

        gold = create(owner, document, from_span=span.pk)

        row = stored(gold)
        assert (row.label_id, row.start, row.end, row.note) == (label.pk, start, end, "the verb")
        assert (row.source_span, row.created_by) == (span, owner)

    def test_a_note_given_with_a_copy_replaces_the_spans(self, reviewer, span):
        gold = create(reviewer, span.document, from_span=span.pk, note="curated")

        assert stored(gold).note == "curated"

    def test_a_span_of_another_document_is_refused_naming_from_span(self, owner, reviewer, span):
        [other] = document_create_many(member=member_of(owner, span.document.project_id), items=[{"text": ARTICLE}])

        with pytest.raises(InvalidInput) as refused:
            create(reviewer, other, from_span=span.pk)

        assert refused.value.detail == {"from_span": [f"Span {span.pk} is not a span of this document."]}
        assert not GoldSpan.objects.exists()

    def test_without_a_span_to_copy_label_start_and_end_are_required(self, reviewer, document):
        with pytest.raises(InvalidInput) as refused:
            create(reviewer, document, start=0)

        assert refused.value.detail == {"label": ["This field is required."], "end": ["This field is required."]}

    def test_a_range_beyond_the_text_is_refused_naming_end(self, reviewer, document, label):
        with pytest.raises(InvalidInput) as refused:
            create(reviewer, document, label=label.pk, start=0, end=len(ARTICLE) + 1)

        assert list(refused.value.detail) == ["end"]
        assert not GoldSpan.objects.exists()

    def test_a_deactivated_label_is_refused_naming_label(self, owner, reviewer, document, label):
        label_update(member=member_of(owner, label.project), label=label, active=False)

        with pytest.raises(InvalidInput) as refused:
            create_over(reviewer, document, label, "told reporters")

        assert list(refused.value.detail) == ["label"]

    def test_a_span_already_in_gold_is_refused_drawn_or_copied(self, reviewer, span):
        create(reviewer, span.document, from_span=span.pk)
        trail = Trail()

        for fields in ({"label": span.label_id, "start": span.start, "end": span.end}, {"from_span": span.pk}):
            with pytest.raises(InvalidInput) as refused:
                create(reviewer, span.document, **fields)
            assert refused.value.detail == {"non_field_errors": ["The gold layer already has this span."]}

        assert GoldSpan.objects.count() == 1
        trail.none()

    def test_the_same_range_with_another_label_is_another_gold_span(self, reviewer, document, label, other_label):
        create_over(reviewer, document, label, "told reporters")

        create_over(reviewer, document, other_label, "told reporters")

        assert GoldSpan.objects.filter(document=document).count() == 2

    def test_a_create_writes_one_event_with_the_gold_span_after(self, owner, span):
        trail = Trail()

        gold = create(owner, span.document, from_span=span.pk)

        event = trail.one("gold.create", gold.pk, owner)
        assert (event.object_type, event.project_id, event.before) == ("goldspan", span.document.project_id, None)
        assert (event.after["source_span_id"], event.after["start"], event.after["end"]) == (
            span.pk,
            span.start,
            span.end,
        )


class TestGoldUpdate:
    def test_a_change_with_the_current_version_raises_it(self, reviewer, gold, other_label):
        update(reviewer, gold, label=other_label.pk, note="a claim", expected_version=1)

        row = stored(gold)
        assert (row.label, row.note, row.version) == (other_label, "a claim", 2)

    def test_stale_version_is_refused_with_the_current_gold_span(self, reviewer, gold):
        update(reviewer, gold, note="first", expected_version=1)
        trail = Trail()

        with pytest.raises(VersionConflict) as refused:
            update(reviewer, stored(gold), note="second", expected_version=1)

        assert (refused.value.current.version, refused.value.current.note) == (2, "first")
        trail.none()

    def test_moving_onto_another_gold_span_is_refused(self, reviewer, document, label, gold):
        other = create_over(reviewer, document, label, "told reporters")

        with pytest.raises(InvalidInput, match="already has this span"):
            update(reviewer, other, start=gold.start, end=gold.end)

        assert stored(other).start == other.start

    def test_a_new_end_beyond_the_text_is_refused_naming_end(self, reviewer, gold):
        with pytest.raises(InvalidInput) as refused:
            update(reviewer, gold, end=len(ARTICLE) + 1)

        assert list(refused.value.detail) == ["end"]
        assert stored(gold).version == 1

    def test_an_update_writes_one_event_with_before_and_after(self, owner, gold):
        _, end = phrase("he said in a statement")
        trail = Trail()

        update(owner, gold, end=end, expected_version=1)

        event = trail.one("gold.update", gold.pk, owner)
        assert (event.before["end"], event.before["version"]) == (phrase("he said")[1], 1)
        assert (event.after["end"], event.after["version"]) == (end, 2)


class TestGoldDelete:
    def test_a_delete_removes_it_and_one_event_keeps_it(self, reviewer, gold):
        trail = Trail()

        delete(reviewer, gold, expected_version=1)

        assert not GoldSpan.objects.filter(pk=gold.pk).exists()
        event = trail.one("gold.delete", gold.pk, reviewer)
        assert (event.before["start"], event.after) == (gold.start, None)

    def test_stale_version_is_refused_and_the_gold_span_stays(self, owner, reviewer, gold):
        update(owner, gold, note="owner's note")
        trail = Trail()

        with pytest.raises(VersionConflict):
            delete(reviewer, stored(gold), expected_version=1)

        assert GoldSpan.objects.filter(pk=gold.pk).exists()
        trail.none()

    def test_a_delete_that_loses_a_race_takes_its_event_back(self, owner, reviewer, gold):
        old_copy = stored(gold)
        update(owner, gold, note="changed meanwhile")
        trail = Trail()

        with pytest.raises(VersionConflict):
            delete(reviewer, old_copy)

        assert stored(gold).note == "changed meanwhile"
        trail.none()

    def test_a_gold_span_deleted_meanwhile_is_not_found(self, reviewer, gold):
        old_copy = stored(gold)
        delete(reviewer, gold)

        with pytest.raises(NotFound):
            delete(reviewer, old_copy, expected_version=1)

    def test_deleting_the_copied_span_keeps_the_gold_span_without_its_source(self, annotator, reviewer, span):
        gold = create(reviewer, span.document, from_span=span.pk)

        span_delete(member=member_of(annotator, span.document.project_id), span=span)

        row = stored(gold)
        assert (ARTICLE[row.start : row.end], row.source_span) == ("told reporters", None)

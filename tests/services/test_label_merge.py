"""annotator.services.labels.label_merge called directly: every span, gold span and suggestion of a label moves to
another in one transaction, copies dropped with what points at them kept valid, relation types' ends and
recommenders' configs following, one codebook version and one audit event. Who may merge is the API's check
(tests/api/test_label_merge.py)."""

import pytest
from django.db import connection

from annotator.errors import Conflict, InvalidInput, NotFound
from annotator.models import (
    AuditEvent,
    CodebookVersion,
    GoldRelation,
    GoldSpan,
    Label,
    Project,
    Recommender,
    Relation,
    RelationTypeLabel,
    ReviewStatus,
    Span,
    Suggestion,
    SuggestionDecision,
)
from annotator.services.documents import document_create_many
from annotator.services.labels import SPAN_LINKS, label_delete, label_merge, label_update
from annotator.services.recommenders import recommender_create
from annotator.services.reviews import span_review
from tests.arrange import (
    accept,
    draw,
    draw_gold,
    make_recommender,
    make_relation_type,
    member_of,
    reject,
    relate,
    relate_gold,
    suggest,
)
from tests.trail import Trail


def merge(owner, label, into):
    return label_merge(member=member_of(owner, label.project_id), label=label, into=getattr(into, "pk", into))


@pytest.fixture
def appeal(project):
    return project.labels.get(name="Editorial appeal")


@pytest.fixture
def claim(project):
    return project.labels.get(name="Diplomatic claim")


def insert_copies(template, count, **columns):
    """Insert `count` copies of the saved row `template` in one INSERT … SELECT, for i from 1 to `count`: each column
    named in `columns` set to its SQL expression (of i, and of the template's columns as t.<column>), every other
    column copied from the template, so a column the model gains is copied too. For the 99,000 rows of the test
    below: the ORM's bulk_create of them took longer than the merge itself."""
    quote = connection.ops.quote_name
    table = quote(template._meta.db_table)
    names = [field.column for field in template._meta.concrete_fields if not field.primary_key]
    values = [columns.pop(name) if name in columns else f"t.{quote(name)}" for name in names]
    assert not columns, f"no such columns: {sorted(columns)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(map(quote, names))}) "  # noqa: S608 (names from the model)
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            f"SELECT {', '.join(values)} FROM n, {table} t WHERE t.id = %s",
            [count, template.pk],
        )


def labels_of(model, **filters):
    return sorted(model.objects.filter(**filters).values_list("label__name", flat=True))


class TestLabelMergeMoves:
    def test_spans_gold_spans_and_suggestions_move_and_the_label_is_gone(
        self, owner, reviewer, annotator, annotator2, document, label, appeal
    ):
        mine = draw(annotator, document, label, "told reporters")
        theirs = draw(annotator2, document, label, "he said")
        draw_gold(reviewer, document, label, "told reporters")
        suggest(owner, document, label, "Monday")
        untouched = draw(annotator, document, appeal, "Readers can donate")
        types = set(RelationTypeLabel.objects.filter(label=label).values_list("type", flat=True))

        into, counts, number = merge(owner, label, appeal)

        assert into.pk == appeal.pk
        assert counts == {
            "spans": 2,
            "gold_spans": 1,
            "suggestions": 1,
            "relation_types": len(types),
            "recommenders": 0,
            "duplicates_dropped": 0,
            "relations_dropped": 0,
        }
        assert not Label.objects.filter(pk=label.pk).exists()
        assert labels_of(Span, document=document) == ["Editorial appeal"] * 3
        assert labels_of(GoldSpan, document=document) == ["Editorial appeal"]
        assert labels_of(Suggestion, document=document) == ["Editorial appeal"]
        assert number == Project.objects.get(pk=document.project_id).codebook_version
        for span in (mine, theirs):
            moved = Span.objects.get(pk=span.pk)
            assert (moved.version, moved.codebook_version) == (span.version + 1, number)
            assert moved.updated_at > span.updated_at
        kept = Span.objects.get(pk=untouched.pk)
        assert (kept.version, kept.codebook_version) == (untouched.version, untouched.codebook_version)

    def test_review_status_is_kept(self, owner, reviewer, annotator, document, label, appeal):
        span = draw(annotator, document, label)
        span_review(member=member_of(reviewer, document.project_id), span=span, decision="accepted")

        merge(owner, label, appeal)

        assert Span.objects.get(pk=span.pk).review_status == ReviewStatus.ACCEPTED

    def test_one_codebook_version_says_merged_and_one_audit_event_has_the_counts(
        self, owner, annotator, document, label, appeal
    ):
        span = draw(annotator, document, label)
        versions = CodebookVersion.objects.filter(project_id=document.project_id).count()
        trail = Trail()

        _, counts, number = merge(owner, label, appeal)

        new = CodebookVersion.objects.filter(project_id=document.project_id).order_by("-number")
        assert new.count() == versions + 1
        assert (new[0].number, new[0].changes) == (
            number,
            ['label "Source attribution" merged into "Editorial appeal"'],
        )
        assert [label_json["name"] for label_json in new[0].snapshot["labels"]].count("Source attribution") == 0
        event = trail.one("label.merge", label.pk, owner)
        assert event.after == {"into": appeal.pk, **counts}
        assert event.before["name"] == "Source attribution"
        assert not AuditEvent.objects.filter(object_type="span", object_id=span.pk).exclude(action="span.create")

    def test_the_codebook_line_names_the_label_as_a_rename_that_came_first_left_it(self, owner, label, appeal):
        stale = Label.objects.get(pk=label.pk)
        label_update(member=member_of(owner, label.project_id), label=label, name="Attribution")

        merge(owner, stale, appeal)

        latest = CodebookVersion.objects.filter(project_id=label.project_id).order_by("-number").first()
        assert latest.changes == ['label "Attribution" merged into "Editorial appeal"']


class TestLabelMergeFollowers:
    def test_relation_type_ends_name_the_target_once(self, owner, project, label, appeal, claim):
        only_source = make_relation_type(owner, project, "Credits", from_labels=[label], to_labels=[claim])
        both = make_relation_type(owner, project, "Either", from_labels=[label, appeal])
        elsewhere = make_relation_type(owner, project, "Claims", from_labels=[claim])
        types = set(RelationTypeLabel.objects.filter(label=label).values_list("type", flat=True))

        _, counts, _ = merge(owner, label, appeal)

        def ends(kind):
            return sorted(RelationTypeLabel.objects.filter(type=kind).values_list("end", "label__name"))

        assert ends(only_source) == [("from", "Editorial appeal"), ("to", "Diplomatic claim")]
        assert ends(both) == [("from", "Editorial appeal")]
        assert ends(elsewhere) == [("from", "Diplomatic claim")]
        assert {only_source.pk, both.pk} <= types
        assert counts["relation_types"] == len(types)

    def test_recommender_configs_name_the_target(self, owner, project, label, appeal, claim):
        lexicon = make_recommender(owner, project, "cues", [(label, "said"), (appeal, "said"), (label, "told")])
        attribution = recommender_create(
            member=member_of(owner, project),
            name="speech",
            kind="attribution",
            config={"source": label.pk, "cue": claim.pk, "content": appeal.pk},
        )

        _, counts, _ = merge(owner, label, appeal)

        assert Recommender.objects.get(pk=lexicon.pk).config["entries"] == [
            {"label": appeal.pk, "phrase": "said"},
            {"label": appeal.pk, "phrase": "told"},
        ]
        config = Recommender.objects.get(pk=attribution.pk).config
        assert (config["source"], config["cue"], config["content"]) == (appeal.pk, claim.pk, appeal.pk)
        assert counts["recommenders"] == 2


class TestLabelMergeCopies:
    def test_a_span_that_would_copy_one_of_the_targets_is_dropped_and_its_relations_follow_the_survivor(
        self, owner, annotator, document, label, appeal, claim
    ):
        says = make_relation_type(owner, document.project, "Says")
        dropped = draw(annotator, document, label, "told reporters")
        survivor = draw(annotator, document, appeal, "told reporters")
        other = draw(annotator, document, claim, "talks would resume")
        moved = relate(annotator, says, dropped, other)  # becomes survivor -> other
        copy = relate(annotator, says, other, dropped)
        relate(annotator, says, other, survivor)  # `copy` would repeat it
        loop = relate(annotator, says, dropped, survivor)  # would join the survivor to itself

        _, counts, number = merge(owner, label, appeal)

        assert not Span.objects.filter(pk=dropped.pk).exists()
        assert Span.objects.get(pk=survivor.pk).label_id == appeal.pk
        assert (counts["spans"], counts["duplicates_dropped"], counts["relations_dropped"]) == (0, 1, 2)
        repointed = Relation.objects.get(pk=moved.pk)
        assert (repointed.from_span_id, repointed.to_span_id) == (survivor.pk, other.pk)
        assert (repointed.version, repointed.codebook_version) == (moved.version + 1, number)
        assert not Relation.objects.filter(pk__in=[copy.pk, loop.pk]).exists()
        assert sorted(Relation.objects.values_list("from_span", "to_span")) == sorted(
            [(survivor.pk, other.pk), (other.pk, survivor.pk)]
        )

    def test_gold_copies_and_accepted_suggestions_point_at_the_survivor(
        self, owner, reviewer, annotator, annotator2, document, label, appeal, claim
    ):
        says = make_relation_type(owner, document.project, "Says")
        gold_dropped = draw_gold(reviewer, document, label, "he said")
        gold_survivor = draw_gold(reviewer, document, appeal, "he said")
        gold_other = draw_gold(reviewer, document, claim, "We expect a result within weeks")
        gold_link = relate_gold(reviewer, says, gold_dropped, gold_other)
        dropped_suggestion = suggest(owner, document, label, "Monday")
        surviving_suggestion = suggest(owner, document, appeal, "Monday")
        accepted = accept(annotator, dropped_suggestion)  # annotator's span (label) over Monday
        reject(annotator2, dropped_suggestion)
        reject(annotator2, surviving_suggestion)  # annotator2's decision on the survivor stands
        draw(annotator, document, appeal, "Monday")  # so the accepted span is a copy too
        copied_from = GoldSpan.objects.create(
            document=document, label=claim, start=0, end=3, source_span=accepted, created_by=reviewer
        )

        _, counts, _ = merge(owner, label, appeal)

        assert counts["duplicates_dropped"] == 3  # the gold span, the suggestion, the accepted span
        assert not GoldSpan.objects.filter(pk=gold_dropped.pk).exists()
        link = GoldRelation.objects.get(pk=gold_link.pk)
        assert (link.from_span_id, link.to_span_id) == (gold_survivor.pk, gold_other.pk)
        assert not Suggestion.objects.filter(pk=dropped_suggestion.pk).exists()
        decisions = SuggestionDecision.objects.filter(suggestion=surviving_suggestion).order_by("user_id")
        assert [(d.user_id, d.decision) for d in decisions] == sorted(
            [(annotator.pk, "accepted"), (annotator2.pk, "rejected")]
        )
        [survivor_span] = Span.objects.filter(document=document, annotator=annotator, label=appeal)
        assert decisions.get(user=annotator).span_id == survivor_span.pk
        assert GoldSpan.objects.get(pk=copied_from.pk).source_span_id == survivor_span.pk

    def test_more_copies_than_sqlite_takes_parameters_merge_whole(
        self, owner, annotator, project, label, appeal, claim
    ):
        """33,000 copies, each with a relation: no statement may list them all (SQLite stops at 32,766)."""
        copies = 33_000
        [document] = document_create_many(
            member=member_of(owner, project), items=[{"text": "ab " * copies, "title": "Many"}]
        )
        says = make_relation_type(owner, project, "Says")
        other = draw(annotator, document, claim, "ab")
        for label_ in (label, appeal):  # a span over each "ab" (at 3n), by label
            first = Span.objects.create(document=document, annotator=annotator, label=label_, start=0, end=2)
            insert_copies(first, copies - 1, start="3 * i", end="3 * i + 2")
        first = Relation.objects.create(
            document=document, annotator=annotator, type=says, from_span=Span.objects.get(label=label, start=0),
            to_span=other,
        )  # fmt: skip
        span_at_3i = (  # the label's span at 3i, by the template relation's document and annotator
            f"(SELECT s.id FROM {Span._meta.db_table} s WHERE s.document_id = t.document_id AND s.annotator_id = "  # noqa: S608
            f"t.annotator_id AND s.label_id = {label.pk} AND s.{connection.ops.quote_name('start')} = 3 * i)"
        )
        insert_copies(first, copies - 1, from_span_id=span_at_3i)
        survivors = set(Span.objects.filter(label=appeal).values_list("pk", flat=True))
        assert (len(survivors), Relation.objects.filter(from_span__label=label).count()) == (copies, copies)

        _, counts, number = merge(owner, label, appeal)

        assert (counts["spans"], counts["duplicates_dropped"], counts["relations_dropped"]) == (0, copies, 0)
        assert not Span.objects.filter(label=label).exists() and not Label.objects.filter(pk=label.pk).exists()
        assert Span.objects.filter(label=appeal).count() == copies
        ends = set(Relation.objects.values_list("from_span_id", flat=True))
        assert ends == survivors
        assert set(Relation.objects.values_list("codebook_version", flat=True)) == {number}


class TestLabelMergeDeletesCopiesAlone:
    def test_every_foreign_key_to_a_span_is_one_the_merge_moves_before_deleting_copies(self):
        """The merge deletes a label's span copies in one DELETE, trusting that it moved every row pointing at them
        (SPAN_LINKS): a new foreign key to Span must be moved there too, then listed."""
        links = {
            (relation.related_model, relation.field.name)
            for relation in Span._meta.get_fields(include_hidden=True)
            if relation.one_to_many and relation.auto_created
        }

        assert links == SPAN_LINKS


class TestLabelMergeRefusals:
    def test_merging_into_itself_is_a_conflict(self, owner, annotator, document, label):
        draw(annotator, document, label)
        trail = Trail()

        with pytest.raises(Conflict):
            merge(owner, label, label)

        assert Span.objects.get().label_id == label.pk
        trail.none()

    @pytest.mark.parametrize("which", ["label", "into"])
    def test_a_deactivated_label_on_either_side_is_a_conflict(self, owner, annotator, document, label, appeal, which):
        draw(annotator, document, label)
        Label.objects.filter(pk=(label if which == "label" else appeal).pk).update(active=False)
        trail = Trail()

        with pytest.raises(Conflict, match="deactivated"):
            merge(owner, label, appeal)

        assert Span.objects.get().label_id == label.pk
        trail.none()

    def test_another_projects_label_is_refused_like_a_missing_one(
        self, owner, annotator, document, label, other_project
    ):
        draw(annotator, document, label)
        foreign = other_project.labels.first()
        trail = Trail()

        with pytest.raises(InvalidInput) as foreign_refusal:
            merge(owner, label, foreign)
        with pytest.raises(InvalidInput) as missing_refusal:
            merge(owner, label, 987_654_321)

        assert list(foreign_refusal.value.detail) == list(missing_refusal.value.detail) == ["into"]
        assert foreign_refusal.value.detail["into"][0].replace(str(foreign.pk), "N") == missing_refusal.value.detail[
            "into"
        ][0].replace("987654321", "N")
        assert Span.objects.get().label_id == label.pk
        assert Label.objects.filter(pk=foreign.pk).exists()
        trail.none()

    def test_a_label_merged_away_is_not_found_to_a_rename_holding_it(self, owner, label, appeal):
        stale = Label.objects.get(pk=label.pk)
        merge(owner, label, appeal)

        with pytest.raises(NotFound):
            label_update(member=member_of(owner, label.project_id), label=stale, name="Back again")

        assert not Label.objects.filter(pk=label.pk).exists()
        assert not Label.objects.filter(name="Back again").exists()

    def test_a_label_merged_away_is_not_found_to_a_delete_holding_it(self, owner, label, appeal):
        stale = Label.objects.get(pk=label.pk)
        merge(owner, label, appeal)
        trail = Trail()

        with pytest.raises(NotFound):
            label_delete(member=member_of(owner, label.project_id), label=stale)

        trail.none()

    def test_a_label_merged_away_cannot_be_merged_again(self, owner, label, appeal, claim):
        stale = Label.objects.get(pk=label.pk)
        merge(owner, label, appeal)

        with pytest.raises(NotFound):
            merge(owner, stale, claim)

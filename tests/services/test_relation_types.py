"""annotator.services.relation_types called directly: names and keys unique, ends limited to the project's labels,
never deleted while used, audited with the labels of their ends; labels at a type's end stay; the attribution
preset's types."""

import pytest

from annotator.errors import InvalidInput, LabelInUse, RelationTypeInUse
from annotator.models import AuditEvent, Label, RelationType, RelationTypeLabel
from annotator.presets import PRESETS, RELATION_PRESETS
from annotator.services.labels import label_delete
from annotator.services.projects import project_create
from annotator.services.relation_types import (
    end_labels,
    relation_type_create,
    relation_type_delete,
    relation_type_update,
)
from annotator.services.relations import relation_delete
from tests.arrange import draw, draw_gold, make_relation_type, member_of, relate, relate_gold
from tests.trail import Trail


def label(project, name):
    return Label.objects.get(project=project, name=name)


@pytest.fixture
def says(owner, project):
    return make_relation_type(owner, project, "Says", key="q", from_labels=["Source attribution"])


class TestRelationTypeCreate:
    def test_the_owner_adds_a_type_with_the_labels_of_its_ends_audited(self, owner, project):
        trail = Trail()
        source, claim = label(project, "Source attribution"), label(project, "Diplomatic claim")

        made = relation_type_create(
            member=member_of(owner, project),
            name="Says",
            key="q",
            color="#123456",
            description="Who says what.",
            from_labels=[source.pk],
            to_labels=[claim.pk, claim.pk],
        )

        assert (made.name, made.key, made.color, made.active) == ("Says", "q", "#123456", True)
        assert end_labels(made) == {"from": [source.pk], "to": [claim.pk]}
        event = trail.one("relation_type.create", made.pk, owner)
        assert (event.object_type, event.after["from_labels"], event.after["to_labels"]) == (
            "relationtype",
            [source.pk],
            [claim.pk],
        )

    def test_a_type_without_a_colour_takes_one_from_the_palette(self, owner, project):
        made = relation_type_create(member=member_of(owner, project), name="Says")

        assert made.color.startswith("#") and len(made.color) == 7

    @pytest.mark.parametrize(("field", "value"), [("name", "Says"), ("key", "q")])
    def test_a_name_or_key_taken_by_another_type_is_refused_naming_it(self, owner, project, says, field, value):
        fields = {"name": "Other", "key": "", field: value}

        with pytest.raises(InvalidInput) as refused:
            relation_type_create(member=member_of(owner, project), **fields)

        assert list(refused.value.detail) == [field]
        assert RelationType.objects.count() == 1

    def test_a_key_a_label_has_is_free_for_a_type(self, owner, project):
        assert relation_type_create(member=member_of(owner, project), name="Says", key="s").key == "s"

    @pytest.mark.parametrize("end", ["from_labels", "to_labels"])
    def test_a_label_of_another_project_is_refused_naming_the_end(self, owner, project, other_project, end):
        foreign = other_project.labels.first()

        with pytest.raises(InvalidInput) as refused:
            relation_type_create(member=member_of(owner, project), name="Says", **{end: [foreign.pk]})

        assert refused.value.detail == {end: [f"label {foreign.pk} is not in this project"]}
        assert not RelationType.objects.filter(project=project).exists()


class TestRelationTypeUpdate:
    def test_new_end_labels_replace_the_old_and_the_event_shows_both(self, owner, project, says):
        trail = Trail()
        cue = label(project, "Anonymous source")

        updated = relation_type_update(
            member=member_of(owner, project), relation_type=says, from_labels=[cue.pk], name="Quotes"
        )

        assert (updated.name, end_labels(updated)) == ("Quotes", {"from": [cue.pk], "to": []})
        event = trail.one("relation_type.update", says.pk, owner)
        assert event.before["from_labels"] == [label(project, "Source attribution").pk]
        assert (event.after["from_labels"], event.after["name"]) == ([cue.pk], "Quotes")

    def test_an_end_not_given_keeps_its_labels(self, owner, project, says):
        relation_type_update(member=member_of(owner, project), relation_type=says, description="Who says what.")

        assert end_labels(says)["from"] == [label(project, "Source attribution").pk]

    def test_it_is_deactivated_not_deleted(self, owner, project, says):
        relation_type_update(member=member_of(owner, project), relation_type=says, active=False)

        assert RelationType.objects.get(pk=says.pk).active is False

    def test_another_types_name_is_refused(self, owner, project, says):
        other = make_relation_type(owner, project, "Other")

        with pytest.raises(InvalidInput) as refused:
            relation_type_update(member=member_of(owner, project), relation_type=other, name="Says")

        assert list(refused.value.detail) == ["name"]


class TestRelationTypeDelete:
    def test_an_unused_type_is_deleted_with_its_end_labels_audited(self, owner, project, says):
        trail, says_id = Trail(), says.pk

        relation_type_delete(member=member_of(owner, project), relation_type=says)

        assert not RelationType.objects.filter(pk=says_id).exists()
        assert not RelationTypeLabel.objects.exists()
        event = trail.one("relation_type.delete", says_id, owner)
        assert event.before["name"] == "Says"

    def test_a_type_relations_use_is_kept(self, owner, annotator, document, project, says, span):
        claim = draw(annotator, document, "Diplomatic claim", "talks would resume")
        relate(annotator, says, span, claim)
        trail = Trail()

        with pytest.raises(RelationTypeInUse):
            relation_type_delete(member=member_of(owner, project), relation_type=says)

        assert RelationType.objects.filter(pk=says.pk).exists()
        trail.none()

    def test_a_type_gold_relations_use_is_kept(self, owner, reviewer, document, project, says, gold):
        claim = draw_gold(reviewer, document, "Diplomatic claim", "talks would resume")
        relate_gold(reviewer, says, gold, claim)

        with pytest.raises(RelationTypeInUse):
            relation_type_delete(member=member_of(owner, project), relation_type=says)

    def test_a_type_whose_relations_are_gone_is_deleted(self, owner, annotator, document, project, says, span):
        claim = draw(annotator, document, "Diplomatic claim", "talks would resume")
        relation = relate(annotator, says, span, claim)
        relation_delete(member=member_of(annotator, project), relation=relation)
        says_id = says.pk

        relation_type_delete(member=member_of(owner, project), relation_type=says)

        assert not RelationType.objects.filter(pk=says_id).exists()


class TestLabelAtATypesEnd:
    def test_an_unused_label_a_type_allows_is_kept_naming_the_type(self, owner, project):
        appeal = label(project, "Editorial appeal")
        make_relation_type(owner, project, "Urges", to_labels=[appeal])

        with pytest.raises(LabelInUse, match="'Urges'"):
            label_delete(member=member_of(owner, project), label=appeal)

        assert Label.objects.filter(pk=appeal.pk).exists()
        assert RelationTypeLabel.objects.filter(label=appeal).exists()

    def test_taken_off_the_type_the_label_is_deleted(self, owner, project):
        appeal = label(project, "Editorial appeal")
        urges = make_relation_type(owner, project, "Urges", to_labels=[appeal])
        relation_type_update(member=member_of(owner, project), relation_type=urges, to_labels=[])

        label_delete(member=member_of(owner, project), label=appeal)

        assert not Label.objects.filter(pk=appeal.pk).exists()


class TestAttributionPreset:
    def test_a_project_from_the_preset_links_cue_to_source_and_to_content(self, owner):
        project = project_create(user=owner, name="PARC", label_preset="attribution")
        labels = dict(project.labels.values_list("name", "id"))

        types = {t.name: t for t in RelationType.objects.filter(project=project)}

        assert set(types) == {"source", "content"}
        assert end_labels(types["source"]) == {"from": [labels["Cue"]], "to": [labels["Source"]]}
        assert end_labels(types["content"]) == {"from": [labels["Cue"]], "to": [labels["Content"]]}
        events = AuditEvent.objects.filter(project=project, action="relation_type.create")
        assert {event.object_id for event in events} == {t.pk for t in types.values()}
        assert {tuple(event.after["to_labels"]) for event in events} == {(labels["Source"],), (labels["Content"],)}

    def test_its_keys_and_colours_differ_from_its_labels(self):
        labels = PRESETS["attribution"]
        types = RELATION_PRESETS["attribution"]

        assert not {t["key"] for t in types} & {x["key"] for x in labels}
        assert not {t["color"] for t in types} & {x["color"] for x in labels}
        assert len({t["key"] for t in types}) == len(types)

    @pytest.mark.parametrize("preset", sorted(RELATION_PRESETS))
    def test_every_relation_preset_names_labels_its_label_preset_has(self, preset):
        names = {x["name"] for x in PRESETS[preset]}

        for relation_type in RELATION_PRESETS[preset]:
            assert {*relation_type["from_labels"], *relation_type["to_labels"]} <= names

    def test_a_project_from_another_preset_has_no_relation_types(self, owner):
        project = project_create(user=owner, name="Frames", label_preset="framing")

        assert not RelationType.objects.filter(project=project).exists()

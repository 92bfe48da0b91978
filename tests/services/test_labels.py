"""annotator.services.labels called directly: names and keys unique in their project, colours from the palette,
a label in use deactivated but never deleted, one audit event per change. Who may change labels is the API's
check (tests/api/test_labels.py)."""

import pytest

from annotator.errors import InvalidInput, LabelInUse
from annotator.models import Label
from annotator.services.labels import PALETTE, label_create, label_delete, label_update
from annotator.services.projects import project_create
from tests.arrange import draw_gold, member_of
from tests.trail import Trail


def create(user, project, **fields):
    return label_create(member=member_of(user, project), **fields)


def update(user, label, **changes):
    return label_update(member=member_of(user, label.project), label=label, **changes)


def delete(user, label):
    label_delete(member=member_of(user, label.project), label=label)


@pytest.fixture
def bare_project(owner):
    """A project with no labels yet."""
    return project_create(user=owner, name="Bare")


class TestLabelCreate:
    def test_a_label_is_added_to_the_members_project(self, owner, project):
        label = create(owner, project, name="Casualty figure", key="z", color="#123abc", description="Numbers.")

        row = Label.objects.get(pk=label.pk)
        assert (row.project, row.name, row.key, row.color, row.description, row.active) == (
            project,
            "Casualty figure",
            "z",
            "#123abc",
            "Numbers.",
            True,
        )

    def test_labels_without_a_colour_take_the_palette_in_turn(self, owner, bare_project):
        colours = [create(owner, bare_project, name=f"Label {i}").color for i in range(len(PALETTE) + 1)]

        assert colours == [*PALETTE, PALETTE[0]]

    def test_a_taken_name_is_refused_naming_name(self, owner, project, label):
        trail = Trail()

        with pytest.raises(InvalidInput) as refused:
            create(owner, project, name=label.name)

        assert refused.value.detail == {"name": ["This project already has a label named 'Source attribution'."]}
        assert project.labels.filter(name=label.name).count() == 1
        trail.none()

    def test_a_taken_key_is_refused_naming_key(self, owner, project, label):
        with pytest.raises(InvalidInput) as refused:
            create(owner, project, name="Fresh", key=label.key)

        assert refused.value.detail == {"key": ["The key 's' is already taken by another label of this project."]}
        assert not project.labels.filter(name="Fresh").exists()

    def test_a_taken_name_and_key_are_both_named(self, owner, project, label):
        with pytest.raises(InvalidInput) as refused:
            create(owner, project, name=label.name, key=label.key)

        assert set(refused.value.detail) == {"name", "key"}

    def test_labels_without_a_key_do_not_clash(self, owner, bare_project):
        create(owner, bare_project, name="First")

        create(owner, bare_project, name="Second")

        assert list(bare_project.labels.order_by("name").values_list("name", "key")) == [("First", ""), ("Second", "")]

    def test_a_name_taken_in_another_project_is_free_here(self, owner, project, other_project):
        taken = other_project.labels.first().name

        label = create(owner, project, name=taken)

        assert label.project == project

    def test_a_create_writes_one_event_with_the_label_after(self, owner, project):
        trail = Trail()

        label = create(owner, project, name="Casualty figure", key="z")

        event = trail.one("label.create", label.pk, owner)
        assert (event.object_type, event.project_id, event.before) == ("label", project.pk, None)
        assert (event.after["name"], event.after["key"], event.after["active"]) == ("Casualty figure", "z", True)


class TestLabelUpdate:
    def test_a_label_is_renamed_and_rekeyed(self, owner, label):
        update(owner, label, name="Attribution", key="x")

        assert Label.objects.filter(pk=label.pk).values_list("name", "key").get() == ("Attribution", "x")

    def test_a_label_keeps_its_own_name_and_key(self, owner, label):
        update(owner, label, name=label.name, key=label.key, description="Who said it.")

        assert Label.objects.get(pk=label.pk).description == "Who said it."

    def test_another_labels_name_is_refused_naming_name(self, owner, label):
        trail = Trail()

        with pytest.raises(InvalidInput) as refused:
            update(owner, label, name="Editorial appeal")

        assert list(refused.value.detail) == ["name"]
        assert Label.objects.get(pk=label.pk).name == "Source attribution"
        trail.none()

    def test_another_labels_key_is_refused_naming_key(self, owner, label):
        with pytest.raises(InvalidInput) as refused:
            update(owner, label, key="e")

        assert list(refused.value.detail) == ["key"]
        assert Label.objects.get(pk=label.pk).key == "s"

    def test_a_label_in_use_is_deactivated_and_its_spans_stay(self, owner, label, span):
        update(owner, label, active=False)

        assert Label.objects.get(pk=label.pk).active is False
        assert label.spans.get() == span

    def test_an_update_writes_one_event_with_before_and_after(self, owner, label):
        trail = Trail()

        update(owner, label, active=False)

        event = trail.one("label.update", label.pk, owner)
        assert (event.before["active"], event.after["active"]) == (True, False)
        assert event.before["name"] == event.after["name"] == "Source attribution"


class TestLabelDelete:
    def test_an_unused_label_is_deleted_and_one_event_keeps_it(self, owner, label):
        label_id = label.pk
        trail = Trail()

        delete(owner, label)

        assert not Label.objects.filter(pk=label_id).exists()
        event = trail.one("label.delete", label_id, owner)
        assert (event.before["name"], event.after) == ("Source attribution", None)

    def test_a_label_a_span_carries_is_in_use(self, owner, label, span):
        trail = Trail()

        with pytest.raises(LabelInUse, match='deactivate it with {"active": false}'):
            delete(owner, label)

        assert Label.objects.filter(pk=label.pk).exists()
        trail.none()

    def test_a_label_only_gold_carries_is_in_use(self, owner, reviewer, document, label):
        draw_gold(reviewer, document, label, "he said")

        with pytest.raises(LabelInUse):
            delete(owner, label)

        assert Label.objects.filter(pk=label.pk).exists()

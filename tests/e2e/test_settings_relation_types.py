"""Relation types on the settings page in a real browser: each change goes through the API and is stored, a type in
use is deactivated rather than deleted, and a preset's relation types come along with its labels."""

import pytest

from annotator.models import Label, RelationType
from annotator.services.labels import label_create
from annotator.services.projects import project_create
from tests.arrange import draw, make_relation_type, member_of, relate
from tests.e2e.settings_tables import (
    deactivate_instead,
    delete_unused,
    item_row,
    open_settings,
    refused_delete,
)
from tests.factories import UserFactory

TEXT = "Peskov told reporters that talks would resume."


@pytest.fixture
def setting_documents():
    return [{"text": TEXT}]


def type_row(page, relation_type):
    return item_row(page, "relation-type", relation_type)


def ends_of(relation_type):
    """The names of the labels `relation_type` allows at each end, from the database."""
    rows = relation_type.end_labels.order_by("label__name").values_list("end", "label__name")
    return {end: [name for e, name in rows if e == end] for end in ("from", "to")}


class TestAddingARelationType:
    def test_a_type_with_allowed_labels_is_stored_and_shown_with_them(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)

        form = page.locator("[data-testid='relation-type-add']")
        form.get_by_label("Name").fill("cites")
        form.get_by_label("Key").fill("q")
        form.get_by_role("group", name="From labels").get_by_label("Source attribution").check()
        form.get_by_role("group", name="To labels").get_by_label("Official statement").check()
        form.get_by_role("group", name="To labels").get_by_label("Denial").check()
        form.get_by_role("button", name="Add relation type").click()
        page.wait_for_selector("#relation-types-status.ok")

        stored = RelationType.objects.get(project=project, name="cites")
        assert stored.key == "q"
        assert ends_of(stored) == {"from": ["Source attribution"], "to": ["Denial", "Official statement"]}
        chips = type_row(page, stored).locator(".ends-summary .label-chip")
        # In the labels table's order, by id, as the API lists an end's labels.
        assert chips.all_inner_texts() == ["Source attribution", "Official statement", "Denial"]

    def test_a_type_without_allowed_labels_says_any_label(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)

        page.fill("#new-relation-type-name", "supports")
        page.get_by_role("button", name="Add relation type").click()
        page.wait_for_selector("#relation-types-status.ok")

        stored = RelationType.objects.get(project=project, name="supports")
        assert ends_of(stored) == {"from": [], "to": []}
        assert type_row(page, stored).locator(".label-chips.any").all_inner_texts() == ["any label", "any label"]

    def test_the_keyboard_alone_chooses_the_labels_and_adds_it(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)
        labels = list(project.labels.order_by("id").values_list("name", flat=True))

        page.focus("#new-relation-type-name")
        page.keyboard.type("cites")
        page.focus("#new-relation-type-description")
        page.keyboard.press("Tab")  # the From list's first label
        page.keyboard.press("Space")
        for _ in range(len(labels) + 1):  # across the From list to the To list's second label
            page.keyboard.press("Tab")
        page.keyboard.press("Space")
        page.focus("#new-relation-type-name")
        page.keyboard.press("Enter")
        page.wait_for_selector("#relation-types-status.ok")

        assert ends_of(RelationType.objects.get(project=project, name="cites")) == {
            "from": [labels[0]],
            "to": [labels[1]],
        }

    def test_a_taken_name_is_refused_and_nothing_is_stored(self, page, setting):
        project, owner = setting.project, setting.owner
        make_relation_type(owner, project, "cites")
        open_settings(page, project, owner)

        page.fill("#new-relation-type-name", "cites")
        page.get_by_role("button", name="Add relation type").click()
        error = page.locator("#relation-type-add-error")
        error.wait_for()

        assert "already has a relation type named 'cites'" in error.inner_text()
        assert page.locator("#new-relation-type-name[aria-invalid='true']").count() == 1
        assert RelationType.objects.filter(project=project).count() == 1


class TestEditingARelationType:
    def test_its_name_colour_and_allowed_labels_change_in_place(self, page, setting):
        project, owner = setting.project, setting.owner
        cites = make_relation_type(owner, project, "cites", from_labels=["Source attribution"])
        open_settings(page, project, owner)

        row = type_row(page, cites)
        row.get_by_label("Name").fill("quotes")
        row.get_by_label("Colour").fill("#123abc")
        row.locator("summary").click()
        row.get_by_role("group", name="From labels").get_by_label("Source attribution").uncheck()
        row.get_by_role("group", name="To labels").get_by_label("Denial").check()
        row.get_by_role("button", name="Save").click()
        page.wait_for_selector(f"tbody[data-relation-type-row='{cites.pk}'] .row-message.ok")

        cites.refresh_from_db()
        assert (cites.name, cites.color) == ("quotes", "#123abc")
        assert ends_of(cites) == {"from": [], "to": ["Denial"]}
        page.reload()
        page.wait_for_selector("body[data-ready='true']")
        assert type_row(page, cites).get_by_label("Name").input_value() == "quotes"
        assert type_row(page, cites).locator(".ends-summary").inner_text().split() == [
            "From",
            "any",
            "label",
            "→",
            "to",
            "Denial",
        ]

    def test_deactivating_and_reactivating_it_is_stored(self, page, setting):
        project, owner = setting.project, setting.owner
        cites = make_relation_type(owner, project, "cites")
        open_settings(page, project, owner)

        type_row(page, cites).get_by_label("Active").uncheck()
        type_row(page, cites).get_by_role("button", name="Save").click()
        page.wait_for_selector(f"tbody[data-relation-type-row='{cites.pk}'] .row-message.ok")
        assert RelationType.objects.get(pk=cites.pk).active is False

        type_row(page, cites).get_by_label("Active").check()
        type_row(page, cites).get_by_role("button", name="Save").click()
        page.wait_for_function(
            f"() => document.querySelector(\"tbody[data-relation-type-row='{cites.pk}'] .row-message.ok\")"
            "?.textContent.startsWith('Saved') && !document.querySelector('tbody.dirty')"
        )
        assert RelationType.objects.get(pk=cites.pk).active is True

    def test_its_ends_follow_a_label_renamed_on_the_same_page(self, page, setting):
        project, owner = setting.project, setting.owner
        cites = make_relation_type(owner, project, "cites", to_labels=["Denial"])
        denial = project.labels.get(name="Denial")
        open_settings(page, project, owner)

        label = page.locator(f"tbody[data-label-row='{denial.pk}']")
        label.get_by_label("Name").fill("Rebuttal")
        label.get_by_role("button", name="Save").click()
        page.wait_for_selector(f"tbody[data-label-row='{denial.pk}'] .row-message.ok")

        assert type_row(page, cites).locator(".ends-summary .label-chip").all_inner_texts() == ["Rebuttal"]
        assert (
            page.locator("[data-testid='relation-type-add']")
            .get_by_role("group", name="To labels")
            .get_by_label("Rebuttal")
            .count()
            == 1
        )


class TestDeletingARelationType:
    def test_an_unused_type_is_deleted(self, page, setting):
        project, owner = setting.project, setting.owner
        cites = make_relation_type(owner, project, "cites")
        open_settings(page, project, owner)

        delete_unused(page, "relation-types", "relation-type", cites)

        assert not RelationType.objects.filter(pk=cites.pk).exists()
        assert page.locator("tbody[data-relation-type-row]").count() == 0
        assert page.locator("#relation-types-empty").is_visible()

    def test_a_type_in_use_explains_why_and_offers_to_deactivate_it(self, page, setting):
        project, document, owner, annotator = setting.project, setting.document, setting.owner, setting.annotator
        cites = make_relation_type(owner, project, "cites")
        cue, source = draw(annotator, document, "Denial", "told"), draw(annotator, document, "Denial", "Peskov")
        relate(annotator, cites, cue, source)
        open_settings(page, project, owner)

        assert "“cites” is used by relations, so it cannot be deleted" in refused_delete(page, "relation-type", cites)
        assert RelationType.objects.filter(pk=cites.pk, active=True).exists()

        deactivate_instead(page, "relation-type", cites)
        assert RelationType.objects.get(pk=cites.pk).active is False
        assert not type_row(page, cites).get_by_label("Active").is_checked()

    def test_a_label_a_type_allows_says_which_type_holds_it(self, page, setting):
        project, owner = setting.project, setting.owner
        make_relation_type(owner, project, "cites", to_labels=["Denial"])
        denial = project.labels.get(name="Denial")
        open_settings(page, project, owner)

        assert "allowed at an end of the relation type “cites”" in refused_delete(page, "label", denial)
        assert Label.objects.filter(pk=denial.pk).exists()


class TestAPresetsRelationTypes:
    def test_they_come_along_with_its_labels_their_ends_on_the_projects_labels(self, page, transactional_db):
        owner = UserFactory(username="owner")
        project = project_create(user=owner, name="Own scheme")
        label_create(member=member_of(owner, project), name="Source", key="z")
        open_settings(page, project, owner)

        assert "attribution (3 labels, 2 relation types)" in page.locator("#preset").inner_text()
        page.select_option("#preset", "attribution")
        plan = page.locator("#preset-plan").inner_text()
        assert "Adds 2 relation types: source (Cue → Source), content (Cue → Content)." in plan
        page.get_by_role("button", name="Add missing labels").click()
        status = page.locator("#preset-status.ok")
        status.wait_for()

        assert sorted(project.labels.values_list("name", flat=True)) == ["Content", "Cue", "Source"]
        source, content = (RelationType.objects.get(project=project, name=name) for name in ("source", "content"))
        assert ends_of(source) == {"from": ["Cue"], "to": ["Source"]}
        assert ends_of(content) == {"from": ["Cue"], "to": ["Content"]}
        assert source.end_labels.get(end="to").label.key == "z"  # the project's own Source, not a second one
        assert "Added 2 relation types" in status.inner_text()
        assert page.locator("tbody[data-relation-type-row]").count() == 2
        assert "Nothing to add" in page.locator("#preset-plan").inner_text()

    def test_a_type_the_project_has_by_name_is_skipped(self, page, transactional_db):
        owner = UserFactory(username="owner")
        project = project_create(user=owner, name="Own scheme")
        make_relation_type(owner, project, "source", key="o")
        open_settings(page, project, owner)

        page.select_option("#preset", "attribution")
        page.get_by_role("button", name="Add missing labels").click()
        status = page.locator("#preset-status.ok")
        status.wait_for()

        assert sorted(RelationType.objects.filter(project=project).values_list("name", flat=True)) == [
            "content",
            "source",
        ]
        assert ends_of(RelationType.objects.get(project=project, name="source")) == {"from": [], "to": []}
        assert "Skipped 1 relation type the project already has: source." in status.inner_text()

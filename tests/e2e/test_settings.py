"""The settings page in a real browser: each change goes through the API and is stored; guidelines run nothing."""

import pytest

from annotator.access import access_project
from annotator.models import Label, Member, Project, Role, Span
from annotator.services.labels import label_create
from annotator.services.projects import project_create, project_update
from annotator.services.spans import span_create
from tests.arrange import make_relation_type
from tests.e2e.conftest import open_as
from tests.e2e.settings_tables import deactivate_instead, item_row, open_settings, refused_delete
from tests.factories import UserFactory

TEXT = "Then Peskov told reporters that talks would resume."


@pytest.fixture
def setting_documents():
    return [{"text": TEXT}]


def label_row(page, label):
    return item_row(page, "label", label)


class TestLabels:
    def test_editing_a_labels_colour_and_key_stores_them(self, page, setting):
        project, owner = setting.project, setting.owner
        label = project.labels.get(name="Denial")
        open_settings(page, project, owner)

        row = label_row(page, label)
        row.locator("input[name='color']").fill("#123abc")
        row.locator("input[name='key']").fill("x")
        row.get_by_role("button", name="Save").click()
        page.wait_for_selector(f"tbody[data-label-row='{label.pk}'] .row-message.ok")

        label.refresh_from_db()
        assert (label.color, label.key) == ("#123abc", "x")
        page.reload()
        page.wait_for_selector("body[data-ready='true']")
        assert label_row(page, label).locator("input[name='key']").input_value() == "x"

    def test_a_taken_key_is_refused_next_to_the_row(self, page, setting):
        project, owner = setting.project, setting.owner
        label = project.labels.get(name="Denial")
        open_settings(page, project, owner)

        row = label_row(page, label)
        row.locator("input[name='key']").fill("s")
        row.get_by_role("button", name="Save").click()
        message = row.locator(".row-message.error")
        message.wait_for()

        assert "already taken" in message.inner_text()
        assert row.locator("input[name='key'][aria-invalid='true']").count() == 1
        label.refresh_from_db()
        assert label.key == "n"

    def test_deleting_a_label_in_use_explains_and_offers_to_deactivate_it(self, page, setting):
        project, document, owner, annotator = setting.project, setting.document, setting.owner, setting.annotator
        label = project.labels.get(name="Source attribution")
        span_create(member=access_project(annotator, project.pk), document=document, label=label.pk, start=0, end=4)
        open_settings(page, project, owner)

        assert "is used by spans, so it cannot be deleted" in refused_delete(page, "label", label)
        assert Label.objects.filter(pk=label.pk, active=True).exists()

        deactivate_instead(page, "label", label)
        assert Label.objects.get(pk=label.pk).active is False
        assert not label_row(page, label).locator("input[name='active']").is_checked()

    def test_merging_a_label_moves_its_spans_and_its_relation_type_ends(self, page, setting):
        project, document, owner, annotator = setting.project, setting.document, setting.owner, setting.annotator
        label, denial = project.labels.get(name="Source attribution"), project.labels.get(name="Denial")
        span = span_create(
            member=access_project(annotator, project.pk), document=document, label=label.pk, start=0, end=4
        )
        says = make_relation_type(owner, project, "Says", from_labels=[label])
        open_settings(page, project, owner)

        row = label_row(page, label)
        row.get_by_role("button", name="Merge into…").click()
        row.get_by_label("Merge into").select_option(label="Denial")
        assert "Merge “Source attribution” into “Denial”?" in row.locator(".row-message").inner_text()
        row.get_by_role("button", name="Merge", exact=True).click()
        page.wait_for_selector("#labels-status.ok")

        assert "Merged “Source attribution” into “Denial”: 1 span, 0 gold spans and 0 suggestions moved" in (
            page.locator("#labels-status").inner_text()
        )
        assert label_row(page, label).count() == 0
        assert not Label.objects.filter(pk=label.pk).exists()
        assert Span.objects.get(pk=span.pk).label_id == denial.pk
        ends = item_row(page, "relation-type", says).locator(".ends-summary")
        assert "Denial" in ends.inner_text()
        assert "Source attribution" not in ends.inner_text()

    def test_a_refused_merge_says_why_under_the_row(self, page, setting):
        project, owner = setting.project, setting.owner
        label, denial = project.labels.get(name="Source attribution"), project.labels.get(name="Denial")
        open_settings(page, project, owner)
        Label.objects.filter(pk=denial.pk).update(active=False)  # by someone else, after the page loaded

        row = label_row(page, label)
        row.get_by_role("button", name="Merge into…").click()
        row.get_by_label("Merge into").select_option(label="Denial")
        row.get_by_role("button", name="Merge", exact=True).click()
        message = row.locator(".row-message.error")
        message.wait_for()

        assert "Not merged. “Denial” is deactivated" in message.inner_text()
        assert Label.objects.filter(pk=label.pk).exists()

    def test_adding_a_preset_adds_only_what_the_project_lacks_and_says_what_it_skipped(self, page, transactional_db):
        owner = UserFactory(username="owner")
        project = project_create(user=owner, name="Own scheme")
        actor = access_project(owner, project.pk)
        label_create(member=actor, name="Denial", key="z")
        label_create(member=actor, name="Mine", key="s")
        open_settings(page, project, owner)

        page.select_option("#preset", "framing")
        page.get_by_role("button", name="Add missing labels").click()
        status = page.locator("#preset-status.ok")
        status.wait_for()

        stored = dict(project.labels.values_list("name", "key"))
        assert len(stored) == 2 + 9
        assert stored["Denial"] == "z"  # skipped: already present by name
        assert stored["Source attribution"] == ""  # its key "s" is taken
        assert stored["Editorial appeal"] == "e"
        assert "Skipped 1 label the project already has: Denial." in status.inner_text()
        assert "Without a key, because the project already uses it: Source attribution (s)." in status.inner_text()
        assert page.locator("tbody[data-label-row]").count() == 11


class TestMembers:
    def test_adding_a_member_by_username_stores_their_role(self, page, setting):
        project, owner = setting.project, setting.owner
        UserFactory(username="newcomer")
        open_settings(page, project, owner)

        page.fill("#new-member-username", "newcomer")
        page.select_option("#new-member-role", "reviewer")
        page.get_by_role("button", name="Add member").click()
        page.wait_for_selector("#members-status.ok")

        assert Member.objects.get(project=project, user__username="newcomer").role == Role.REVIEWER
        assert page.locator("[data-testid='members-table'] .username").all_inner_texts() == [
            "owner",
            "annotator",
            "newcomer",
        ]


class TestGuidelines:
    HOSTILE = (
        "## Sources\n\nMark *every* named source.\n\n"
        "<script>window.pwned = 1</script>\n\n"
        '<img src=x onerror="window.pwned = 2">\n\n'
        "[bad](javascript:window.pwned=3)"
    )

    def test_saving_guidelines_stores_them_and_shows_the_sanitised_preview(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)

        page.fill("#project-guidelines", self.HOSTILE)
        page.get_by_role("button", name="Save project").click()
        page.wait_for_selector("#project-status.ok")

        assert Project.objects.get(pk=project.pk).guidelines == self.HOSTILE
        preview = page.locator("[data-testid='guidelines-preview']")
        assert preview.locator("h2").inner_text() == "Sources"
        assert preview.locator("script, img, [onerror]").count() == 0
        assert page.evaluate("() => window.pwned === undefined")

    def test_they_open_with_one_click_on_the_annotate_page_and_run_nothing(self, page, setting):
        project, document, owner, annotator = setting.project, setting.document, setting.owner, setting.annotator
        project_update(member=access_project(owner, project.pk), guidelines=self.HOSTILE)
        path = f"/projects/{project.pk}/documents/{document.pk}/"
        open_as(page, annotator, path, "[data-testid='document-text'][data-ready='true']")

        guidelines = page.locator("[data-testid='guidelines']")
        assert not guidelines.locator("h2").is_visible()
        guidelines.locator("summary").click()

        assert guidelines.locator("h2").is_visible()
        assert guidelines.locator("em").inner_text() == "every"
        assert guidelines.locator("script, img, [onerror]").count() == 0
        assert guidelines.get_by_text("bad").get_attribute("href") is None
        assert page.evaluate("() => window.pwned === undefined")

"""The settings page's codebook history in a real browser: each version with its change lines, newest first and a
page at a time; new versions appear after the page's own saves; two versions compared, guidelines line by line.

SLANT_SHOTS=docs runs the rename-and-compare test as the README's screenshot too (docs/codebook-history.png)."""

import os
from pathlib import Path

import pytest

from annotator.access import access_project
from annotator.models import CodebookVersion
from annotator.services.labels import label_update
from annotator.services.projects import project_update
from tests.e2e.settings_tables import item_row, open_settings, wait_saved

GUIDELINES = "# Framing\n\nMark the frame a sentence takes.\nOne label a span.\n\nAsk when unsure."
HOSTILE = "<img src=x onerror=alert(1)>"


def versions(page):
    return page.locator("[data-testid='codebook-versions'] > li")


def version(page, number):
    return page.locator(f"[data-testid='codebook-versions'] > li[data-version='{number}']")


def changes_of(page, number):
    return version(page, number).locator(".version-changes li").all_inner_texts()


def wait_version(page, number):
    version(page, number).wait_for()


def diff(page):
    return page.get_by_test_id("codebook-diff")


@pytest.fixture
def framed(setting):
    """The setting's project (version 1, the framing preset) with guidelines written (version 2)."""
    project_update(member=access_project(setting.owner, setting.project.pk), guidelines=GUIDELINES)
    return setting


class TestTheHistory:
    def test_it_lists_the_versions_newest_first_with_who_made_each(self, page, framed):
        project, owner = framed.project, framed.owner
        CodebookVersion.objects.filter(project=project, number=1).update(created_by=None)
        open_settings(page, project, owner)
        wait_version(page, 2)

        assert page.locator("#codebook-current").inner_text() == "2"
        assert [row.get_attribute("data-version") for row in versions(page).all()] == ["2", "1"]
        assert changes_of(page, 2) == ["guidelines edited"]
        assert "by owner" in version(page, 2).inner_text()
        assert "by a migration" in version(page, 1).inner_text()
        assert version(page, 1).locator("time").count() == 1
        assert page.locator("#codebook-older").is_hidden()

    def test_renaming_a_label_shows_the_new_version_and_comparing_shows_the_diff(self, page, framed):
        project, owner = framed.project, framed.owner
        denial = project.labels.get(name="Denial")
        open_settings(page, project, owner)
        wait_version(page, 2)

        row = item_row(page, "label", denial)
        row.locator("input[name='name']").fill("Rejection")
        row.get_by_role("button", name="Save").click()
        wait_saved(page, "label", denial)
        wait_version(page, 3)
        assert changes_of(page, 3) == ['label "Denial" renamed to "Rejection"']
        assert page.locator("#codebook-current").inner_text() == "3"

        guidelines = page.locator("#project-guidelines")
        guidelines.fill(GUIDELINES.replace("One label a span.", "One label a span, never two."))
        page.get_by_role("button", name="Save project").click()
        wait_version(page, 4)
        assert changes_of(page, 4) == ["guidelines edited"]
        assert [row.get_attribute("data-version") for row in versions(page).all()] == ["4", "3", "2", "1"]

        page.select_option("#codebook-from", "2")
        page.select_option("#codebook-to", "4")
        page.get_by_role("button", name="Compare", exact=True).click()
        page.wait_for_selector("[data-testid='codebook-diff'][data-compared='2-4']")

        result = diff(page)
        assert result.get_by_role("heading", name="From version 2 to version 4").is_visible()
        assert result.locator(".version-changes li").all_inner_texts() == [
            "guidelines edited",
            'label "Denial" renamed to "Rejection"',
        ]
        lines = result.locator("ul.guidelines-diff")
        assert lines.locator("li.diff-del del .diff-text").all_inner_texts() == ["One label a span."]
        assert lines.locator("li.diff-add ins .diff-text").all_inner_texts() == ["One label a span, never two."]
        assert lines.locator("li.diff-add .diff-sign").inner_text() == "+"
        assert lines.locator("li.diff-del .sr-only").inner_text() == "Removed:"
        assert "Mark the frame a sentence takes." in lines.locator("li.diff-same .diff-text").all_inner_texts()

        if os.environ.get("SLANT_SHOTS"):
            page.set_viewport_size({"width": 1100, "height": 900})
            section = page.get_by_test_id("codebook-history")
            section.scroll_into_view_if_needed()
            section.screenshot(path=str(Path(os.environ["SLANT_SHOTS"]) / "codebook-history.png"))

        version(page, 3).get_by_role("button", name="Compare with the one before").click()
        page.wait_for_selector("[data-testid='codebook-diff'][data-compared='2-3']")
        assert result.locator(".version-changes li").all_inner_texts() == ['label "Denial" renamed to "Rejection"']
        assert result.locator("ul.guidelines-diff").count() == 0
        assert page.evaluate("() => document.activeElement.id") == "codebook-diff-heading"

    def test_show_older_pages_through_every_version_once(self, page, setting):
        project, owner = setting.project, setting.owner
        actor = access_project(owner, project.pk)
        denial = project.labels.get(name="Denial")
        for i in range(24):
            label_update(member=actor, label=denial, description=f"Take {i}")
        open_settings(page, project, owner)
        wait_version(page, 25)

        assert versions(page).count() == 20
        page.get_by_role("button", name="Show older").click()
        wait_version(page, 1)

        numbers = [int(row.get_attribute("data-version")) for row in versions(page).all()]
        assert numbers == list(range(25, 0, -1))
        assert page.locator("#codebook-older").is_hidden()
        assert changes_of(page, 25) == ['label "Denial" description changed']

    def test_a_label_named_as_markup_shows_as_text(self, page, setting):
        project, owner = setting.project, setting.owner
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        open_settings(page, project, owner)
        wait_version(page, 1)

        page.fill("#new-label-name", HOSTILE)
        page.get_by_role("button", name="Add label").click()
        wait_version(page, 2)

        assert changes_of(page, 2) == [f'label "{HOSTILE}" added']
        history = page.get_by_test_id("codebook-history")
        assert history.locator("img").count() == 0
        page.select_option("#codebook-from", "1")
        page.select_option("#codebook-to", "2")
        page.get_by_role("button", name="Compare", exact=True).click()
        page.wait_for_selector("[data-testid='codebook-diff'][data-compared='1-2']")
        assert diff(page).locator(".version-changes li").all_inner_texts() == [f'label "{HOSTILE}" added']
        assert history.locator("img").count() == 0
        assert dialogs == []

    def test_a_preset_and_a_new_question_each_show_their_versions(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)
        wait_version(page, 1)

        page.select_option("#preset", "attribution")
        page.get_by_role("button", name="Add missing labels").click()
        page.locator("#preset-status.ok").wait_for()
        wait_version(page, 3)
        assert changes_of(page, 2) == [f'label "{name}" added' for name in ("Source", "Cue", "Content")]
        assert changes_of(page, 3) == ['relation type "source" added', 'relation type "content" added']

        page.fill("#new-question-name", "Tone")
        page.select_option("#new-question-kind", "scale")  # from 1 to 5 unless changed
        page.get_by_role("button", name="Add question").click()
        wait_version(page, 4)
        assert changes_of(page, 4) == ['question "Tone" added']
        assert page.locator("#codebook-current").inner_text() == "4"
        assert page.locator("#codebook-to option").all_inner_texts()[:2] == ["Version 4", "Version 3"]

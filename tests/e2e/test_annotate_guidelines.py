"""The codebook on the annotate page (issue 17): the version the annotator works under; a nudge to read the
guidelines for a newcomer; a banner saying what changed in them since the annotator last read them (the codebook's
change lines and the guidelines line by line, as text), gone once they mark them read or open them."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.models import Member
from annotator.services.projects import project_update
from tests.arrange import member_of
from tests.e2e.conftest import open_as

TEXT = "Late that night Peskov told reporters that talks would resume, and the envoy said nothing."
ANNOTATE_READY = "[data-testid='document-text'][data-ready='true']"
DESKTOP = {"width": 1400, "height": 900}
FIRST = "Mark every quote and who said it.\nSkip headlines."
SECOND = "Mark every quote and who said it.\n<script>alert('guidelines')</script> Anonymous sources count too."


@pytest.fixture
def setting_documents():
    return [{"title": "Talks resume", "text": TEXT}]


@pytest.fixture
def dialogs(page):
    """Every dialog the page opens (a script run from the guidelines would open one)."""
    opened = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


def open_document(page, setting, user=None):
    page.set_viewport_size(DESKTOP)
    path = f"/projects/{setting.project.pk}/documents/{setting.document.pk}/"
    open_as(page, user or setting.annotator, path, ANNOTATE_READY)


def reload(page):
    page.reload()
    page.wait_for_selector(ANNOTATE_READY)


def read_version(setting, user=None):
    return Member.objects.get(project=setting.project, user=user or setting.annotator).guidelines_read_version


def edit_guidelines_through_the_api(setting, guidelines):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=setting.owner)[0].key}")
    response = client.patch(f"/api/v1/projects/{setting.project.pk}/", {"guidelines": guidelines}, format="json")
    assert response.status_code == 200, response.content


class TestGuidelinesOnTheAnnotatePage:
    def test_an_annotator_sees_what_changed_marks_it_read_and_the_warning_is_gone(self, page, setting, dialogs):
        project_update(member=member_of(setting.owner, setting.project), guidelines=FIRST)
        open_document(page, setting)
        assert page.get_by_test_id("codebook-version").inner_text() == "Codebook v2"
        nudge = page.get_by_test_id("guidelines-nudge")
        assert "Read the guidelines (v2)" in nudge.inner_text()

        nudge.get_by_role("button", name="Open the guidelines").click()

        nudge.wait_for(state="hidden")
        assert page.locator("[data-testid='guidelines']").get_attribute("open") is not None
        assert read_version(setting) == 2

        edit_guidelines_through_the_api(setting, SECOND)
        reload(page)

        assert page.get_by_test_id("codebook-version").inner_text() == "Codebook v3"
        banner = page.get_by_test_id("guidelines-changed")
        assert "The guidelines changed since you last read them (v2 → v3)" in banner.inner_text()
        assert page.get_by_test_id("codebook-changes").inner_text() == "guidelines edited"
        diff = page.get_by_test_id("guidelines-diff")
        assert diff.locator("del").inner_text().endswith("Skip headlines.")
        added = diff.locator("ins").inner_text()
        assert added.endswith("<script>alert('guidelines')</script> Anonymous sources count too.")
        assert diff.locator("ins").evaluate("(node) => node.querySelector('script')") is None

        page.get_by_test_id("guidelines-read").click()

        banner.wait_for(state="hidden")
        assert read_version(setting) == 3
        reload(page)
        assert page.get_by_test_id("guidelines-changed").count() == 0
        assert page.get_by_test_id("guidelines-nudge").count() == 0
        assert page.get_by_test_id("codebook-version").inner_text() == "Codebook v3"
        assert dialogs == []

    def test_opening_the_guidelines_panel_records_the_reading_too(self, page, setting):
        project_update(member=member_of(setting.owner, setting.project), guidelines=FIRST)
        member = member_of(setting.annotator, setting.project)
        Member.objects.filter(pk=member.pk).update(guidelines_read_version=1)
        open_document(page, setting)
        banner = page.get_by_test_id("guidelines-changed")
        assert "(v1 → v2)" in banner.inner_text()

        page.locator("[data-testid='guidelines'] summary").click()

        banner.wait_for(state="hidden")
        assert read_version(setting) == 2

    def test_a_reader_of_a_document_not_assigned_to_them_records_only_their_own_reading(self, page, setting):
        project_update(member=member_of(setting.owner, setting.project), guidelines=FIRST)
        owner = member_of(setting.owner, setting.project)
        Member.objects.filter(pk=owner.pk).update(guidelines_read_version=None)
        open_document(page, setting, setting.owner)
        page.get_by_test_id("read-only-note").wait_for()
        nudge = page.get_by_test_id("guidelines-nudge")

        nudge.get_by_role("button", name="Open the guidelines").click()

        nudge.wait_for(state="hidden")
        assert (read_version(setting, setting.owner), read_version(setting)) == (2, None)

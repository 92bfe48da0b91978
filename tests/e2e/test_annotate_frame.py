"""The frame around the annotate page: who may change the document from it (read-only unless assigned, with an edit
switch for owners and reviewers), the way back to the project, and where the queue stands after a submit."""

import pytest

from annotator.models import Role, Span
from annotator.services.assignments import assignment_delete
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_update
from tests.arrange import draw, member_of, submit
from tests.e2e.conftest import open_as
from tests.e2e.test_annotate import ANNOTATE_READY, PHRASE, TEXT, select_code_points
from tests.factories import UserFactory


@pytest.fixture
def setting_documents():
    return [{"text": TEXT, "title": "Talks to resume"}]


def open_document(page, setting, user, document=None):
    document = document or setting.document
    open_as(page, user, f"/projects/{setting.project.pk}/documents/{document.pk}/", ANNOTATE_READY)


def joined(setting, username, role):
    """A new member of the setting's project with `role`, assigned to nothing."""
    user = UserFactory(username=username)
    member_add(actor=member_of(setting.owner, setting.project), username=username, role=role)
    return user


def press_a_label_key_over_the_phrase(page):
    start = TEXT.index(PHRASE)
    select_code_points(page, start, start + len(PHRASE))
    page.keyboard.press("s")


class TestReadOnlyUnlessAssigned:
    def test_a_reviewer_not_assigned_reads_with_a_note_and_a_link_to_review_and_a_key_saves_nothing(
        self, page, setting
    ):
        reviewer = joined(setting, "reviewer", Role.REVIEWER)
        open_document(page, setting, reviewer)

        note = page.get_by_test_id("read-only-note")
        assert note.is_visible()
        assert "not assigned" in note.inner_text()
        review = note.get_by_role("link", name="Review it")
        assert review.get_attribute("href") == f"/projects/{setting.project.pk}/documents/{setting.document.pk}/review/"
        press_a_label_key_over_the_phrase(page)
        page.wait_for_timeout(300)
        assert not Span.objects.exists()
        assert page.locator("[data-label-id]").first.is_disabled()

    def test_an_owner_turns_editing_on_with_the_switch_and_then_annotates(self, page, setting):
        open_document(page, setting, setting.owner)
        switch = page.get_by_role("switch", name="Annotate this document")
        assert switch.is_visible()
        assert not switch.is_checked()

        switch.check()
        press_a_label_key_over_the_phrase(page)
        page.wait_for_selector("[data-span-id]")

        span = Span.objects.get()
        assert (span.annotator, TEXT[span.start : span.end]) == (setting.owner, PHRASE)
        assert not page.get_by_test_id("read-only-note").is_visible()

    def test_an_owners_own_span_on_a_document_not_assigned_to_them_is_locked_until_the_switch_is_on(
        self, page, setting
    ):
        draw(setting.owner, setting.document, "Source attribution", PHRASE)
        open_document(page, setting, setting.owner)

        page.locator("[data-span-id]").first.click()
        panel = page.get_by_test_id("span-panel")
        panel.wait_for(state="visible")
        assert panel.get_by_role("button", name="Delete").count() == 0

        page.get_by_role("switch", name="Annotate this document").check()
        page.locator("[data-span-id]").first.click()
        assert panel.get_by_role("button", name="Delete").is_visible()

    def test_an_annotator_not_assigned_in_a_project_that_is_not_blind_reads_with_no_switch(self, page, setting):
        other = joined(setting, "other", Role.ANNOTATOR)
        owner = member_of(setting.owner, setting.project)
        project_update(member=owner, blind=False)
        assignment_delete(actor=owner, assignment=setting.document.assignments.get(user=other))
        open_document(page, setting, other)

        assert page.get_by_test_id("read-only-note").is_visible()
        assert page.get_by_role("switch").count() == 0
        assert page.get_by_test_id("read-only-note").get_by_role("link").count() == 0
        press_a_label_key_over_the_phrase(page)
        page.wait_for_timeout(300)
        assert not Span.objects.exists()

    def test_the_assigned_annotator_edits_at_once_with_no_note_and_no_switch(self, page, setting):
        open_document(page, setting, setting.annotator)

        assert page.get_by_test_id("read-only-note").count() == 0
        assert page.get_by_role("switch").count() == 0
        press_a_label_key_over_the_phrase(page)
        page.wait_for_selector("[data-span-id]")
        assert Span.objects.get().annotator == setting.annotator


class TestWayBack:
    def test_the_breadcrumb_leads_from_a_document_to_its_project_and_its_documents(self, page, setting):
        open_document(page, setting, setting.annotator)

        crumbs = page.get_by_role("navigation", name="Breadcrumb")
        assert crumbs.inner_text().split() == ["Ceasefire", "coverage", "›", "Documents", "›", "Talks", "to", "resume"]
        crumbs.get_by_role("link", name="Documents").click()
        page.wait_for_url(f"**/projects/{setting.project.pk}/documents/")
        page.go_back()
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Ceasefire coverage").click()
        page.wait_for_url(f"**/projects/{setting.project.pk}/")

    def test_the_review_page_has_the_breadcrumb_too(self, page, setting):
        path = f"/projects/{setting.project.pk}/documents/{setting.document.pk}/review/"
        open_as(page, setting.owner, path, "[data-testid='lanes'][data-ready='true']")

        crumbs = page.get_by_role("navigation", name="Breadcrumb")
        assert crumbs.get_by_role("link", name="Ceasefire coverage").get_attribute("href") == (
            f"/projects/{setting.project.pk}/"
        )
        assert crumbs.get_by_role("link", name="Review").get_attribute("href") == (
            f"/projects/{setting.project.pk}/review/"
        )
        assert "Talks to resume" in crumbs.inner_text()


class TestQueueEnd:
    def test_submitting_the_last_open_document_says_the_queue_is_finished_and_stays(self, page, setting):
        open_document(page, setting, setting.annotator)

        page.get_by_role("button", name="Submit").click()
        finished = page.get_by_test_id("queue-finished")
        finished.wait_for(state="visible")

        assert "queue is finished" in finished.inner_text()
        assert finished.get_by_role("link").get_attribute("href") == f"/projects/{setting.project.pk}/"
        assert page.url.endswith(f"/documents/{setting.document.pk}/")
        assert page.get_by_test_id("submitted").is_visible()
        assert setting.document.assignments.get(user=setting.annotator).status == "submitted"

    def test_submitting_the_last_document_with_an_earlier_one_open_points_to_it(self, page, setting):
        owner = member_of(setting.owner, setting.project)
        [later] = document_create_many(member=owner, items=[{"text": "A later article.", "title": "Later"}])
        open_document(page, setting, setting.annotator, later)

        page.get_by_role("button", name="Submit").click()
        notice = page.get_by_test_id("queue-finished")
        notice.wait_for(state="visible")

        assert "1 other document" in notice.inner_text() and "still open" in notice.inner_text()
        link = notice.get_by_role("link", name="Talks to resume")
        assert link.get_attribute("href") == f"/projects/{setting.project.pk}/documents/{setting.document.pk}/"

    def test_a_submitted_document_says_so_and_offers_no_second_submit(self, page, setting):
        submit(setting.annotator, setting.document)
        open_document(page, setting, setting.annotator)

        assert "submitted" in page.get_by_test_id("submitted").inner_text().lower()
        assert page.get_by_role("button", name="Submit").count() == 0

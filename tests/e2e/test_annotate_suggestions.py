"""Suggestions on the annotate page (issue 16, Pages): the caller's open suggestions drawn as dashed outlines,
stepped through with Tab / Shift+Tab, accepted with Enter or a label's key, rejected with x, accepted in bulk above
a score, hidden with a toggle, taken back with Ctrl+Z; a decision made elsewhere (409) is shown, and a page that
reads only shows them without acting on them. An emoji flag before them checks the offsets' conversion."""

import pytest

from annotator.choices import Decision
from annotator.models import Span, SuggestionDecision
from annotator.services.documents import document_create_many
from annotator.services.suggestions import suggestion_reject
from tests.arrange import draw, member_of, phrase, suggest
from tests.e2e.conftest import open_as

TEXT = "🇺🇦 Late that night Peskov told reporters that talks would resume, and the envoy said nothing."
ANNOTATE_READY = "[data-testid='document-text'][data-ready='true']"
DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture
def setting_documents():
    return [{"title": "Talks resume", "text": TEXT}]


@pytest.fixture
def suggested(setting):
    """Three suggestions by lexicon:cues, in text order: "Peskov" (Source attribution, 0.9), "talks would resume"
    (Diplomatic claim, 0.6), "the envoy" (Source attribution, 0.3)."""
    owner, document = setting.owner, setting.document
    return {
        "peskov": suggest(owner, document, "Source attribution", "Peskov", score=0.9),
        "talks": suggest(owner, document, "Diplomatic claim", "talks would resume", score=0.6),
        "envoy": suggest(owner, document, "Source attribution", "the envoy", score=0.3),
    }


def open_document(page, setting, user=None):
    page.set_viewport_size(DESKTOP)
    path = f"/projects/{setting.project.pk}/documents/{setting.document.pk}/"
    open_as(page, user or setting.annotator, path, ANNOTATE_READY)


def outline_of(page, suggestion):
    return page.locator(f"[data-testid='document-text'] [data-suggestion-id='{suggestion.pk}']")


def focused_suggestion(page):
    """The id of the suggestion whose highlight has the keyboard focus (None: no suggestion has it)."""
    found = page.evaluate("() => document.activeElement?.dataset?.suggestionId ?? null")
    return None if found is None else int(found)


def tab_into_text(page, times=1):
    page.locator("[data-testid='document-text']").focus()
    for _ in range(times):
        page.keyboard.press("Tab")


def wait_for_status(page, starting):
    page.wait_for_function("(start) => document.getElementById('status').textContent.startsWith(start)", arg=starting)


def status(page):
    return page.locator("#status").text_content()


def spans_of(setting):
    return list(Span.objects.filter(document=setting.document).order_by("start", "id"))


def decisions(setting):
    return dict(SuggestionDecision.objects.filter(user=setting.annotator).values_list("suggestion_id", "decision"))


class TestDrawing:
    def test_open_suggestions_are_drawn_as_dashed_outlines_with_their_score_and_the_text_intact(
        self, page, setting, suggested
    ):
        open_document(page, setting)

        outline = outline_of(page, suggested["peskov"])
        assert outline.text_content() == "Peskov"
        assert outline.get_attribute("title") == "Suggested: Source attribution · score 0.90 · lexicon:cues"
        assert outline.evaluate("(node) => getComputedStyle(node).outlineStyle") == "dashed"
        assert page.locator("[data-testid='document-text']").text_content() == TEXT
        assert page.locator("#suggestion-count").text_content() == "(3 open)"

    def test_a_suggestion_over_a_span_leaves_both_clickable_from_the_suggestions_popover(
        self, page, setting, suggested
    ):
        span = draw(setting.annotator, setting.document, "Editorial appeal", "Peskov told reporters")
        open_document(page, setting)

        outline_of(page, suggested["peskov"]).click()
        popover = page.locator("[data-testid='suggestion-panel']")
        popover.wait_for()
        assert popover.locator(f"[data-panel-suggestion-id='{suggested['peskov'].pk}']").count() == 1
        popover.get_by_role("button", name="Open the span here (1)").click()

        page.locator(f"[data-testid='span-panel'] [data-panel-span-id='{span.pk}']").wait_for()

    def test_markup_in_the_text_of_a_suggestion_is_shown_as_typed_never_parsed(self, page, setting):
        hostile = 'He wrote <img src=x onerror="document.title=1"> and left.'
        [document] = document_create_many(member=member_of(setting.owner, setting.project), items=[{"text": hostile}])
        suggestion = suggest(setting.owner, document, "Loaded language", '<img src=x onerror="document.title=1">')
        page.set_viewport_size(DESKTOP)
        open_as(page, setting.annotator, f"/projects/{setting.project.pk}/documents/{document.pk}/", ANNOTATE_READY)

        outline = outline_of(page, suggestion)
        outline.click()
        card = page.locator(f"[data-panel-suggestion-id='{suggestion.pk}']")
        card.wait_for()

        assert page.locator("[data-testid='document-text'] img, [data-testid='suggestion-panel'] img").count() == 0
        assert outline.text_content() == '<img src=x onerror="document.title=1">'
        assert '“<img src=x onerror="document.title=1">”' in card.text_content()
        assert page.title() != "1"


class TestKeyboard:
    def test_tab_and_shift_tab_step_through_the_suggestions_in_text_order(self, page, setting, suggested):
        open_document(page, setting)

        tab_into_text(page)
        first = focused_suggestion(page)
        page.keyboard.press("Tab")
        second = focused_suggestion(page)
        page.keyboard.press("Tab")
        third = focused_suggestion(page)
        page.keyboard.press("Shift+Tab")
        back = focused_suggestion(page)

        assert [first, second, third, back] == [
            suggested["peskov"].pk,
            suggested["talks"].pk,
            suggested["envoy"].pk,
            suggested["talks"].pk,
        ]
        assert outline_of(page, suggested["talks"]).get_attribute("data-focused") == "true"
        assert "score 60 percent" in page.evaluate("() => document.activeElement.getAttribute('aria-label')")

    def test_tab_past_the_last_suggestion_leaves_the_text(self, page, setting, suggested):
        open_document(page, setting)

        tab_into_text(page, times=4)

        assert focused_suggestion(page) is None
        assert page.evaluate("() => document.activeElement.closest(\"[data-testid='document-text']\")") is None

    def test_enter_accepts_a_suggestion_after_an_emoji_on_its_very_characters_and_moves_on(
        self, page, setting, suggested
    ):
        open_document(page, setting)

        tab_into_text(page)
        page.keyboard.press("Enter")
        wait_for_status(page, "Accepted")

        [span] = spans_of(setting)
        assert (span.start, span.end) == phrase("Peskov", TEXT)
        assert (span.label.name, span.origin) == ("Source attribution", "lexicon:cues")
        assert span.annotator == setting.annotator
        assert page.locator(f"[data-span-id='{span.pk}']").text_content() == "Peskov"
        assert outline_of(page, suggested["peskov"]).count() == 0
        assert focused_suggestion(page) == suggested["talks"].pk
        assert page.locator("#suggestion-count").text_content() == "(2 open)"

    def test_a_labels_key_accepts_the_suggestion_as_that_label(self, page, setting, suggested):
        open_document(page, setting)

        tab_into_text(page, times=2)
        page.keyboard.press("o")  # Official statement
        wait_for_status(page, "Accepted")

        [span] = spans_of(setting)
        assert (span.start, span.end) == phrase("talks would resume", TEXT)
        assert span.label.name == "Official statement"
        assert decisions(setting) == {suggested["talks"].pk: Decision.ACCEPTED}

    def test_x_rejects_the_suggestion_and_stores_no_span(self, page, setting, suggested):
        open_document(page, setting)

        tab_into_text(page, times=3)
        page.keyboard.press("x")
        wait_for_status(page, "Rejected")

        assert spans_of(setting) == []
        assert decisions(setting) == {suggested["envoy"].pk: Decision.REJECTED}
        assert outline_of(page, suggested["envoy"]).count() == 0
        assert "Ctrl+Z takes it back" in status(page)


class TestBulkAndToggle:
    def test_accept_all_above_a_score_accepts_exactly_those_at_or_above_it(self, page, setting, suggested):
        open_document(page, setting)

        page.fill("#accept-threshold", "0.6")
        button = page.locator("#accept-above")
        assert button.text_content() == "Accept 2 at 0.60 or more"
        button.click()
        wait_for_status(page, "Accepted 2 suggestions")

        assert [(TEXT[span.start : span.end], span.origin) for span in spans_of(setting)] == [
            ("Peskov", "lexicon:cues"),
            ("talks would resume", "lexicon:cues"),
        ]
        assert outline_of(page, suggested["envoy"]).count() == 1
        assert page.locator("[data-testid='document-text'] [data-suggestion-id]").count() == 1

    def test_the_toggle_hides_the_suggestions_and_is_remembered(self, page, setting, suggested):
        open_document(page, setting)

        page.uncheck("#show-suggestions")
        assert page.locator("[data-suggestion-id]").count() == 0
        tab_into_text(page)
        assert focused_suggestion(page) is None
        page.reload()
        page.wait_for_selector(ANNOTATE_READY)
        assert page.locator("[data-suggestion-id]").count() == 0
        page.check("#show-suggestions")

        assert outline_of(page, suggested["talks"]).count() == 1
        assert page.locator("[data-testid='document-text']").text_content() == TEXT


class TestUndo:
    def test_undo_of_an_accept_deletes_the_span_and_opens_the_suggestion_again(self, page, setting, suggested):
        open_document(page, setting)
        tab_into_text(page)
        page.keyboard.press("Enter")
        wait_for_status(page, "Accepted")

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone")

        assert spans_of(setting) == []
        assert decisions(setting) == {}
        assert outline_of(page, suggested["peskov"]).count() == 1
        assert page.locator("[data-testid='document-text'] [data-span-id]").count() == 0
        assert focused_suggestion(page) == suggested["peskov"].pk
        page.keyboard.press("x")  # decided again, the other way
        wait_for_status(page, "Rejected")
        assert decisions(setting) == {suggested["peskov"].pk: Decision.REJECTED}

    def test_undo_of_an_accept_of_a_span_already_drawn_keeps_that_span(self, page, setting, suggested):
        mine = draw(setting.annotator, setting.document, "Source attribution", "Peskov")
        open_document(page, setting)
        tab_into_text(page)
        page.keyboard.press("Enter")
        wait_for_status(page, "“Peskov” was already yours")

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone")

        assert [span.pk for span in spans_of(setting)] == [mine.pk]
        assert decisions(setting) == {}
        assert outline_of(page, suggested["peskov"]).count() == 1

    def test_undo_of_accept_all_removes_every_span_it_made(self, page, setting, suggested):
        open_document(page, setting)
        page.fill("#accept-threshold", "0")
        page.click("#accept-above")
        wait_for_status(page, "Accepted 3")

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: 3")

        assert spans_of(setting) == []
        assert decisions(setting) == {}
        assert page.locator("[data-testid='document-text'] [data-suggestion-id]").count() >= 3

    def test_undo_of_a_reject_opens_the_suggestion_again(self, page, setting, suggested):
        open_document(page, setting)
        tab_into_text(page)
        page.keyboard.press("x")
        wait_for_status(page, "Rejected")
        assert outline_of(page, suggested["peskov"]).count() == 0

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: “Peskov” is an open suggestion again")

        assert decisions(setting) == {}
        assert outline_of(page, suggested["peskov"]).count() == 1
        page.keyboard.press("Enter")  # the focus is back on it
        wait_for_status(page, "Accepted")
        [span] = spans_of(setting)
        assert (span.origin, (span.start, span.end)) == ("lexicon:cues", phrase("Peskov", TEXT))


class TestFailures:
    def test_a_suggestion_decided_elsewhere_meanwhile_answers_409_shown_and_taken_off_the_page(
        self, page, setting, suggested
    ):
        open_document(page, setting)
        suggestion_reject(member=member_of(setting.annotator, setting.project), suggestion=suggested["peskov"])

        tab_into_text(page)
        page.keyboard.press("Enter")
        wait_for_status(page, "Not saved")

        assert "already decided" in status(page)
        assert page.locator("#status.error").count() == 1
        assert spans_of(setting) == []
        assert outline_of(page, suggested["peskov"]).count() == 0

    def test_a_network_failure_is_shown_and_the_suggestion_stays_open(self, page, setting, suggested):
        open_document(page, setting)
        page.route("**/accept/", lambda route: route.abort())

        tab_into_text(page)
        page.keyboard.press("Enter")
        wait_for_status(page, "Not saved")

        assert spans_of(setting) == []
        assert outline_of(page, suggested["peskov"]).count() == 1
        assert focused_suggestion(page) == suggested["peskov"].pk  # still there to try again


class TestPopover:
    def test_a_click_opens_a_popover_that_accepts_with_the_label_chosen_there(self, page, setting, suggested):
        open_document(page, setting)

        outline_of(page, suggested["envoy"]).click()
        card = page.locator(f"[data-testid='suggestion-panel'] [data-panel-suggestion-id='{suggested['envoy'].pk}']")
        card.wait_for()
        assert "score 0.30" in card.text_content()
        card.locator("select[name=label]").select_option(label="Anonymous source")
        card.get_by_role("button", name="Accept").click()
        wait_for_status(page, "Accepted")

        [span] = spans_of(setting)
        assert (TEXT[span.start : span.end], span.label.name) == ("the envoy", "Anonymous source")
        assert page.locator("[data-testid='suggestion-panel']").is_hidden()

    def test_the_popovers_reject_records_a_rejection(self, page, setting, suggested):
        open_document(page, setting)

        outline_of(page, suggested["talks"]).click()
        page.locator("[data-testid='suggestion-panel']").get_by_role("button", name="Reject").click()
        wait_for_status(page, "Rejected")

        assert decisions(setting) == {suggested["talks"].pk: Decision.REJECTED}


class TestReadOnly:
    def test_an_owner_not_assigned_sees_suggestions_but_acts_on_them_only_after_switching_editing_on(
        self, page, setting, suggested
    ):
        open_document(page, setting, user=setting.owner)

        assert outline_of(page, suggested["peskov"]).count() == 1
        assert page.locator("#accept-above").is_disabled()
        tab_into_text(page)
        assert focused_suggestion(page) == suggested["peskov"].pk
        page.keyboard.press("Enter")
        wait_for_status(page, "This page is read-only")
        outline_of(page, suggested["talks"]).click()
        assert page.locator("[data-testid='suggestion-panel']").get_by_role("button", name="Accept").is_disabled()
        page.keyboard.press("Escape")

        assert SuggestionDecision.objects.count() == 0
        page.check("#edit-switch")
        tab_into_text(page)
        page.keyboard.press("Enter")
        wait_for_status(page, "Accepted")
        assert [span.annotator for span in Span.objects.all()] == [setting.owner]

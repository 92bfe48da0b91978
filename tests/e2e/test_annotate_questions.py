"""Questions on the annotate page (issue 15, Pages): answered by click or by the keyboard alone (a question's key,
then an option's number), saved at once, changed, undone; a stale answer shows the server's value and says so; a
refused submit names the required questions still open; a read-only page answers nothing."""

import pytest

from annotator.choices import AssignmentStatus
from annotator.models import Answer
from annotator.services.answers import answer_update
from annotator.services.reviews import answer_review
from tests.arrange import answer, make_question, member_of
from tests.e2e.conftest import open_as

TEXT = "Late that night Peskov told reporters that talks would resume, and the envoy said nothing."
ANNOTATE_READY = "[data-testid='document-text'][data-ready='true']"
DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture
def setting_documents():
    return [{"title": "Talks resume", "text": TEXT}]


@pytest.fixture
def asked(setting):
    """Tone (single, key w, required), Frames (multi, key m) and Slant (a scale from -2 to 2, key k); the framing
    preset's labels take s, e, d, l, a, o, c, t, n, p and 1."""
    owner, project = setting.owner, setting.project
    return {
        "tone": make_question(owner, project, "Tone", key="w", required=True),
        "frames": make_question(
            owner, project, "Frames", kind="multi", options=["Economic", "Security", "Morality"], key="m"
        ),
        "slant": make_question(owner, project, "Slant", kind="scale", min=-2, max=2, key="k"),
    }


def open_document(page, setting, user=None):
    page.set_viewport_size(DESKTOP)
    path = f"/projects/{setting.project.pk}/documents/{setting.document.pk}/"
    open_as(page, user or setting.annotator, path, ANNOTATE_READY)


def wait_for_status(page, starting):
    page.wait_for_function("(start) => document.getElementById('status').textContent.startsWith(start)", arg=starting)


def option(page, question, value):
    hook = "data-value" if question.kind == "scale" else "data-option"
    return page.locator(f"[data-question-id='{question.pk}'][{hook}='{value}']")


def values_of(setting, user=None):
    """The user's stored answers on the document, {question name: value}."""
    rows = Answer.objects.filter(document=setting.document, annotator=user or setting.annotator)
    return {row.question.name: row.value for row in rows.select_related("question")}


class TestAnsweringByClick:
    def test_an_option_a_checkbox_and_a_scale_segment_each_save_at_once(self, page, setting, asked):
        open_document(page, setting)

        option(page, asked["tone"], "neutral").click()
        wait_for_status(page, "Saved Tone: neutral")
        option(page, asked["frames"], "Security").check()
        wait_for_status(page, "Saved Frames: Security")
        option(page, asked["frames"], "Economic").check()
        wait_for_status(page, "Saved Frames: Economic, Security")
        option(page, asked["slant"], "-1").click()
        wait_for_status(page, "Saved Slant: -1")

        assert values_of(setting) == {"Tone": "neutral", "Frames": ["Economic", "Security"], "Slant": -1}
        assert option(page, asked["tone"], "neutral").get_attribute("aria-checked") == "true"
        assert option(page, asked["tone"], "pro").get_attribute("aria-checked") == "false"
        assert option(page, asked["slant"], "-1").get_attribute("aria-checked") == "true"

    def test_a_changed_answer_keeps_its_row_and_a_cleared_one_is_deleted(self, page, setting, asked):
        given = answer(setting.annotator, setting.document, asked["tone"], "pro")
        answer(setting.annotator, setting.document, asked["frames"], ["Morality"])
        open_document(page, setting)
        assert option(page, asked["tone"], "pro").get_attribute("aria-checked") == "true"
        assert option(page, asked["frames"], "Morality").is_checked()

        option(page, asked["tone"], "anti").click()
        wait_for_status(page, "Saved Tone: anti")
        option(page, asked["frames"], "Morality").uncheck()
        wait_for_status(page, "Saved Frames: no answer")

        given.refresh_from_db()
        assert (given.value, given.version) == ("anti", 2)
        assert values_of(setting) == {"Tone": "anti"}

    def test_undo_sets_the_answer_back(self, page, setting, asked):
        answer(setting.annotator, setting.document, asked["tone"], "pro")
        open_document(page, setting)
        option(page, asked["tone"], "anti").click()
        wait_for_status(page, "Saved Tone: anti")

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: Tone is back to pro")

        assert values_of(setting) == {"Tone": "pro"}
        assert option(page, asked["tone"], "pro").get_attribute("aria-checked") == "true"

    def test_a_rejected_answer_shows_the_verdict_and_a_new_value_sends_it_back_to_pending(self, page, setting, asked):
        given = answer(setting.annotator, setting.document, asked["tone"], "pro")
        owner = member_of(setting.owner, setting.project)
        answer_review(member=owner, answer=given, decision="rejected", comment="It reads neutral to me")
        open_document(page, setting)
        verdict = page.locator(f"fieldset[data-question-id='{asked['tone'].pk}'] .question-review")
        assert verdict.text_content() == "Your answer was rejected: It reads neutral to me"

        option(page, asked["tone"], "neutral").click()
        wait_for_status(page, "Saved Tone: neutral")

        assert verdict.is_hidden()
        given.refresh_from_db()
        assert given.review_status == "pending"


class TestAnsweringByKeyboard:
    def test_a_questions_key_then_numbers_answer_every_kind(self, page, setting, asked):
        open_document(page, setting)
        page.locator("[data-testid='document-text']").focus()

        page.keyboard.press("w")
        page.keyboard.press("3")  # anti
        wait_for_status(page, "Saved Tone: anti")
        page.keyboard.press("m")
        page.keyboard.press("1")  # Economic
        wait_for_status(page, "Saved Frames: Economic")
        page.keyboard.press("3")  # and Morality: the question keeps the focus
        wait_for_status(page, "Saved Frames: Economic, Morality")
        page.keyboard.press("k")
        page.keyboard.press("5")  # the fifth value of -2..2
        wait_for_status(page, "Saved Slant: 2")

        assert values_of(setting) == {"Tone": "anti", "Frames": ["Economic", "Morality"], "Slant": 2}

    def test_escape_gives_the_keys_back_to_the_text_so_a_digit_is_a_label_again(self, page, setting, asked):
        open_document(page, setting)
        page.locator("[data-testid='document-text']").focus()
        page.keyboard.press("w")

        page.keyboard.press("Escape")
        page.keyboard.press("1")  # the framing preset's label key "1", with no text selected: nothing to draw

        assert page.evaluate("() => document.activeElement.dataset.testid") == "document-text"
        assert values_of(setting) == {}


class TestConflicts:
    def test_an_answer_changed_behind_the_pages_back_is_shown_as_the_server_has_it(self, page, setting, asked):
        given = answer(setting.annotator, setting.document, asked["tone"], "pro")
        open_document(page, setting)
        answer_update(member=member_of(setting.annotator, setting.project), answer=given, value="neutral")

        option(page, asked["tone"], "anti").click()
        wait_for_status(page, "Someone changed your answer to “Tone” meanwhile")

        assert values_of(setting) == {"Tone": "neutral"}
        assert option(page, asked["tone"], "neutral").get_attribute("aria-checked") == "true"
        assert option(page, asked["tone"], "anti").get_attribute("aria-checked") == "false"

    def test_an_answer_given_meanwhile_in_another_tab_is_adopted_not_doubled(self, page, setting, asked):
        open_document(page, setting)
        answer(setting.annotator, setting.document, asked["slant"], 1)

        option(page, asked["slant"], "-2").click()
        wait_for_status(page, "Someone changed your answer to “Slant” meanwhile")

        assert values_of(setting) == {"Slant": 1}
        assert option(page, asked["slant"], "1").get_attribute("aria-checked") == "true"


class TestRequiredQuestions:
    def test_the_required_mark_is_in_words(self, page, setting, asked):
        open_document(page, setting)

        legend = page.locator(f"fieldset[data-question-id='{asked['tone'].pk}'] legend")
        assert "(required)" in legend.text_content()

    def test_submit_with_a_required_question_open_names_it_focuses_it_and_stores_nothing(self, page, setting, asked):
        open_document(page, setting)

        page.locator("#submit").click()
        wait_for_status(page, "Not submitted: first answer the required question Tone.")

        field = page.locator(f"fieldset[data-question-id='{asked['tone'].pk}']")
        assert "missing" in field.get_attribute("class")
        assert page.evaluate("() => document.activeElement.dataset.option") == "pro"
        assignment = setting.document.assignments.get(user=setting.annotator)
        assert assignment.status != AssignmentStatus.SUBMITTED

        page.keyboard.press("2")
        wait_for_status(page, "Saved Tone: neutral")
        assert "missing" not in field.get_attribute("class")


class TestReadOnly:
    def test_a_page_opened_read_only_cannot_answer(self, page, setting, asked):
        open_document(page, setting, setting.owner)  # not assigned: the page opens read-only

        assert option(page, asked["tone"], "pro").is_disabled()
        assert option(page, asked["frames"], "Economic").is_disabled()
        page.locator("[data-testid='document-text']").focus()
        page.keyboard.press("w")
        page.keyboard.press("1")

        assert Answer.objects.filter(document=setting.document).count() == 0

    def test_an_owner_answers_once_the_switch_turns_editing_on(self, page, setting, asked):
        open_document(page, setting, setting.owner)

        page.get_by_role("switch", name="Annotate this document").check()
        option(page, asked["slant"], "2").click()
        wait_for_status(page, "Saved Slant: 2")

        assert values_of(setting, setting.owner) == {"Slant": 2}

"""Questions on the settings page in a real browser: each kind is added, options are edited in place, the API's
refusals show beside the row, a question with answers is deactivated rather than deleted, and a preset brings its
questions along with its labels."""

import pytest

from annotator.models import Question
from annotator.services.projects import project_create
from tests.arrange import answer, make_question
from tests.e2e.settings_tables import (
    deactivate_instead,
    delete_unused,
    item_row,
    open_settings,
    refused_delete,
    wait_saved,
)
from tests.factories import UserFactory

TEXT = "Peskov told reporters that talks would resume."


@pytest.fixture
def setting_documents():
    return [{"text": TEXT}]


def question_row(page, question):
    return item_row(page, "question", question)


def saved(page, question):
    wait_saved(page, "question", question)


def new_question(page, name, kind="single"):
    """The add form, with `name` and `kind` filled in."""
    form = page.locator("[data-testid='question-add']")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Kind").select_option(kind)
    return form


def fill_bounds(container, low, high):
    container.get_by_label("From").fill(str(low))
    container.get_by_label("to", exact=True).fill(str(high))


def add(page, form):
    form.get_by_role("button", name="Add question").click()
    page.wait_for_selector("#questions-status.ok")


class TestAddingAQuestion:
    def test_a_single_choice_is_stored_with_its_options_in_order(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)

        form = new_question(page, "Tone")
        form.get_by_label("Key").fill("t")
        form.get_by_label("Required").check()
        options = form.get_by_role("textbox", name="Option")
        options.nth(0).fill("pro")
        options.nth(1).fill("anti")
        form.get_by_role("button", name="Add option").click()
        options.nth(2).fill("neutral")
        add(page, form)

        tone = Question.objects.get(project=project, name="Tone")
        assert (tone.kind, tone.options, tone.key, tone.required) == ("single", ["pro", "anti", "neutral"], "t", True)
        row = question_row(page, tone)
        assert [row.get_by_role("textbox", name="Option").nth(i).input_value() for i in range(3)] == [
            "pro",
            "anti",
            "neutral",
        ]
        assert form.get_by_role("textbox", name="Option").count() == 2  # the form is empty again
        assert form.get_by_label("Name").input_value() == ""

    def test_a_multiple_choice_is_stored(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)

        form = new_question(page, "Frames", "multi")
        form.get_by_role("textbox", name="Option").nth(0).fill("Economic")
        form.get_by_role("textbox", name="Option").nth(1).fill("Morality")
        add(page, form)

        frames = Question.objects.get(project=project, name="Frames")
        assert (frames.kind, frames.options, frames.required) == ("multi", ["Economic", "Morality"], False)
        assert question_row(page, frames).get_by_label("Kind").input_value() == "multi"

    def test_a_scale_takes_bounds_in_place_of_options(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)

        form = new_question(page, "Slant", "scale")
        assert not form.get_by_role("textbox", name="Option").first.is_visible()
        fill_bounds(form, -3, 3)
        add(page, form)

        slant = Question.objects.get(project=project, name="Slant")
        assert (slant.kind, slant.options, slant.min, slant.max) == ("scale", [], -3, 3)
        row = question_row(page, slant)
        assert row.get_by_label("From").input_value() == "-3"
        assert not row.locator("fieldset.option-editor").is_visible()

    def test_a_scale_whose_max_is_not_above_its_min_is_refused_naming_max(self, page, setting):
        project, owner = setting.project, setting.owner
        open_settings(page, project, owner)

        form = new_question(page, "Slant", "scale")
        fill_bounds(form, 3, 1)
        form.get_by_role("button", name="Add question").click()
        error = page.locator("#question-add-error")
        error.wait_for()

        assert "To: max 1 is not above min 3" in error.inner_text()
        assert form.locator("input[name='max'][aria-invalid='true']").count() == 1
        assert not Question.objects.filter(project=project).exists()


class TestEditingOptionsInPlace:
    def test_an_option_is_renamed_one_removed_and_one_added(self, page, setting):
        project, owner = setting.project, setting.owner
        tone = make_question(owner, project, "Tone", options=["pro", "neutral", "anti"])
        open_settings(page, project, owner)

        row = question_row(page, tone)
        row.locator("[data-option='pro'] input").fill("for")
        row.get_by_role("button", name="Remove option “neutral”").click()
        row.get_by_role("button", name="Add option").click()
        row.get_by_role("textbox", name="Option").last.fill("mixed")
        row.get_by_role("button", name="Save").click()
        saved(page, tone)

        tone.refresh_from_db()
        assert tone.options == ["for", "anti", "mixed"]
        page.reload()
        page.wait_for_selector("body[data-ready='true']")
        assert question_row(page, tone).locator("[data-option]").evaluate_all(
            "items => items.map((item) => item.dataset.option)"
        ) == ["for", "anti", "mixed"]

    def test_removing_an_option_answers_choose_shows_the_servers_refusal(self, page, setting):
        project, document, owner, annotator = setting.project, setting.document, setting.owner, setting.annotator
        tone = make_question(owner, project, "Tone", options=["pro", "neutral", "anti"])
        answer(annotator, document, tone, "neutral")
        open_settings(page, project, owner)

        row = question_row(page, tone)
        row.get_by_role("button", name="Remove option “neutral”").click()
        row.get_by_role("button", name="Save").click()
        message = row.locator(".row-message.error")
        message.wait_for()

        assert "Answers choose 'neutral'; an option in use stays" in message.inner_text()
        tone.refresh_from_db()
        assert tone.options == ["pro", "neutral", "anti"]

    def test_an_option_answers_choose_is_merged_into_another(self, page, setting):
        project, document, owner, annotator = setting.project, setting.document, setting.owner, setting.annotator
        tone = make_question(owner, project, "Tone", options=["pro", "mixed", "neutral", "anti"])
        given = answer(annotator, document, tone, "mixed")
        open_settings(page, project, owner)

        row = question_row(page, tone)
        row.get_by_role("button", name="Merge options…").click()
        row.get_by_label("Option to merge").select_option("mixed")
        row.get_by_label("Merge it into").select_option("neutral")
        row.get_by_role("button", name="Merge", exact=True).click()
        saved(page, tone)

        assert "Merged option “mixed” into “neutral”: 1 answer and 0 gold answers changed." in (
            question_row(page, tone).locator(".row-message").inner_text()
        )
        tone.refresh_from_db()
        assert tone.options == ["pro", "neutral", "anti"]
        given.refresh_from_db()
        assert given.value == "neutral"
        assert question_row(page, tone).locator("input[name='option']").count() == 3

    def test_an_unanswered_question_becomes_a_scale(self, page, setting):
        project, owner = setting.project, setting.owner
        tone = make_question(owner, project, "Tone")
        open_settings(page, project, owner)

        row = question_row(page, tone)
        row.get_by_label("Kind").select_option("scale")
        fill_bounds(row, 1, 7)
        row.get_by_role("button", name="Save").click()
        saved(page, tone)

        tone.refresh_from_db()
        assert (tone.kind, tone.options, tone.min, tone.max) == ("scale", [], 1, 7)

    def test_a_scale_becomes_a_choice_in_its_own_row_only(self, page, setting):
        project, owner = setting.project, setting.owner
        tone = make_question(owner, project, "Tone")
        slant = make_question(owner, project, "Slant", "scale", min=1, max=5)
        open_settings(page, project, owner)

        row = question_row(page, slant)
        row.get_by_label("Kind").select_option("multi")
        row.get_by_role("textbox", name="Option").nth(0).fill("left")
        row.get_by_role("textbox", name="Option").nth(1).fill("right")
        row.get_by_role("button", name="Save").click()
        saved(page, slant)

        slant.refresh_from_db()
        assert (slant.kind, slant.options, slant.min, slant.max) == ("multi", ["left", "right"], None, None)
        assert question_row(page, tone).locator("fieldset.option-editor").is_visible()
        assert not question_row(page, tone).locator("fieldset.bounds").is_visible()

    def test_a_required_flag_and_a_description_change_alone(self, page, setting):
        project, owner = setting.project, setting.owner
        tone = make_question(owner, project, "Tone")
        open_settings(page, project, owner)

        row = question_row(page, tone)
        row.get_by_label("Required").check()
        row.get_by_label("Description").fill("The article's lean as a whole.")
        row.get_by_role("button", name="Save").click()
        saved(page, tone)

        tone.refresh_from_db()
        assert (tone.required, tone.description, tone.options) == (
            True,
            "The article's lean as a whole.",
            ["pro", "neutral", "anti"],
        )


class TestDeletingAQuestion:
    def test_an_unanswered_question_is_deleted(self, page, setting):
        project, owner = setting.project, setting.owner
        tone = make_question(owner, project, "Tone")
        open_settings(page, project, owner)

        delete_unused(page, "questions", "question", tone)

        assert not Question.objects.filter(pk=tone.pk).exists()
        assert page.locator("tbody[data-question-row]").count() == 0
        assert page.locator("#questions-empty").is_visible()

    def test_a_question_with_answers_explains_why_and_offers_to_deactivate_it(self, page, setting):
        project, document, owner, annotator = setting.project, setting.document, setting.owner, setting.annotator
        tone = make_question(owner, project, "Tone")
        answer(annotator, document, tone, "pro")
        open_settings(page, project, owner)

        assert "“Tone” has answers, so it cannot be deleted" in refused_delete(page, "question", tone)
        assert Question.objects.filter(pk=tone.pk, active=True).exists()

        deactivate_instead(page, "question", tone)
        assert Question.objects.get(pk=tone.pk).active is False
        assert not question_row(page, tone).get_by_label("Active").is_checked()


class TestAPresetsQuestions:
    def test_they_come_along_with_its_labels(self, page, transactional_db):
        owner = UserFactory(username="owner")
        project = project_create(user=owner, name="Own scheme")
        make_question(owner, project, "Tone", key="t")
        open_settings(page, project, owner)

        assert "media-frames (15 labels, 2 questions)" in page.locator("#preset").inner_text()
        page.select_option("#preset", "media-frames")
        assert "Adds 1 question: Primary frame (one of 15 options)." in page.locator("#preset-plan").inner_text()
        page.get_by_role("button", name="Add missing labels and questions").click()
        status = page.locator("#preset-status.ok")
        status.wait_for()

        assert list(project.questions.order_by("id").values_list("name", "kind", "key")) == [
            ("Tone", "single", "t"),
            ("Primary frame", "single", "f"),
        ]
        assert project.labels.count() == 15
        assert "Skipped 1 question the project already has: Tone." in status.inner_text()
        assert page.locator("tbody[data-question-row]").count() == 2
        assert (
            "Nothing to add: the project already has every label and question"
            in page.locator("#preset-plan").inner_text()
        )

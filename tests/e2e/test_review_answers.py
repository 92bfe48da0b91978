"""Answers on the review page in Chromium (issue 15): a row per question with each annotator's answer and its state,
the question they answered differently marked "disagree", accept with a comment and reject, and the gold answer set
from an annotator's answer or chosen directly, each checked in the database."""

import pytest

from annotator.models import Answer, GoldAnswer
from annotator.services.reviews import answer_review
from tests.arrange import answer, answer_gold, make_question, member_of
from tests.e2e.test_review import (
    open_review,
    review,  # noqa: F401 (the fixture `answered` builds on)
)
from tests.e2e.test_review_relations import status_starts
from tests.web.arrange import HOSTILE


@pytest.fixture
def answered(review):  # noqa: F811
    """anna and ben agree on the tone and on the frames, and rate the slant apart; the gold layer has no answer."""
    project, document, reviewer, spans = review
    owner = project.members.get(role="owner").user
    anna, ben = spans["agreed-anna"].annotator, spans["agreed-ben"].annotator
    questions = {
        "tone": make_question(owner, project, "Tone"),
        "frames": make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legality"]),
        "slant": make_question(owner, project, "Slant", "scale", min=-2, max=2),
    }
    answers = {}
    for user, slant in ((anna, 2), (ben, -1)):
        answers[f"tone-{user.username}"] = answer(user, document, questions["tone"], "neutral")
        answers[f"frames-{user.username}"] = answer(user, document, questions["frames"], ["Political", "Economic"])
        answers[f"slant-{user.username}"] = answer(user, document, questions["slant"], slant)
    return project, document, reviewer, questions, answers


def row(page, question):
    return page.locator(f"[data-testid='answers-table'] tr[data-question-id='{question.pk}']")


def cell(page, question, name):
    return row(page, question).locator(f"td[data-annotator='{name}']")


class TestAnswersOnTheReviewPage:
    def test_both_annotators_answers_show_side_by_side_and_the_slant_is_marked_disagree(self, page, answered):
        project, document, reviewer, questions, answers = answered
        open_review(page, project, document, reviewer)

        headers = page.locator("[data-testid='answers-table'] thead th").all_text_contents()
        slant, tone = row(page, questions["slant"]), row(page, questions["tone"])

        assert headers == ["Question", "anna", "ben", "Gold"]
        assert cell(page, questions["frames"], "anna").text_content() == "Economic, Political"
        assert (cell(page, questions["slant"], "anna").text_content(), cell(page, questions["slant"], "ben")
                .text_content()) == ("2", "-1")  # fmt: skip
        assert slant.get_attribute("data-agree") == "disagree"
        assert slant.locator(".agree-word").text_content() == "disagree"
        assert tone.get_attribute("data-agree") == "agree"
        assert row(page, questions["frames"]).get_attribute("data-agree") == "agree"
        badge = cell(page, questions["tone"], "anna").locator("button")
        assert badge.get_attribute("data-state") == "pending"
        assert badge.evaluate("(node) => getComputedStyle(node, '::after').content") == '"•" / "pending"'
        assert page.get_by_test_id("answer-review-progress").text_content() == "0 of 6 answers reviewed"

    def test_an_answer_is_accepted_with_a_comment_and_another_rejected(self, page, answered):
        project, document, reviewer, questions, answers = answered
        open_review(page, project, document, reviewer)

        cell(page, questions["slant"], "anna").locator("button").click()
        card = page.locator(f"[data-panel-answer-id='{answers['slant-anna'].pk}']")
        assert card.locator(".match").text_content() == "The annotators answered this question differently."
        card.locator("textarea").fill("A quoted minister is not the paper's own slant.")
        card.get_by_role("button", name="Accept").click()
        status_starts(page, "Accepted")
        cell(page, questions["slant"], "ben").locator("button").click()
        page.locator(f"[data-panel-answer-id='{answers['slant-ben'].pk}']").get_by_role("button", name="Reject").click()
        status_starts(page, "Rejected")

        accepted, rejected = (Answer.objects.get(pk=answers[name].pk) for name in ("slant-anna", "slant-ben"))
        assert (accepted.review_status, accepted.review_comment, accepted.version) == (
            "accepted", "A quoted minister is not the paper's own slant.", 2,
        )  # fmt: skip
        assert (rejected.review_status, rejected.reviewed_by.username, rejected.version) == ("rejected", "reviewer", 2)
        assert cell(page, questions["slant"], "anna").locator("button").get_attribute("data-state") == "accepted"
        assert cell(page, questions["slant"], "ben").locator("button").get_attribute("data-state") == "rejected"
        assert page.get_by_test_id("answer-review-progress").text_content() == "2 of 6 answers reviewed"

    def test_an_answer_set_as_gold_is_copied_and_replaces_the_gold_answer_before_it(self, page, answered):
        project, document, reviewer, questions, answers = answered
        answer_gold(reviewer, document, questions["slant"], 0)
        open_review(page, project, document, reviewer)
        assert cell(page, questions["slant"], "gold").text_content() == "0"

        cell(page, questions["slant"], "ben").locator("button").click()
        page.locator(f"[data-panel-answer-id='{answers['slant-ben'].pk}']").get_by_role(
            "button", name="Set as gold"
        ).click()
        status_starts(page, "Set ben's")

        gold = GoldAnswer.objects.get(document=document, question=questions["slant"])
        assert (gold.value, gold.source_answer_id, gold.created_by.username) == (
            -1, answers["slant-ben"].pk, "reviewer",
        )  # fmt: skip
        assert cell(page, questions["slant"], "gold").text_content() == "-1"

    def test_a_gold_answer_is_chosen_directly_then_changed(self, page, answered):
        project, document, reviewer, questions, _ = answered
        open_review(page, project, document, reviewer)

        cell(page, questions["frames"], "gold").get_by_role("button").click()
        field = page.locator(f"[data-testid='review-panel'] fieldset[data-question-id='{questions['frames'].pk}']")
        for option in ("Legality", "Economic"):
            field.locator(f"input[data-option='{option}']").check()
        page.get_by_test_id("review-panel").get_by_role("button", name="Set gold").click()
        status_starts(page, "Set “Economic, Legality”")
        cell(page, questions["slant"], "gold").get_by_role("button").click()
        page.locator("[data-testid='review-panel'] input[data-value='1']").check()
        page.get_by_test_id("review-panel").get_by_role("button", name="Set gold").click()
        status_starts(page, "Set “1”")
        page.locator("[data-testid='review-panel'] input[data-value='-2']").check()
        page.get_by_test_id("review-panel").get_by_role("button", name="Save").click()
        status_starts(page, "Set “-2”")

        golds = {gold.question_id: (gold.value, gold.source_answer_id, gold.version)
                 for gold in GoldAnswer.objects.filter(document=document)}  # fmt: skip
        assert golds == {
            questions["frames"].pk: (["Economic", "Legality"], None, 1),
            questions["slant"].pk: (-2, None, 2),  # set, then changed: version 2
        }
        assert cell(page, questions["slant"], "gold").text_content() == "-2"

    def test_question_names_and_options_with_markup_show_as_typed(self, page, answered):
        project, document, reviewer, _, _ = answered
        owner, anna = project.members.get(role="owner").user, project.members.get(user__username="anna").user
        question = make_question(owner, project, "<b>Genre</b>", options=[HOSTILE, "reporting"])
        answer(anna, document, question, HOSTILE)
        open_review(page, project, document, reviewer)

        cell(page, question, "gold").get_by_role("button").click()

        assert row(page, question).locator(".question-name").text_content() == "<b>Genre</b>"
        assert cell(page, question, "anna").text_content() == HOSTILE
        assert page.get_by_test_id("review-panel").locator(f"input[data-option='{HOSTILE}']").count() == 1
        assert page.locator("[data-testid='questions-review'] img, [data-testid='review-panel'] img").count() == 0
        assert page.locator("[data-testid='questions-review'] b").count() == 0

    def test_a_review_of_an_answer_reviewed_meanwhile_shows_it_as_it_now_is(self, page, answered):
        project, document, reviewer, questions, answers = answered
        open_review(page, project, document, reviewer)
        owner = project.members.get(role="owner").user
        answer_review(member=member_of(owner, project), answer=answers["tone-ben"], decision="rejected", comment="No.")

        cell(page, questions["tone"], "ben").locator("button").click()
        page.locator(f"[data-panel-answer-id='{answers['tone-ben'].pk}']").get_by_role("button", name="Accept").click()
        status_starts(page, "Someone changed")

        stored = Answer.objects.get(pk=answers["tone-ben"].pk)
        assert (stored.review_status, stored.reviewed_by.username, stored.version) == ("rejected", "owner", 2)
        assert cell(page, questions["tone"], "ben").locator("button").get_attribute("data-state") == "rejected"
        assert page.locator(f"[data-panel-answer-id='{stored.pk}'] .verdict").text_content() == "rejected"

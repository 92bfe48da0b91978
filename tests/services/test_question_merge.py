"""annotator.services.questions.question_merge_option called directly: the answers and gold answers that chose an
option choose another (a multi list once, in the question's order), the question loses the option, one codebook
version and one audit event; scale questions, unknown options, merging into itself and deactivated questions are
refused with nothing changed."""

import pytest

from annotator.errors import Conflict, InvalidInput
from annotator.models import Answer, CodebookVersion, GoldAnswer, Question, ReviewStatus
from annotator.services.questions import question_merge_option
from annotator.services.reviews import answer_review
from tests.arrange import answer, answer_gold, make_question, member_of
from tests.trail import Trail


def merge(owner, question, option, into):
    return question_merge_option(
        member=member_of(owner, question.project_id), question=question, option=option, into=into
    )


@pytest.fixture
def tone(owner, project):
    return make_question(owner, project, "Tone", options=["pro", "mixed", "neutral", "anti"])


@pytest.fixture
def frames(owner, project):
    return make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legal", "Moral"])


def value_of(model, pk):
    return model.objects.get(pk=pk).value


class TestSingleQuestion:
    def test_answers_and_gold_answers_of_the_option_take_the_other(
        self, owner, reviewer, annotator, annotator2, document, tone
    ):
        mixed = answer(annotator, document, tone, "mixed")
        pro = answer(annotator2, document, tone, "pro")
        gold = answer_gold(reviewer, document, tone, "mixed")
        answer_review(member=member_of(reviewer, document.project_id), answer=mixed, decision="accepted")
        mixed.refresh_from_db()
        trail = Trail()

        question, counts, number = merge(owner, tone, "mixed", "neutral")

        assert counts == {"answers": 1, "gold_answers": 1}
        assert question.options == ["pro", "neutral", "anti"]
        assert Question.objects.get(pk=tone.pk).options == ["pro", "neutral", "anti"]
        moved = Answer.objects.get(pk=mixed.pk)
        assert (moved.value, moved.version, moved.codebook_version) == ("neutral", mixed.version + 1, number)
        assert moved.review_status == ReviewStatus.ACCEPTED
        assert value_of(GoldAnswer, gold.pk) == "neutral"
        kept = Answer.objects.get(pk=pro.pk)
        assert (kept.value, kept.version) == ("pro", pro.version)
        latest = CodebookVersion.objects.filter(project_id=tone.project_id).order_by("-number").first()
        assert (latest.number, latest.changes) == (number, ['question "Tone" option "mixed" merged into "neutral"'])
        event = trail.one("question.merge", tone.pk, owner)
        assert (event.after["option"], event.after["into"], event.after["answers"]) == ("mixed", "neutral", 1)
        assert event.before["options"] == ["pro", "mixed", "neutral", "anti"]


class TestMultiQuestion:
    def test_the_option_is_replaced_once_in_the_questions_order(
        self, owner, reviewer, annotator, annotator2, document, frames
    ):
        both = answer(annotator, document, frames, ["Economic", "Legal"])
        only = answer(annotator2, document, frames, ["Political", "Legal", "Moral"])
        gold = answer_gold(reviewer, document, frames, ["Economic", "Moral"])

        _, counts, _ = merge(owner, frames, "Legal", "Economic")

        assert value_of(Answer, both.pk) == ["Economic"]
        assert value_of(Answer, only.pk) == ["Economic", "Political", "Moral"]
        assert value_of(GoldAnswer, gold.pk) == ["Economic", "Moral"]
        assert counts == {"answers": 2, "gold_answers": 0}
        assert Question.objects.get(pk=frames.pk).options == ["Economic", "Political", "Moral"]


class TestRefusals:
    @pytest.fixture
    def answered(self, annotator, document, tone):
        return answer(annotator, document, tone, "mixed")

    def refused(self, error, owner, question, option, into):
        trail = Trail()
        with pytest.raises(error) as refusal:
            merge(owner, question, option, into)
        assert Question.objects.get(pk=question.pk).options == question.options
        assert not Answer.objects.exclude(version=1).exists()
        trail.none()
        return refusal.value

    def test_a_scale_question_has_no_options_to_merge(self, owner, project):
        slant = make_question(owner, project, "Slant", "scale", min=-3, max=3)

        assert list(self.refused(InvalidInput, owner, slant, "1", "2").detail) == ["option"]

    @pytest.mark.parametrize(
        ("option", "into", "named"),
        [("sarcastic", "neutral", ["option"]), ("mixed", "sarcastic", ["into"]), ("x", "y", ["option", "into"])],
    )
    def test_an_option_the_question_lacks_is_named(self, owner, answered, tone, option, into, named):
        assert list(self.refused(InvalidInput, owner, tone, option, into).detail) == named

    def test_merging_an_option_into_itself_is_a_conflict(self, owner, answered, tone):
        self.refused(Conflict, owner, tone, "mixed", "mixed")

    def test_a_deactivated_question_is_a_conflict(self, owner, answered, tone):
        Question.objects.filter(pk=tone.pk).update(active=False)
        tone.refresh_from_db()

        self.refused(Conflict, owner, tone, "mixed", "neutral")

    def test_a_question_keeps_two_options(self, owner, project):
        yes_no = make_question(owner, project, "Opinion", options=["yes", "no"])

        assert list(self.refused(InvalidInput, owner, yes_no, "yes", "no").detail) == ["option"]

"""annotator.services.questions, answers and gold_answers called directly: every write audited with its state,
options and bounds by kind, answers kept fitting their question, values stored in the question's order, a changed
value back to review, gold answers one per question; and the presets that carry questions."""

import pytest
from django.db import IntegrityError

from annotator.errors import AnswerExists, GoldAnswerExists, InvalidInput, NotAllowed, QuestionInUse, VersionConflict
from annotator.models import Answer, AuditEvent, Question
from annotator.presets import PRESETS, QUESTION_PRESETS
from annotator.rules import question_problems
from annotator.services.answers import answer_create, answer_delete, answer_update
from annotator.services.gold_answers import gold_answer_create, gold_answer_delete, gold_answer_update
from annotator.services.projects import project_create
from annotator.services.questions import question_create, question_delete, question_update
from annotator.services.reviews import answer_review
from tests.arrange import answer, answer_gold, make_question, member_of
from tests.trail import Trail


@pytest.fixture
def tone(owner, project):
    return make_question(owner, project, "Tone", key="1")


@pytest.fixture
def frames(owner, project):
    return make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legal"])


class TestQuestionTable:
    def test_the_database_refuses_a_scale_without_ordered_bounds(self, project):
        with pytest.raises(IntegrityError):
            Question.objects.create(project=project, name="Broken", kind="scale", min=3, max=3)


class TestQuestionService:
    def test_the_owner_adds_a_question_audited_with_its_state(self, owner, project):
        trail = Trail()

        made = question_create(
            member=member_of(owner, project), name="Slant", kind="scale", min=-3, max=3, required=True, key="s"
        )

        event = trail.one("question.create", made.pk, owner)
        assert (event.after["kind"], event.after["min"], event.after["max"], event.after["required"]) == (
            "scale",
            -3,
            3,
            True,
        )

    def test_an_option_may_be_added_and_an_unused_one_taken_away(self, owner, project, tone, annotator, document):
        answer(annotator, document, tone, "pro")
        trail = Trail()

        changed = question_update(member=member_of(owner, project), question=tone, options=["pro", "anti", "mixed"])

        assert changed.options == ["pro", "anti", "mixed"]
        event = trail.one("question.update", tone.pk, owner)
        assert (event.before["options"], event.after["options"]) == (["pro", "neutral", "anti"], changed.options)

    def test_an_option_a_multi_answer_chose_is_kept(self, owner, project, frames, annotator, document):
        answer(annotator, document, frames, ["Political", "Legal"])

        with pytest.raises(QuestionInUse, match="'Legal'"):
            question_update(member=member_of(owner, project), question=frames, options=["Economic", "Political"])
        assert Question.objects.get(pk=frames.pk).options == ["Economic", "Political", "Legal"]

    def test_an_option_a_gold_answer_holds_is_kept(self, owner, project, tone, reviewer, document):
        answer_gold(reviewer, document, tone, "neutral")

        with pytest.raises(QuestionInUse):
            question_update(member=member_of(owner, project), question=tone, options=["pro", "anti"])

    def test_an_unanswered_question_is_deleted_audited(self, owner, project, tone):
        pk, trail = tone.pk, Trail()

        question_delete(member=member_of(owner, project), question=tone)

        assert not Question.objects.filter(pk=pk).exists()
        assert trail.one("question.delete", pk, owner).before["name"] == "Tone"

    def test_an_answered_question_is_kept(self, owner, project, tone, annotator, document):
        answer(annotator, document, tone, "pro")

        with pytest.raises(QuestionInUse):
            question_delete(member=member_of(owner, project), question=tone)

    def test_a_key_taken_by_another_question_is_refused(self, owner, project, tone):
        with pytest.raises(InvalidInput) as refused:
            question_create(member=member_of(owner, project), name="Other", kind="scale", min=1, max=2, key="1")

        assert set(refused.value.detail) == {"key"}


class TestAnswerService:
    def test_an_answer_is_audited_and_starts_the_assignment(self, annotator, document, tone):
        trail = Trail()

        given = answer(annotator, document, tone, "anti")

        assert trail.one("answer.create", given.pk, annotator).after["value"] == "anti"
        assert document.assignments.get(user=annotator).status == "in_progress"

    def test_a_multi_answer_is_stored_in_the_questions_order(self, annotator, document, frames):
        given = answer(annotator, document, frames, ["Legal", "Economic"])

        assert Answer.objects.get(pk=given.pk).value == ["Economic", "Legal"]

    def test_a_second_answer_carries_the_first(self, annotator, document, tone):
        first = answer(annotator, document, tone, "pro")

        with pytest.raises(AnswerExists) as refused:
            answer(annotator, document, tone, "anti")

        assert refused.value.current.pk == first.pk

    def test_an_annotator_not_assigned_may_not_answer(self, third_annotator, document, tone):
        with pytest.raises(NotAllowed):
            answer_create(member=member_of(third_annotator, document.project), document=document, question=tone.pk,
                          value="pro")  # fmt: skip
        assert not Answer.objects.exists()

    def test_a_change_is_audited_and_a_stale_version_refused(self, annotator, document, tone):
        given = answer(annotator, document, tone, "pro")
        member = member_of(annotator, document.project)
        trail = Trail()

        changed = answer_update(member=member, answer=given, expected_version=1, value="neutral")

        event = trail.one("answer.update", given.pk, annotator)
        assert (event.before["value"], event.after["value"], changed.version) == ("pro", "neutral", 2)
        with pytest.raises(VersionConflict):
            answer_update(member=member, answer=Answer.objects.get(pk=given.pk), expected_version=1, value="anti")

    def test_only_the_annotator_changes_or_deletes_their_answer(self, annotator, annotator2, document, tone):
        given = answer(annotator, document, tone, "pro")
        other = member_of(annotator2, document.project)

        with pytest.raises(NotAllowed):
            answer_update(member=other, answer=given, value="anti")
        with pytest.raises(NotAllowed):
            answer_delete(member=other, answer=given)
        assert Answer.objects.get(pk=given.pk).value == "pro"

    def test_a_review_is_audited_and_a_new_value_sends_it_back_to_pending(self, annotator, reviewer, document, tone):
        given = answer(annotator, document, tone, "pro")
        trail = Trail()

        reviewed = answer_review(member=member_of(reviewer, document.project), answer=given, decision="accepted")
        changed = answer_update(member=member_of(annotator, document.project), answer=reviewed, value="anti")

        assert trail.events()[0].action == "answer.review"
        assert (changed.review_status, changed.reviewed_by, changed.version) == ("pending", None, 3)

    def test_the_same_value_again_keeps_the_review(self, annotator, reviewer, document, tone):
        given = answer(annotator, document, tone, "pro")
        answer_review(member=member_of(reviewer, document.project), answer=given, decision="accepted")

        kept = answer_update(member=member_of(annotator, document.project), answer=given, value="pro")

        assert kept.review_status == "accepted"

    def test_a_delete_is_audited(self, annotator, document, tone):
        given = answer(annotator, document, tone, "pro")
        pk, trail = given.pk, Trail()

        answer_delete(member=member_of(annotator, document.project), answer=given, expected_version=1)

        assert trail.one("answer.delete", pk, annotator).before["value"] == "pro"
        assert not Answer.objects.exists()


class TestGoldAnswerService:
    def test_a_copy_keeps_its_source_and_is_audited(self, annotator, reviewer, document, tone):
        given = answer(annotator, document, tone, "anti")
        trail = Trail()

        gold = gold_answer_create(member=member_of(reviewer, document.project), document=document, from_answer=given.pk)

        assert (gold.value, gold.source_answer_id, gold.question_id) == ("anti", given.pk, tone.pk)
        assert trail.one("gold_answer.create", gold.pk, reviewer).after["source_answer_id"] == given.pk

    def test_one_gold_answer_per_question(self, reviewer, document, tone):
        first = answer_gold(reviewer, document, tone, "pro")

        with pytest.raises(GoldAnswerExists) as refused:
            answer_gold(reviewer, document, tone, "anti")

        assert refused.value.current.pk == first.pk

    def test_a_change_and_a_delete_are_audited(self, reviewer, document, tone):
        gold = answer_gold(reviewer, document, tone, "pro")
        member = member_of(reviewer, document.project)
        trail = Trail()

        gold_answer_update(member=member, gold=gold, expected_version=1, value="anti")
        gold_answer_delete(member=member, gold=gold, expected_version=2)

        assert [event.action for event in trail.events()] == ["gold_answer.update", "gold_answer.delete"]

    def test_a_wrong_value_is_refused_naming_value(self, reviewer, document, tone):
        with pytest.raises(InvalidInput) as refused:
            answer_gold(reviewer, document, tone, ["pro"])

        assert set(refused.value.detail) == {"value"}


class TestPresetQuestions:
    @pytest.mark.parametrize("preset", sorted(QUESTION_PRESETS))
    def test_a_preset_brings_its_questions_audited(self, owner, preset):
        project = project_create(user=owner, name="Corpus", label_preset=preset)

        made = list(project.questions.order_by("id").values_list("name", "kind", "options", "key"))
        expected = [(q["name"], q["kind"], q["options"], q["key"]) for q in QUESTION_PRESETS[preset]]
        assert made == expected
        events = AuditEvent.objects.filter(project=project, action="question.create")
        assert sorted(event.after["name"] for event in events) == sorted(name for name, *_ in expected)

    def test_the_media_frames_questions_are_the_corpus_layer(self):
        primary, tone = QUESTION_PRESETS["media-frames"]

        assert primary["options"] == [label["name"] for label in PRESETS["media-frames"]]
        assert len(primary["options"]) == 15
        assert (tone["kind"], tone["options"]) == ("single", ["pro", "neutral", "anti"])

    def test_the_persuasion_questions_are_semeval_2023s_genre_and_14_frames(self):
        genre, frames = QUESTION_PRESETS["persuasion"]

        assert (genre["kind"], genre["options"]) == ("single", ["opinion", "reporting", "satire"])
        assert (frames["kind"], len(frames["options"])) == ("multi", 14)
        assert "Other" not in frames["options"]

    @pytest.mark.parametrize("preset", sorted(QUESTION_PRESETS))
    def test_question_keys_differ_from_the_presets_label_keys_and_each_question_is_sound(self, preset):
        label_keys = {label["key"] for label in PRESETS[preset]}

        for question in QUESTION_PRESETS[preset]:
            assert question["key"] not in label_keys
            assert question_problems(kind=question["kind"], options=question["options"], min=None, max=None) == []

"""The question, answer and gold answer endpoints as SPEC's Questions section gives them: questions whose options or
bounds fit their kind, answers checked by kind (a 400 naming `value`), one answer per annotator and question (a
second a 409 with the first), versions and If-Match, review, blind visibility, gold answers one per question, and
submit refused while a required question is unanswered."""

import pytest

from annotator.access import access_project
from annotator.models import Answer, AuditEvent, GoldAnswer, Question
from annotator.services.assignments import assignment_delete
from annotator.services.projects import project_update
from tests.arrange import answer, make_question
from tests.conftest import url

ANSWER_KEYS = {
    "id",
    "codebook_version",
    "document",
    "question",
    "value",
    "annotator",
    "review_status",
    "review_comment",
    "reviewer",
    "version",
    "created_at",
    "updated_at",
}
QUESTION_KEYS = {"id", "name", "kind", "options", "min", "max", "required", "description", "key", "active"}


@pytest.fixture
def world(class_world):
    """One world per class (tests/conftest.py), each test's changes rolled back after it."""
    return class_world


def answers_url(world, *parts):
    return url(world.project, "documents", world.document, "answers", *parts)


def gold_url(world, *parts):
    return url(world.project, "documents", world.document, "gold-answers", *parts)


@pytest.fixture
def frames(world):
    """A multi-choice question of the world's project."""
    return make_question(world.owner, world.project, "Frames", "multi", options=["Economic", "Political", "Legal"])


@pytest.fixture
def slant(world):
    """A scale question from -3 to 3."""
    return make_question(world.owner, world.project, "Slant", "scale", min=-3, max=3)


class TestQuestions:
    def test_an_owner_adds_a_single_choice_question_and_gets_it_back(self, world, client_for):
        body = {"name": "Primary frame", "kind": "single", "options": ["Economic", "Political"], "required": True}

        response = client_for(world.owner).post(url(world.project, "questions"), body)

        assert response.status_code == 201, response.json()
        question = response.json()
        assert set(question) == QUESTION_KEYS
        assert (question["kind"], question["options"], question["min"], question["max"]) == (
            "single",
            ["Economic", "Political"],
            None,
            None,
        )
        assert (question["required"], question["active"]) == (True, True)
        assert AuditEvent.objects.filter(action="question.create", object_id=question["id"]).count() == 1

    def test_a_scale_takes_integer_bounds(self, world, client_for):
        response = client_for(world.owner).post(
            url(world.project, "questions"), {"name": "Slant", "kind": "scale", "min": -3, "max": 3}
        )

        assert response.status_code == 201, response.json()
        assert (response.json()["options"], response.json()["min"], response.json()["max"]) == ([], -3, 3)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"kind": "single", "options": ["only one"]}, "options"),
            ({"kind": "multi", "options": ["same", "same"]}, "options"),
            ({"kind": "single"}, "options"),
            ({"kind": "single", "options": ["a", " "]}, "options"),
            ({"kind": "multi", "options": ["a|b", "c"]}, "options"),
            ({"kind": "single", "options": ["a", "b"], "min": 1}, "min"),
            ({"kind": "scale", "min": 3, "max": 3}, "max"),
            ({"kind": "scale", "min": 1}, "max"),
            ({"kind": "scale", "min": 0, "max": 1000}, "max"),
            ({"kind": "scale", "min": 1, "max": 5, "options": ["a", "b"]}, "options"),
            ({"kind": "ranking", "options": ["a", "b"]}, "kind"),
        ],
    )
    def test_options_or_bounds_that_do_not_fit_the_kind_are_refused_naming_the_field(
        self, world, client_for, body, field
    ):
        response = client_for(world.owner).post(url(world.project, "questions"), {"name": "Bad", **body})

        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert not Question.objects.filter(name="Bad").exists()

    def test_a_name_or_key_taken_by_another_question_is_refused(self, world, client_for):
        response = client_for(world.owner).post(
            url(world.project, "questions"), {"name": "Tone", "kind": "scale", "min": 1, "max": 2, "key": "1"}
        )

        assert response.status_code == 400
        assert set(response.json()) == {"name", "key"}

    def test_a_key_may_equal_a_labels_as_a_relation_types_may(self, world, client_for):
        response = client_for(world.owner).post(
            url(world.project, "questions"), {"name": "Slant", "kind": "scale", "min": 1, "max": 5, "key": "s"}
        )

        assert response.status_code == 201, response.json()

    def test_a_question_in_use_is_not_deleted(self, world, client_for):
        response = client_for(world.owner).delete(url(world.project, "questions", world.question))

        assert response.status_code == 409
        assert "deactivate" in response.json()["detail"]
        assert Question.objects.filter(pk=world.question.pk).exists()

    def test_an_option_in_use_cannot_be_taken_away_but_others_can_be_added(self, world, client_for):
        client = client_for(world.owner)

        taken = client.patch(url(world.project, "questions", world.question), {"options": ["neutral", "anti"]})
        added = client.patch(
            url(world.project, "questions", world.question), {"options": ["pro", "neutral", "anti", "mixed"]}
        )

        assert taken.status_code == 409
        assert "'pro'" in taken.json()["detail"]
        assert added.status_code == 200, added.json()
        assert added.json()["options"] == ["pro", "neutral", "anti", "mixed"]

    def test_an_answered_question_keeps_its_kind(self, world, client_for):
        response = client_for(world.owner).patch(
            url(world.project, "questions", world.question), {"kind": "scale", "min": 1, "max": 5}
        )

        assert response.status_code == 409
        assert Question.objects.get(pk=world.question.pk).kind == "single"

    def test_an_unanswered_question_changes_kind_and_drops_the_old_kinds_options(self, world, client_for):
        response = client_for(world.owner).patch(
            url(world.project, "questions", world.spare_question), {"kind": "scale", "min": 1, "max": 5}
        )

        assert response.status_code == 200, response.json()
        assert (response.json()["kind"], response.json()["options"]) == ("scale", [])

    def test_a_scale_is_not_cut_short_under_a_value_given(self, world, client_for, slant):
        answer(world.annotator, world.document, slant, -3)

        response = client_for(world.owner).patch(url(world.project, "questions", slant), {"min": -2})

        assert response.status_code == 409
        assert "-3" in response.json()["detail"]


class TestAnswerCreate:
    def test_an_annotator_answers_and_gets_the_answer_back(self, world, client_for):
        response = client_for(world.annotator).post(
            answers_url(world), {"question": world.spare_question.pk, "value": "opinion"}
        )

        assert response.status_code == 201, response.json()
        given = response.json()
        assert set(given) == ANSWER_KEYS
        assert (given["question"], given["value"], given["annotator"], given["version"]) == (
            world.spare_question.pk,
            "opinion",
            "annotator",
            1,
        )
        assert given["review_status"] == "pending"
        assert AuditEvent.objects.filter(action="answer.create", object_id=given["id"]).count() == 1

    def test_a_multi_answer_is_kept_in_the_questions_order(self, world, client_for, frames):
        response = client_for(world.annotator).post(
            answers_url(world), {"question": frames.pk, "value": ["Legal", "Economic"]}
        )

        assert response.status_code == 201, response.json()
        assert response.json()["value"] == ["Economic", "Legal"]

    def test_a_scale_answer_is_an_integer_within_bounds(self, world, client_for, slant):
        response = client_for(world.annotator).post(answers_url(world), {"question": slant.pk, "value": -3})

        assert response.status_code == 201, response.json()
        assert response.json()["value"] == -3

    def test_a_list_answers_several_questions_at_once(self, world, client_for, frames, slant):
        items = [{"question": frames.pk, "value": ["Political"]}, {"question": slant.pk, "value": 2}]

        response = client_for(world.annotator).post(answers_url(world), items, format="json")

        assert response.status_code == 201, response.json()
        assert [item["value"] for item in response.json()] == [["Political"], 2]

    def test_a_second_answer_to_the_same_question_is_a_conflict_with_the_first(self, world, client_for):
        response = client_for(world.annotator).post(
            answers_url(world), {"question": world.question.pk, "value": "anti"}
        )

        assert response.status_code == 409
        assert (response.json()["id"], response.json()["value"]) == (world.answer.pk, "pro")
        assert Answer.objects.get(pk=world.answer.pk).value == "pro"

    def test_another_annotator_answers_the_same_question_for_themselves(self, world, client_for):
        response = client_for(world.annotator2).post(
            answers_url(world), {"question": world.question.pk, "value": "anti"}
        )

        assert response.status_code == 201, response.json()
        assert Answer.objects.filter(question=world.question).count() == 2

    def test_a_deactivated_question_is_refused_naming_it(self, world, client_for):
        Question.objects.filter(pk=world.spare_question.pk).update(active=False)

        response = client_for(world.annotator).post(
            answers_url(world), {"question": world.spare_question.pk, "value": "opinion"}
        )

        assert response.status_code == 400
        assert response.json() == {"question": ["question 'Genre' is deactivated"]}

    def test_an_annotator_may_not_answer_on_a_document_not_assigned_to_them(self, world, client_for):
        project_update(member=access_project(world.owner, world.project.pk), blind=False)
        assignment_delete(actor=access_project(world.owner, world.project.pk), assignment=world.assignment)

        response = client_for(world.annotator2).post(
            answers_url(world), {"question": world.spare_question.pk, "value": "opinion"}
        )

        assert response.status_code == 403
        assert not Answer.objects.filter(annotator=world.annotator2).exists()

    def test_the_first_answer_starts_the_assignment(self, world, client_for):
        client_for(world.annotator2).post(answers_url(world), {"question": world.question.pk, "value": "anti"})

        world.assignment.refresh_from_db()
        assert world.assignment.status == "in_progress"


class TestAnswerChange:
    def test_a_change_with_the_current_version_raises_it(self, world, client_for):
        response = client_for(world.annotator).patch(answers_url(world, world.answer), {"value": "anti", "version": 1})

        assert response.status_code == 200, response.json()
        assert (response.json()["value"], response.json()["version"]) == ("anti", 2)
        assert AuditEvent.objects.filter(action="answer.update", object_id=world.answer.pk).count() == 1

    def test_a_stale_version_is_refused_with_the_current_answer(self, world, client_for):
        client = client_for(world.annotator)
        client.patch(answers_url(world, world.answer), {"value": "anti"})

        response = client.patch(answers_url(world, world.answer), {"value": "neutral"}, HTTP_IF_MATCH='"1"')

        assert response.status_code == 409
        assert (response.json()["value"], response.json()["version"]) == ("anti", 2)

    def test_a_wrong_value_is_refused_naming_value(self, world, client_for):
        response = client_for(world.annotator).patch(answers_url(world, world.answer), {"value": "furious"})

        assert response.status_code == 400
        assert response.json() == {"value": ["'furious' is not an option of this question"]}

    def test_the_question_never_changes(self, world, client_for):
        response = client_for(world.annotator).patch(
            answers_url(world, world.answer), {"value": "anti", "question": world.spare_question.pk}
        )

        assert response.status_code == 400
        assert "question" in response.json()

    def test_a_changed_value_sends_a_reviewed_answer_back_to_pending(self, world, client_for):
        client_for(world.reviewer).post(answers_url(world, world.answer, "review"), {"decision": "rejected"})

        response = client_for(world.annotator).patch(answers_url(world, world.answer), {"value": "anti"})

        assert response.status_code == 200, response.json()
        assert (response.json()["review_status"], response.json()["reviewer"]) == ("pending", None)

    def test_a_delete_with_a_stale_version_is_refused(self, world, client_for):
        response = client_for(world.annotator).delete(answers_url(world, world.answer), HTTP_IF_MATCH='"7"')

        assert response.status_code == 409
        assert Answer.objects.filter(pk=world.answer.pk).exists()

    def test_the_annotator_deletes_their_answer(self, world, client_for):
        response = client_for(world.annotator).delete(answers_url(world, world.answer), HTTP_IF_MATCH='"1"')

        assert response.status_code == 204
        assert not Answer.objects.filter(pk=world.answer.pk).exists()
        assert AuditEvent.objects.filter(action="answer.delete", object_id=world.answer.pk).count() == 1


class TestAnswerReview:
    def test_a_reviewer_rejects_an_answer_with_a_comment(self, world, client_for):
        response = client_for(world.reviewer).post(
            answers_url(world, world.answer, "review"), {"decision": "rejected", "comment": "Reads as anti."}
        )

        assert response.status_code == 200, response.json()
        reviewed = response.json()
        assert (reviewed["review_status"], reviewed["review_comment"], reviewed["reviewer"], reviewed["version"]) == (
            "rejected",
            "Reads as anti.",
            "reviewer",
            2,
        )
        assert AuditEvent.objects.filter(action="answer.review", object_id=world.answer.pk).count() == 1


class TestAnswerVisibility:
    @pytest.fixture
    def theirs(self, world):
        return answer(world.annotator2, world.document, world.question, "anti")

    def test_in_a_blind_project_an_annotator_lists_only_their_own_answers(self, world, client_for, theirs):
        response = client_for(world.annotator).get(answers_url(world))

        assert [item["annotator"] for item in response.json()["results"]] == ["annotator"]

    def test_in_a_blind_project_anothers_answer_is_not_found(self, world, client_for, theirs):
        response = client_for(world.annotator).get(answers_url(world, theirs))

        assert response.status_code == 404

    def test_reviewers_see_every_answer_and_filter_by_annotator_and_question(self, world, client_for, theirs):
        client = client_for(world.reviewer)

        every = client.get(answers_url(world))
        filtered = client.get(answers_url(world), {"annotator": "annotator2", "question": world.question.pk})

        assert [item["annotator"] for item in every.json()["results"]] == ["annotator", "annotator2"]
        assert [item["id"] for item in filtered.json()["results"]] == [theirs.pk]

    def test_in_an_open_project_annotators_see_everyones_answers(self, world, client_for, theirs):
        project_update(member=access_project(world.owner, world.project.pk), blind=False)

        response = client_for(world.annotator).get(answers_url(world))

        assert len(response.json()["results"]) == 2


class TestGoldAnswers:
    def test_a_reviewer_sets_a_gold_answer(self, world, client_for):
        response = client_for(world.reviewer).post(
            gold_url(world), {"question": world.spare_question.pk, "value": "reporting"}
        )

        assert response.status_code == 201, response.json()
        assert (response.json()["value"], response.json()["source_answer"], response.json()["created_by"]) == (
            "reporting",
            None,
            "reviewer",
        )

    def test_a_gold_answer_copies_an_annotators_answer(self, world, client_for):
        GoldAnswer.objects.all().delete()

        response = client_for(world.reviewer).post(gold_url(world), {"from_answer": world.answer.pk})

        assert response.status_code == 201, response.json()
        assert (response.json()["question"], response.json()["value"], response.json()["source_answer"]) == (
            world.question.pk,
            "pro",
            world.answer.pk,
        )

    def test_a_second_gold_answer_to_a_question_is_a_conflict_with_the_first(self, world, client_for):
        response = client_for(world.reviewer).post(gold_url(world), {"from_answer": world.answer.pk})

        assert response.status_code == 409
        assert (response.json()["id"], response.json()["value"]) == (world.gold_answer.pk, "neutral")
        assert GoldAnswer.objects.count() == 1

    def test_an_answer_of_another_document_is_refused_naming_from_answer(self, world, client_for, other_project):
        response = client_for(world.reviewer).post(gold_url(world), {"from_answer": 987_654_321})

        assert response.status_code == 400
        assert list(response.json()) == ["from_answer"]

    def test_a_gold_answer_needs_a_question_and_a_value(self, world, client_for):
        response = client_for(world.reviewer).post(gold_url(world), {})

        assert response.status_code == 400
        assert set(response.json()) == {"question", "value"}

    def test_a_gold_answer_changes_with_its_version(self, world, client_for):
        client = client_for(world.reviewer)

        changed = client.patch(gold_url(world, world.gold_answer), {"value": "anti", "version": 1})
        stale = client.patch(gold_url(world, world.gold_answer), {"value": "pro", "version": 1})

        assert (changed.status_code, changed.json()["value"], changed.json()["version"]) == (200, "anti", 2)
        assert (stale.status_code, stale.json()["value"]) == (409, "anti")


class TestSubmit:
    def test_submit_names_each_required_question_left_unanswered(self, world, client_for, frames):
        Question.objects.filter(pk__in=[world.question.pk, world.spare_question.pk, frames.pk]).update(required=True)

        response = client_for(world.annotator).post(url(world.project, "documents", world.document, "submit"))

        assert response.status_code == 400
        assert response.json() == {"questions": ["Genre", "Frames"]}
        assert world.project.documents.get().assignments.get(user=world.annotator).status != "submitted"

    def test_a_deactivated_or_optional_question_does_not_hold_submit_back(self, world, client_for, frames):
        Question.objects.filter(pk=world.spare_question.pk).update(required=True, active=False)

        response = client_for(world.annotator).post(url(world.project, "documents", world.document, "submit"))

        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "submitted"

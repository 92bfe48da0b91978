"""The import service with answers: stored under the answer rules with the question named, each problem with its
line, all or nothing; an annotator answers a question of a document once; documents already present skipped with
their answers and counted; questions are never created."""

import json

import pytest

from annotator import formats
from annotator.access import access_project
from annotator.formats import FormatError
from annotator.models import Answer, Assignment, AuditEvent, Document, Question
from annotator.services import imports
from tests.arrange import make_question

TEXT = "Peskov told reporters the talks would resume, Zakharova said."


def line(*answers, external_id="a-1"):
    return {"text": TEXT, "external_id": external_id, "answers": list(answers)}


def says(question, value, **fields):
    return {"question": question, "value": value, **fields}


def document_import(*lines, data_format="jsonl", **kwargs):
    """The import service fed as the API feeds it: the records of a JSON Lines file of `lines`, as they are read."""
    data = "\n".join(json.dumps(item, ensure_ascii=False) for item in lines).encode()
    return imports.document_import(records=formats.records(data_format, data), **kwargs)


def problems_of(*lines, **kwargs):
    with pytest.raises(FormatError) as refused:
        document_import(*lines, **kwargs)
    return [(problem.line, problem.message) for problem in refused.value.problems]


def stored(project):
    return sorted(
        Answer.objects.filter(document__project=project).values_list(
            "document__external_id", "question__name", "annotator__username", "value", "review_status"
        )
    )


def state():
    return (Document.objects.count(), Answer.objects.count(), Question.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def owner_member(project, owner):
    return access_project(owner, project.pk)


@pytest.fixture
def questions(owner, project):
    """Tone (single: pro, neutral, anti), Frames (multi) and Slant (a scale from -2 to 2)."""
    return (
        make_question(owner, project, "Tone"),
        make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legality"]),
        make_question(owner, project, "Slant", "scale", min=-2, max=2),
    )


class TestAnswerImport:
    def test_answers_are_stored_for_the_annotators_they_name(self, owner_member, project, questions):
        answers = [says("Tone", "anti", annotator="annotator", review_status="accepted"),
                   says("Frames", ["Political", "Economic"], annotator="annotator"),
                   says("Slant", -2, annotator="annotator2"), says("Tone", "pro")]  # fmt: skip

        counts = document_import(line(*answers), member=owner_member)

        assert counts["answers"] == {"stored": 4, "skipped": 0}
        assert stored(project) == [
            ("a-1", "Frames", "annotator", ["Economic", "Political"], "pending"),  # in the question's order
            ("a-1", "Slant", "annotator2", -2, "pending"),
            ("a-1", "Tone", "annotator", "anti", "accepted"),
            ("a-1", "Tone", "owner", "pro", "pending"),  # nobody named: the importer's
        ]

    def test_an_annotator_who_answered_has_submitted_the_document(self, owner_member, project, questions):
        document_import(line(says("Tone", "pro", annotator="annotator")), member=owner_member)

        statuses = dict(Assignment.objects.filter(document__project=project).values_list("user__username", "status"))
        assert statuses["annotator"] == "submitted"

    def test_the_import_and_each_document_are_audited_with_their_answers(self, owner_member, project, questions):
        document_import(line(says("Tone", "pro"), says("Slant", 1)), member=owner_member)

        [event] = AuditEvent.objects.filter(project=project, action="document.import")
        assert event.after["answers"] == 2
        [summary] = AuditEvent.objects.filter(project=project, action="project.import")
        assert summary.after["answers"] == {"stored": 2, "skipped": 0}

    def test_a_document_already_present_is_skipped_with_its_answers(self, owner_member, project, questions):
        document_import(line(says("Tone", "pro")), member=owner_member)

        counts = document_import(line(says("Tone", "anti"), says("Slant", 0)), member=owner_member)

        assert counts["answers"] == {"stored": 0, "skipped": 2}
        assert stored(project) == [("a-1", "Tone", "owner", "pro", "pending")]

    def test_label_studio_choices_and_ratings_become_the_questions_values(self, owner_member, project, questions):
        results = [{"type": "choices", "from_name": "Tone", "to_name": "text", "value": {"choices": ["neutral"]}},
                   {"type": "choices", "from_name": "Frames", "to_name": "text", "value": {"choices": ["Legality"]}},
                   {"type": "rating", "from_name": "Slant", "to_name": "text", "value": {"rating": 4}}]  # fmt: skip
        task = {"data": {"text": TEXT, "external_id": "ls-1"},
                "annotations": [{"completed_by": {"email": "annotator@slant.invalid"}, "result": results}]}  # fmt: skip

        imports.document_import(records=formats.records("labelstudio", json.dumps([task]).encode()),
                                member=owner_member)  # fmt: skip

        assert stored(project) == [
            ("ls-1", "Frames", "annotator", ["Legality"], "pending"),
            ("ls-1", "Slant", "annotator", 1, "pending"),  # the 4th of the five steps from -2
            ("ls-1", "Tone", "annotator", "neutral", "pending"),
        ]


class TestAnswerImportRefuses:
    def test_every_problem_is_reported_with_its_line_and_nothing_is_stored(self, owner, owner_member, project,
                                                                           questions):  # fmt: skip
        make_question(owner, project, "Retired", active=False)
        before = state()

        problems = problems_of(
            line(says("Tone", "pro")),
            line(says("Genre", "satire"), says("Retired", "pro"), external_id="a-2"),
            line(says("Tone", "angry"), says("Frames", []), says("Slant", 3), says("Slant", "2"), external_id="a-3"),
            line(says("Tone", "pro", annotator="annotator"), says("Tone", "anti", annotator="annotator"),
                 external_id="a-4"),
            member=owner_member,
            create_labels=True,
        )  # fmt: skip

        assert problems == [
            (2, "question 'Genre' is not in this project; an import creates no questions, add it to the project"
                " first"),
            (2, "question 'Retired' is deactivated"),
            (3, "answer to 'Tone': 'angry' is not an option of this question"),
            (3, "answer to 'Frames': the answer to a multiple-choice question is a non-empty list of its options"),
            (3, "answer to 'Slant': 3 is outside the scale, -2 to 2"),
            (3, "answer to 'Slant': the answer to a scale question is an integer from -2 to 2"),
            (4, "answer to 'Tone': 'annotator' answers it twice in this document"),
        ]  # fmt: skip
        assert state() == before

    def test_two_answers_of_the_importer_to_one_question_are_a_problem(self, owner_member, project, questions):
        problems = problems_of(line(says("Tone", "pro"), says("Tone", "pro", annotator="a-stranger")),
                               member=owner_member)  # fmt: skip

        assert problems == [(1, "answer to 'Tone': 'owner' answers it twice in this document")]

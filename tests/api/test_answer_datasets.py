"""Answers in exports and imports through the API: JSONL lines and Label Studio tasks carry them, CSV has an answers
table, each layer and annotator filter keeps its own, the dataset card counts each question's values, a round trip
gives them back, and a bad answer is a 400 with its line that stores nothing."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from annotator.access import access_project
from annotator.models import Answer, Document
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.reviews import answer_review
from tests.api.test_relation_datasets import body, export_lines, post_import
from tests.arrange import answer, answer_gold, make_question
from tests.conftest import url


def make_questions(owner, project):
    """Tone (single), Frames (multi) and Slant (a scale from -2 to 2), as the answered project has them."""
    return (
        make_question(owner, project, "Tone"),
        make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legality"]),
        make_question(owner, project, "Slant", "scale", min=-2, max=2),
    )


@pytest.fixture
def answered(owner, reviewer, annotator, annotator2, project, document):
    """`document` answered by both annotators, who disagree on Tone; a reviewer accepted annotator's Tone and set
    the gold Tone."""
    tone, frames, slant = make_questions(owner, project)
    mine = answer(annotator, document, tone, "anti")
    answer(annotator, document, frames, ["Political", "Economic"])
    answer(annotator, document, slant, -1)
    answer(annotator2, document, tone, "neutral")
    answer(annotator2, document, slant, 2)
    answer_review(member=access_project(reviewer, project.pk), answer=mine, decision="accepted")
    answer_gold(reviewer, document, tone, "anti")
    return document


def answers_of(line):
    return [(item["question"], item["value"], item["annotator"], item["review_status"]) for item in line["answers"]]


def stored(project):
    return sorted(
        Answer.objects.filter(document__project=project).values_list(
            "document__external_id", "question__name", "annotator__username", "value"
        )
    )


class TestJsonlExport:
    def test_each_line_carries_every_annotators_answers_by_question_name(self, client_for, owner, project, answered):
        [line] = export_lines(client_for(owner), project)

        assert answers_of(line) == [
            ("Tone", "anti", "annotator", "accepted"),
            ("Tone", "neutral", "annotator2", "pending"),
            ("Frames", ["Economic", "Political"], "annotator", "pending"),
            ("Slant", -1, "annotator", "pending"),
            ("Slant", 2, "annotator2", "pending"),
        ]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"layer": "accepted"}, [("Tone", "anti", "annotator", "accepted")]),
            ({"layer": "gold"}, [("Tone", "anti", None, None)]),
            ({"annotator": "annotator2"}, [("Tone", "neutral", "annotator2", "pending"),
                                           ("Slant", 2, "annotator2", "pending")]),
        ],
        ids=["accepted", "gold", "one-annotator"],
    )  # fmt: skip
    def test_each_layer_and_annotator_keeps_its_own_answers(self, client_for, owner, project, answered, params,
                                                            expected):  # fmt: skip
        [line] = export_lines(client_for(owner), project, **params)

        assert answers_of(line) == expected

    def test_one_questions_answers_come_by_annotator_name_not_by_who_answered_first(self, client_for, owner,
                                                                                   project, document, annotator,
                                                                                   annotator2):  # fmt: skip
        tone = make_question(owner, project, "Tone")
        answer(annotator2, document, tone, "pro")
        answer(annotator, document, tone, "anti")

        [line] = export_lines(client_for(owner), project)

        assert answers_of(line) == [("Tone", "anti", "annotator", "pending"), ("Tone", "pro", "annotator2", "pending")]


class TestCsvAnswers:
    def test_table_answers_has_one_answer_a_row_a_multi_value_joined_with_a_bar(self, client_for, owner, project,
                                                                                answered):  # fmt: skip
        data = body(client_for(owner).get(url(project, "export"), {"format": "csv", "table": "answers"}))

        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert [(row["external_id"], row["annotator"], row["question"], row["value"]) for row in rows] == [
            ("talks-1", "annotator", "Tone", "anti"),
            ("talks-1", "annotator2", "Tone", "neutral"),
            ("talks-1", "annotator", "Frames", "Economic|Political"),
            ("talks-1", "annotator", "Slant", "-1"),
            ("talks-1", "annotator2", "Slant", "2"),
        ]

    def test_a_csv_zip_holds_all_three_tables(self, client_for, owner, project, answered):
        client = client_for(owner)

        archive = zipfile.ZipFile(io.BytesIO(body(client.get(url(project, "export"), {"format": "csv", "zip": "1"}))))

        assert archive.namelist() == [
            "README.md", "ceasefire-coverage-annotations.csv", "ceasefire-coverage-annotations-relations.csv",
            "ceasefire-coverage-annotations-answers.csv",
        ]  # fmt: skip
        answers = body(client.get(url(project, "export"), {"format": "csv", "table": "answers"}))
        assert archive.read("ceasefire-coverage-annotations-answers.csv") == answers

    def test_export_dataset_writes_the_answers_table(self, client_for, owner, project, answered, tmp_path):
        target = tmp_path / "answers.csv"

        call_command("export_dataset", str(project.pk), "--format", "csv", "--table", "answers", "-o", str(target),
                     stderr=io.StringIO())  # fmt: skip

        api = body(client_for(owner).get(url(project, "export"), {"format": "csv", "table": "answers"}))
        assert target.read_bytes() == api


class TestDatasetCard:
    def card(self, client, project, **params):
        response = client.get(url(project, "export"), {"format": "jsonl", "zip": "true", **params})
        return zipfile.ZipFile(io.BytesIO(body(response))).read("README.md").decode()

    def test_the_card_lists_each_question_with_how_many_chose_each_value(self, client_for, owner, project,
                                                                         answered):  # fmt: skip
        text = self.card(client_for(owner), project)

        assert "- answers: 5" in text
        tone = text.split("## Question: Tone", 1)[1].split("## ", 1)[0]
        assert "one option; 2 answers." in tone
        assert "| pro | 0 |" in tone and "| neutral | 1 |" in tone and "| anti | 1 |" in tone
        slant = text.split("## Question: Slant", 1)[1].split("## ", 1)[0]
        assert [f"| {value} | {n} |" in slant for value, n in ((-2, 0), (-1, 1), (0, 0), (1, 0), (2, 1))] == [True] * 5

    def test_the_card_counts_the_layer_exported(self, client_for, owner, project, answered):
        text = self.card(client_for(owner), project, layer="gold")

        assert "- answers: 1" in text
        assert "| anti | 1 |" in text and "| neutral | 0 |" in text


class TestLabelStudioExport:
    def test_answers_are_choices_and_rating_results_the_labeling_config_names(self, client_for, owner, project,
                                                                              answered):  # fmt: skip
        response = client_for(owner).get(url(project, "export"), {"format": "labelstudio", "zip": "true"})

        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        [task] = json.loads(archive.read("ceasefire-coverage-annotations-labelstudio.json"))
        by = {"email": "annotator@slant.invalid"}
        mine = next(item for item in task["annotations"] if item.get("completed_by") == by)
        assert [(result["from_name"], result["type"], result["value"]) for result in mine["result"]] == [
            ("Tone", "choices", {"choices": ["anti"]}),
            ("Frames", "choices", {"choices": ["Economic", "Political"]}),
            ("Slant", "rating", {"rating": 2}),  # -1 is the second step of -2 … 2
        ]
        config = archive.read("label_config.xml").decode()
        assert '<Choices name="Tone" toName="text" choice="single">' in config
        assert '<Choices name="Frames" toName="text" choice="multiple">' in config
        assert '<Rating name="Slant" toName="text" maxRating="5"/>' in config


@pytest.fixture
def copy(owner):
    """A new project for the round trip, with both annotators and the same questions."""
    project = project_create(user=owner, name="Copy", label_preset="framing")
    for username in ("annotator", "annotator2"):
        member_add(actor=access_project(owner, project.pk), username=username, role="annotator")
    make_questions(owner, project)
    return project


class TestRoundTrip:
    @pytest.mark.parametrize("name", ["jsonl", "labelstudio"])
    def test_export_then_import_into_a_new_project_gives_back_the_same_answers(self, client_for, owner, project,
                                                                               answered, copy, name):  # fmt: skip
        client = client_for(owner)
        exported = body(client.get(url(project, "export"), {"format": name}))
        upload = SimpleUploadedFile(f"export.{name}", exported, content_type="application/octet-stream")

        response = client.post(url(copy, "imports"), {"file": upload, "format": name}, format="multipart")

        assert response.status_code == 201, response.content
        assert response.json()["answers"] == {"stored": 5, "skipped": 0}
        assert [row[1:] for row in stored(copy)] == [row[1:] for row in stored(project)]

    def test_importing_the_same_file_again_skips_its_answers(self, client_for, owner, project, answered, copy):
        client = client_for(owner)
        exported = body(client.get(url(project, "export"), {"format": "jsonl"}))
        post_import(client, copy, exported)

        response = post_import(client, copy, exported)

        assert response.json()["answers"] == {"stored": 0, "skipped": 5}


class TestBadAnswers:
    def test_each_bad_answer_is_a_400_naming_its_line_and_nothing_is_stored(self, client_for, owner, project):
        make_questions(owner, project)
        lines = [
            {"text": "First.", "answers": [{"question": "Tone", "value": "pro"}]},
            {"text": "Second.", "answers": [{"question": "Genre", "value": "satire"}]},
            {"text": "Third.", "answers": [{"question": "Slant", "value": 9}, {"question": "Frames", "value": "x"}]},
            {"text": "Fourth.", "answers": [{"question": "Tone", "value": "pro", "annotator": "annotator"},
                                            {"question": "Tone", "value": "anti", "annotator": "annotator"}]},
            {"text": "Fifth.", "answers": [{"question": "Tone"}]},
        ]  # fmt: skip
        data = "\n".join(json.dumps(item) for item in lines).encode()

        response = post_import(client_for(owner), project, data, create_labels="true")

        assert response.status_code == 400
        problems = response.json()["problems"]
        assert [(problem["line"], problem["message"]) for problem in problems] == [
            (2, "question 'Genre' is not in this project; an import creates no questions, add it to the project"
                " first"),
            (3, "answer to 'Slant': 9 is outside the scale, -2 to 2"),
            (3, "answer to 'Frames': the answer to a multiple-choice question is a non-empty list of its options"),
            (4, "answer to 'Tone': 'annotator' answers it twice in this document"),
            (5, "answer 1: value must be an option, a list of options or an integer, not null"),
        ]  # fmt: skip
        assert not Document.objects.filter(project=project).exists()
        assert not Answer.objects.exists()

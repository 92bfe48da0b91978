"""Imports of predictions (SPEC's Suggestions and Import: `layer=suggestions`): a JSON Lines file's spans with their
score and source, or a Label Studio export's predictions with their score and model_version, become suggestions on
the project's documents the file names; all or nothing, each stored once however often imported; owners and
reviewers."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from annotator.models import AuditEvent, Document, Label, Span, Suggestion
from annotator.services.audit import snapshot
from annotator.services.documents import document_create_many
from tests.arrange import member_of, phrase
from tests.conftest import document_url, url
from tests.factories import ARTICLE

# An invented dispatch: a flag and a family emoji before the phrases (each more than one UTF-16 unit, so offsets
# counted in UTF-16 would land elsewhere) and a Windows line break, which the file gives and the project stores as \n.
HARBOUR = (
    "🇵🇹 Harbour strike 👨\u200d👩\u200d👧 enters its third week\r\n"
    "The dockers' union, according to its chair Marta Sousa, will vote on Friday. "
    "\"We are not moving,\" Sousa told the assembly."
)
STORED_HARBOUR = HARBOUR.replace("\r\n", "\n")


def at(text, snippet):
    """{start, end} of the first `snippet` in `text`, in code points."""
    start, end = phrase(snippet, text)
    return {"start": start, "end": end}


def jsonl(*records):
    return ("\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n").encode()


def post_suggestions(client, project, content, format="jsonl", name="predictions.jsonl", **fields):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(
        url(project, "imports"),
        {"file": upload, "format": format, "layer": "suggestions", **fields},
        format="multipart",
    )


def stored():
    """Every suggestion as (document, label name, text, score, source), in id order."""
    return [
        (s.document.external_id, s.label.name, s.document.text[s.start : s.end], s.score, s.source)
        for s in Suggestion.objects.select_related("document", "label").order_by("id")
    ]


def state():
    return (Document.objects.count(), Span.objects.count(), Suggestion.objects.count(), AuditEvent.objects.count(),
            Label.objects.count())  # fmt: skip


@pytest.fixture
def harbour(project, owner):
    [document] = document_create_many(
        member=member_of(owner, project), items=[{"text": HARBOUR, "title": "Harbour strike", "external_id": "dock-7"}]
    )
    return document


def harbour_line(**fields):
    """A JSON Lines record of the harbour dispatch as the file gives it (CRLF), with predicted spans."""
    return {
        "external_id": "dock-7",
        "text": HARBOUR,
        "spans": [
            {**at(HARBOUR, "according to its chair Marta Sousa"), "label": "Source attribution", "score": 0.91,
             "source": "quotes-model:v3"},
            {**at(HARBOUR, "Sousa told the assembly"), "label": "Source attribution", "score": None},
        ],
        **fields,
    }  # fmt: skip


class TestJsonLines:
    def test_spans_become_suggestions_on_the_document_the_external_id_names(self, client_for, owner, project, harbour):
        response = post_suggestions(client_for(owner), project, jsonl(harbour_line()))

        assert response.status_code == 201, response.content
        assert response.json() == {
            "documents": {"matched": 1, "unmatched": 0},
            "suggestions": {"stored": 2, "skipped": 0},
        }
        assert stored() == [
            ("dock-7", "Source attribution", "according to its chair Marta Sousa", 0.91, "quotes-model:v3"),
            ("dock-7", "Source attribution", "Sousa told the assembly", None, "import"),
        ]
        assert Span.objects.count() == 0  # nobody's annotation yet

    def test_the_source_field_names_the_source_of_spans_that_name_none(self, client_for, owner, project, harbour):
        post_suggestions(client_for(owner), project, jsonl(harbour_line()), source="newsroom-ner")

        assert [row[4] for row in stored()] == ["quotes-model:v3", "newsroom-ner"]

    def test_a_document_without_external_id_is_found_by_its_text(self, client_for, owner, project, document):
        line = {"text": ARTICLE, "spans": [{**at(ARTICLE, "in a statement"), "label": "Official statement",
                                            "score": 1, "source": "m"}]}  # fmt: skip

        response = post_suggestions(client_for(owner), project, jsonl(line))

        assert response.json()["documents"] == {"matched": 1, "unmatched": 0}
        assert stored() == [("talks-1", "Official statement", "in a statement", 1.0, "m")]

    def test_records_the_project_lacks_are_passed_over_and_counted(self, client_for, owner, project, harbour):
        stranger = {"external_id": "not-here", "text": "A report nobody imported.",
                    "spans": [{"start": 2, "end": 8, "label": "Source attribution"}]}  # fmt: skip
        unknown_text = {"text": "Another report nobody imported."}

        response = post_suggestions(client_for(owner), project, jsonl(stranger, harbour_line(), unknown_text))

        assert response.json() == {
            "documents": {"matched": 1, "unmatched": 2},
            "suggestions": {"stored": 2, "skipped": 0},
        }
        assert Document.objects.filter(project=project).count() == 1  # nothing created

    def test_importing_the_same_file_again_stores_nothing_twice(self, client_for, owner, project, harbour):
        content = jsonl(harbour_line())
        post_suggestions(client_for(owner), project, content)
        before = state()

        again = post_suggestions(client_for(owner), project, content)

        assert again.status_code == 201
        assert again.json()["suggestions"] == {"stored": 0, "skipped": 2}
        assert state()[:3] == before[:3]
        assert AuditEvent.objects.filter(action="suggestion.create").count() == 2

    def test_a_repeat_within_the_file_is_stored_once_and_another_source_is_another_suggestion(
        self, client_for, owner, project, harbour
    ):
        line = harbour_line()
        first = line["spans"][0]
        line["spans"] += [dict(first), {**first, "source": "quotes-model:v4", "score": 0.5}]

        response = post_suggestions(client_for(owner), project, jsonl(line))

        assert response.json()["suggestions"] == {"stored": 3, "skipped": 1}
        assert [row[4] for row in stored()] == ["quotes-model:v3", "import", "quotes-model:v4"]

    def test_relations_answers_and_annotators_in_the_file_mean_nothing_here(self, client_for, owner, project, harbour):
        line = harbour_line(relations=[{"type": "Says", "from": 1, "to": 2}], answers=[{"question": "Tone",
                                                                                      "value": "pro"}])  # fmt: skip
        line["spans"][0].update(id=1, annotator="annotator", review_status="accepted", note="a note")

        response = post_suggestions(client_for(owner), project, jsonl(line))

        assert response.status_code == 201, response.content
        assert response.json()["suggestions"]["stored"] == 2

    def test_each_stored_suggestion_and_the_import_are_audited(self, client_for, owner, project, harbour):
        post_suggestions(client_for(owner), project, jsonl(harbour_line()), name="dock.jsonl")

        created = AuditEvent.objects.filter(action="suggestion.create").order_by("id")
        assert sorted(event.object_id for event in created) == sorted(Suggestion.objects.values_list("pk", flat=True))
        assert {event.actor_username for event in created} == {"owner"}
        # Written past the ORM: each event's state after is the stored suggestion's snapshot, as the API records it.
        assert [event.after for event in created] == [
            snapshot(Suggestion.objects.get(pk=event.object_id)) for event in created
        ]
        assert {(event.object_type, event.project_id) for event in created} == {("suggestion", project.pk)}
        event = AuditEvent.objects.get(action="project.import")
        assert event.after == {"file": "dock.jsonl", "layer": "suggestions",
                               "documents": {"matched": 1, "unmatched": 0},
                               "suggestions": {"stored": 2, "skipped": 0}}  # fmt: skip


def labelstudio_task(**fields):
    """A task as Label Studio 1.23 exports it from a project whose tasks came from a Slant export: one annotation
    (which a suggestions import leaves alone) and two predictions."""
    source = at(HARBOUR, "according to its chair Marta Sousa")
    quote = at(HARBOUR, "\"We are not moving,\"")
    return {
        "id": 4012,
        "data": {"text": HARBOUR, "external_id": "dock-7", "title": "Harbour strike"},
        "annotations": [
            {"id": 77, "completed_by": {"email": "annotator@slant.invalid"}, "was_cancelled": False,
             "result": [{"id": "a1", "from_name": "label", "to_name": "text", "type": "labels",
                         "value": {**source, "text": "according to its chair Marta Sousa",
                                   "labels": ["Source attribution"]}}]},
        ],
        "predictions": [
            {"id": 9, "model_version": "attribution-bert-2026-11", "score": 0.64, "created_ago": "2 days",
             "result": [
                 {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "prediction",
                  "score": 0.88, "value": {**source, "text": "according to its chair Marta Sousa",
                                           "labels": ["Source attribution"]}},
                 {"id": "p2", "from_name": "label", "to_name": "text", "type": "labels", "origin": "prediction",
                  "value": {**quote, "text": "\"We are not moving,\"", "labels": ["Official statement"]}},
                 {"id": "p3", "from_name": "tone", "to_name": "text", "type": "choices",
                  "value": {"choices": ["neutral"]}},
             ]},
            {"id": 10, "model_version": "", "score": None,
             "result": [{"id": "q1", "from_name": "label", "to_name": "text", "type": "labels",
                         "value": {**quote, "labels": ["Official statement"]}}]},
        ],
        **fields,
    }  # fmt: skip


def labelstudio(*tasks):
    return json.dumps(list(tasks), ensure_ascii=False, indent=1).encode()


class TestLabelStudio:
    def test_each_tasks_predictions_become_suggestions_with_score_and_model_version(
        self, client_for, owner, project, harbour
    ):
        response = post_suggestions(client_for(owner), project, labelstudio(labelstudio_task()), format="labelstudio",
                                    name="project-3-at-2026-12-01.json")  # fmt: skip

        assert response.status_code == 201, response.content
        assert response.json() == {
            "documents": {"matched": 1, "unmatched": 0},
            "suggestions": {"stored": 3, "skipped": 0},
        }
        assert stored() == [
            ("dock-7", "Source attribution", "according to its chair Marta Sousa", 0.88, "attribution-bert-2026-11"),
            ("dock-7", "Official statement", "\"We are not moving,\"", 0.64, "attribution-bert-2026-11"),
            ("dock-7", "Official statement", "\"We are not moving,\"", None, "import"),
        ]
        assert Span.objects.count() == 0  # the annotation is not imported as a span

    def test_a_slant_export_with_predictions_added_in_label_studio_comes_back_as_suggestions(
        self, client_for, owner, project, document
    ):
        export = client_for(owner).get(url(project, "export"), {"format": "labelstudio"})
        tasks = json.loads(b"".join(export.streaming_content))
        tasks[0]["predictions"] = [{"model_version": "quotes-v1", "score": 0.7, "result": [
            {"from_name": "label", "to_name": "text", "type": "labels",
             "value": {**at(ARTICLE, "Ілля Коваль"), "text": "Ілля Коваль", "labels": ["Source attribution"]}}]}]

        response = post_suggestions(client_for(owner), project, labelstudio(*tasks), format="labelstudio")

        assert response.status_code == 201, response.content
        assert stored() == [("talks-1", "Source attribution", "Ілля Коваль", 0.7, "quotes-v1")]


class TestRoundTrip:
    def test_an_imported_suggestion_accepted_is_exported_with_its_source_as_origin(
        self, client_for, owner, annotator, project, harbour
    ):
        post_suggestions(client_for(owner), project, jsonl(harbour_line()))
        client = client_for(annotator)
        listed = client.get(document_url(harbour, "suggestions"), {"open": "true"}).json()["results"]
        chosen = next(s for s in listed if s["source"] == "quotes-model:v3")

        accepted = client.post(document_url(harbour, "suggestions", chosen["id"], "accept"), {}, format="json")
        export = client_for(owner).get(url(project, "export"), {"format": "jsonl"})

        assert accepted.status_code == 201, accepted.content
        assert chosen["text"] == "according to its chair Marta Sousa"
        [line] = [json.loads(row) for row in b"".join(export.streaming_content).splitlines()]
        assert [(span["text"], span["annotator"], span["origin"]) for span in line["spans"]] == [
            ("according to its chair Marta Sousa", "annotator", "quotes-model:v3")
        ]
        assert line["text"] == STORED_HARBOUR

    def test_a_jsonl_export_imported_as_suggestions_suggests_its_spans_again(
        self, client_for, owner, annotator, project, harbour
    ):
        label = Label.objects.get(project=project, name="Editorial appeal")
        client_for(annotator).post(document_url(harbour, "spans"), {"label": label.pk, **at(STORED_HARBOUR,
                                   "will vote on Friday")}, format="json")  # fmt: skip
        export = b"".join(client_for(owner).get(url(project, "export"), {"format": "jsonl"}).streaming_content)

        response = post_suggestions(client_for(owner), project, export, source="last-round")

        assert response.json()["suggestions"] == {"stored": 1, "skipped": 0}
        assert stored() == [("dock-7", "Editorial appeal", "will vote on Friday", None, "last-round")]


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"score": 1.5}, "span 1: score must be null or a number from 0 to 1, not 1.5"),
            ({"score": -0.01}, "span 1: score must be null or a number from 0 to 1, not -0.01"),
            ({"score": "high"}, "span 1: score must be null or a number from 0 to 1, not 'high'"),
            ({"score": True}, "span 1: score must be null or a number from 0 to 1, not True"),
            ({"source": ""}, "span 1: source must be null or a string of 1 to 100 characters"),
            ({"source": "m" * 101}, "span 1: source must be null or a string of 1 to 100 characters"),
            ({"label": "Whataboutism"}, "label 'Whataboutism' is not in this project"),
            ({"start": 0, "end": 900}, "span 1: end 900 is past the end of the text"),
            ({"text": "according to its chair"}, "span 1: text 'according to its chair' is not the text at"),
        ],
    )
    def test_a_bad_span_stores_nothing_and_names_its_line(self, client_for, owner, project, harbour, change, message):
        line = harbour_line()
        line["spans"][0].update(change)
        before = state()

        response = post_suggestions(client_for(owner), project, jsonl({"text": "Unrelated."}, line))

        assert response.status_code == 400, response.content
        [problem] = response.json()["problems"]
        assert problem["line"] == 2
        assert problem["message"].startswith(message)
        assert state() == before

    def test_a_deactivated_label_is_refused(self, client_for, owner, project, harbour):
        Label.objects.filter(project=project, name="Source attribution").update(active=False)

        response = post_suggestions(client_for(owner), project, jsonl(harbour_line()))

        assert response.status_code == 400
        assert response.json()["problems"][0]["message"] == "label 'Source attribution' is deactivated"
        assert Suggestion.objects.count() == 0

    def test_a_document_whose_text_differs_from_the_files_is_refused(self, client_for, owner, project, harbour):
        line = harbour_line(text=HARBOUR.replace("third", "fourth"))
        line["spans"] = [{**at(line["text"], "Sousa told the assembly"), "label": "Source attribution"}]
        before = state()

        response = post_suggestions(client_for(owner), project, jsonl(line))

        assert response.status_code == 400
        [problem] = response.json()["problems"]
        assert problem["line"] == 1
        assert problem["message"].startswith(f"external_id 'dock-7': the text differs from that of the project's"
                                             f" document {harbour.pk}")  # fmt: skip
        assert state() == before

    def test_every_problem_of_a_file_is_listed_and_nothing_is_stored_even_from_good_lines_before_them(
        self, client_for, owner, project, harbour, document
    ):
        good = {"text": ARTICLE, "spans": [{**at(ARTICLE, "in a statement"), "label": "Official statement"}]}
        bad = harbour_line()
        bad["spans"][1]["score"] = 7

        response = post_suggestions(client_for(owner), project, jsonl(good, bad) + b'{"text": "cut')

        assert response.status_code == 400
        assert [problem["line"] for problem in response.json()["problems"]] == [2, 3]
        assert Suggestion.objects.count() == 0

    def test_label_studio_predictions_are_checked_like_spans(self, client_for, owner, project, harbour):
        task = labelstudio_task()
        task["predictions"][0]["result"][0]["score"] = 3
        task["predictions"][0]["result"][1]["value"]["end"] = 10_000
        task["predictions"][1]["model_version"] = {"name": "x"}
        before = state()

        response = post_suggestions(client_for(owner), project, labelstudio(task), format="labelstudio")

        assert response.status_code == 400
        messages = [problem["message"] for problem in response.json()["problems"]]
        assert messages[0] == "task 1, prediction 1, result 1: score must be null or a number from 0 to 1, not 3"
        assert messages[1].startswith("task 1, prediction 1, result 2: end 10000 is past the end of the text")
        assert messages[2] == "task 1, prediction 2: model_version must be a string, not an object"
        assert state() == before

    def test_a_format_without_predictions_is_refused_naming_the_format(self, client_for, owner, project, harbour):
        response = post_suggestions(client_for(owner), project, b"title,text\nA,B\n", format="csv", name="a.csv")

        assert response.status_code == 400
        assert response.json() == {
            "format": ["CSV files hold no predictions; suggestions import from jsonl, labelstudio."]
        }

    def test_creating_labels_is_refused_for_suggestions(self, client_for, owner, project, harbour):
        response = post_suggestions(client_for(owner), project, jsonl(harbour_line()), create_labels="true")

        assert response.status_code == 400
        assert list(response.json()) == ["create_labels"]
        assert Suggestion.objects.count() == 0

    def test_a_source_field_too_long_is_refused(self, client_for, owner, project, harbour):
        response = post_suggestions(client_for(owner), project, jsonl(harbour_line()), source="s" * 101)

        assert response.status_code == 400
        assert list(response.json()) == ["source"]
        assert Suggestion.objects.count() == 0

    def test_an_empty_source_field_is_a_form_left_blank_and_takes_the_default(
        self, client_for, owner, project, harbour
    ):
        response = post_suggestions(client_for(owner), project, jsonl(harbour_line()), source="")

        assert response.status_code == 201
        assert [row[4] for row in stored()] == ["quotes-model:v3", "import"]

    def test_a_source_field_without_the_suggestions_layer_is_refused(self, client_for, owner, project):
        upload = SimpleUploadedFile("a.jsonl", b'{"text": "One."}\n')

        response = client_for(owner).post(url(project, "imports"), {"file": upload, "format": "jsonl",
                                          "source": "m"}, format="multipart")  # fmt: skip

        assert response.status_code == 400
        assert list(response.json()) == ["source"]
        assert Document.objects.filter(project=project).count() == 0

    def test_an_unknown_layer_is_refused_naming_the_layer(self, client_for, owner, project):
        response = post_suggestions(client_for(owner), project, jsonl(harbour_line()), layer="gold")

        assert response.status_code == 400
        assert list(response.json()) == ["layer"]


class TestWhoMayImport:
    def test_a_reviewer_imports_suggestions(self, client_for, reviewer, project, harbour):
        response = post_suggestions(client_for(reviewer), project, jsonl(harbour_line()))

        assert response.status_code == 201, response.content
        assert Suggestion.objects.count() == 2

    def test_a_reviewer_may_not_import_documents_whatever_the_file(self, client_for, reviewer, project):
        upload = SimpleUploadedFile("broken.jsonl", b"not json\n")

        response = client_for(reviewer).post(url(project, "imports"), {"file": upload, "format": "jsonl"},
                                             format="multipart")  # fmt: skip

        assert response.status_code == 403

    def test_an_annotator_may_not_import_suggestions(self, client_for, annotator, project, harbour):
        response = post_suggestions(client_for(annotator), project, jsonl(harbour_line()))

        assert response.status_code == 403
        assert Suggestion.objects.count() == 0

    def test_an_outsider_is_told_the_project_does_not_exist(self, client_for, outsider, project, harbour):
        response = post_suggestions(client_for(outsider), project, jsonl(harbour_line()))

        assert response.status_code == 404
        assert Suggestion.objects.count() == 0


class TestCommand:
    def test_the_command_imports_suggestions_as_a_reviewer(self, project, reviewer, harbour, tmp_path, capsys):
        path = tmp_path / "predictions.jsonl"
        path.write_bytes(jsonl(harbour_line()))

        call_command("import_documents", str(project.pk), str(path), "--format", "jsonl", "--layer", "suggestions",
                     "--user", "reviewer", "--source", "batch-run")  # fmt: skip

        assert json.loads(capsys.readouterr().out)["suggestions"] == {"stored": 2, "skipped": 0}
        assert [row[4] for row in stored()] == ["quotes-model:v3", "batch-run"]

"""The import page's suggestions layer in a real browser: an owner or a reviewer chooses "Suggestions (predictions)",
sends a model's predictions for documents the project has, and sees what was stored, skipped and passed over; the
formats that hold no predictions cannot be chosen."""

import json

import pytest

from annotator.models import Role, Suggestion
from annotator.services.members import member_add
from tests.arrange import member_of
from tests.e2e.conftest import open_as
from tests.factories import UserFactory

# An invented wire item: emoji before the phrase, so offsets in UTF-16 units would land two characters late.
TEXT = "🛳️ Ferry 🇬🇷 talks\nThe harbour master said the crossings would resume on Monday."
PHRASE = "The harbour master said"


@pytest.fixture
def setting_documents():
    return [{"text": TEXT, "title": "Ferry talks", "external_id": "ferry-3"}]


def predictions_upload(name="predictions.json"):
    start = TEXT.index(PHRASE)
    region = {"start": start, "end": start + len(PHRASE), "text": PHRASE, "labels": ["Source attribution"]}
    task = {
        "id": 31,
        "data": {"text": TEXT, "external_id": "ferry-3"},
        "annotations": [],
        "predictions": [{"model_version": "wire-ner-5", "score": 0.8, "result": [
            {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": region}]}],
    }  # fmt: skip
    stranger = {"data": {"text": "A report this project never had."}, "predictions": []}
    return {"name": name, "mimeType": "application/json", "buffer": json.dumps([task, stranger]).encode()}


def outcome(page):
    status = page.locator("[data-testid='import-status']")
    page.wait_for_function("() => document.querySelector(\"[data-testid='import-files']\").dataset.state === 'done'")
    return status.inner_text()


class TestImportSuggestions:
    def test_an_owner_imports_label_studio_predictions_and_sends_them_again(self, page, setting):
        project, owner = setting.project, setting.owner
        open_as(page, owner, f"/projects/{project.pk}/import/")
        assert page.locator("#import-source").is_hidden()

        page.get_by_label("Suggestions (predictions)").check()
        assert page.locator("#import-create-labels").is_hidden()
        assert page.locator("#import-format option[value='csv']").is_disabled()
        page.set_input_files("#import-file", predictions_upload())
        assert page.locator("#import-format").input_value() == "labelstudio"
        page.get_by_role("button", name="Import").click()

        assert outcome(page) == (
            "Imported 1 suggestion on 1 document; 1 record of documents the project lacks was passed over."
        )
        result = page.locator("[data-testid='import-result']")
        assert result.locator("[data-count='suggestions.stored']").inner_text() == "1"
        assert result.locator("[data-count='documents.unmatched']").inner_text() == "1"
        assert result.locator("[data-count='documents.stored']").is_hidden()
        suggestion = Suggestion.objects.get()
        found = (TEXT[suggestion.start : suggestion.end], suggestion.score, suggestion.source)
        assert found == (PHRASE, 0.8, "wire-ner-5")
        assert page.get_by_label("Suggestions (predictions)").is_checked()  # the choice outlives the form's reset

        page.set_input_files("#import-file", predictions_upload())
        page.get_by_role("button", name="Import").click()

        assert outcome(page).startswith("Imported 0 suggestions on 1 document; 1 suggestion already there was skipped")
        row = page.locator("[data-testid='import-files'] tr[data-file='predictions.json']")
        assert row.locator("[data-count='suggestions.skipped']").inner_text() == "1"
        assert Suggestion.objects.count() == 1

    def test_a_reviewer_imports_json_lines_predictions_under_a_source_of_their_choosing(self, page, setting):
        project = setting.project
        reviewer = UserFactory(username="reviewer")
        member_add(actor=member_of(setting.owner, project), username="reviewer", role=Role.REVIEWER)
        start = TEXT.index(PHRASE)
        line = {"external_id": "ferry-3", "text": TEXT,
                "spans": [{"start": start, "end": start + len(PHRASE), "label": "Source attribution"}]}  # fmt: skip
        open_as(page, reviewer, f"/projects/{project.pk}/import/")
        assert page.locator("#import-heading").inner_text() == "Import suggestions"

        page.fill("#import-source", "newsroom-tagger")
        page.set_input_files("#import-file", {"name": "tags.jsonl", "mimeType": "application/json",
                                              "buffer": (json.dumps(line) + "\n").encode()})  # fmt: skip
        page.get_by_role("button", name="Import").click()

        assert outcome(page) == "Imported 1 suggestion on 1 document."
        assert list(Suggestion.objects.values_list("source", flat=True)) == ["newsroom-tagger"]

    def test_a_bad_prediction_lists_its_problem_and_stores_nothing(self, page, setting):
        project, owner = setting.project, setting.owner
        line = {"external_id": "ferry-3", "text": TEXT,
                "spans": [{"start": 0, "end": 5, "label": "Source attribution", "score": 4}]}  # fmt: skip
        open_as(page, owner, f"/projects/{project.pk}/import/")
        page.get_by_label("Suggestions (predictions)").check()
        page.set_input_files("#import-file", {"name": "bad.jsonl", "mimeType": "application/json",
                                              "buffer": (json.dumps(line) + "\n").encode()})  # fmt: skip
        page.get_by_role("button", name="Import").click()
        problems = page.locator("[data-testid='import-problems']")
        problems.wait_for()

        assert "span 1: score must be null or a number from 0 to 1, not 4" in problems.inner_text()
        assert Suggestion.objects.count() == 0

import pytest

from tests.arrange import submit
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD


@pytest.fixture
def setting_documents():
    return [
        {"text": "The envoy spoke.", "title": "Envoy speaks", "source": "Wire One"},
        {"text": "Talks would resume.", "title": "Talks resume", "source": "Wire One"},
        {"text": "Harbour strike ends.", "title": "Harbour strike", "source": "Daily Two"},
    ]


@pytest.fixture
def queue(setting):
    """The annotator's three documents, the first already submitted."""
    submit(setting.annotator, setting.documents[0])
    return setting.project, setting.documents, setting.annotator


class TestProjectPages:
    def test_continue_annotating_opens_the_first_document_not_yet_submitted(self, page, queue):
        project, documents, annotator = queue
        sign_in(page, annotator, PASSWORD)

        page.click(f"[data-project-id='{project.pk}'] a")
        page.click("[data-testid='continue']")
        page.wait_for_selector("[data-testid='document-text'][data-ready='true']")

        assert page.url.endswith(f"/projects/{project.pk}/documents/{documents[1].pk}/")
        assert page.locator("[data-testid='document-text']").text_content() == "Talks would resume."

    def test_searching_the_documents_narrows_the_table(self, page, queue):
        project, documents, annotator = queue
        sign_in(page, annotator, PASSWORD)
        page.goto(f"/projects/{project.pk}/documents/")
        assert page.locator("[data-document-id]").count() == 3

        page.fill("input[name=q]", "harbour")
        page.click("[data-testid='filters'] button[type=submit]")
        page.wait_for_url("**/documents/?q=harbour*")

        assert page.locator("[data-document-id]").all_inner_texts()[0].startswith("Harbour strike")
        assert page.locator("[data-document-id]").count() == 1

import pytest

from annotator.access import access_project
from annotator.models import Role
from annotator.services.assignments import document_submit
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def setting(transactional_db):
    """An annotator with three documents, the first already submitted."""
    owner, annotator = UserFactory(username="owner"), UserFactory(username="annotator")
    project = project_create(user=owner, name="Ceasefire coverage", label_preset="framing")
    member_add(actor=access_project(owner, project.pk), username="annotator", role=Role.ANNOTATOR)
    documents = document_create_many(
        member=access_project(owner, project.pk),
        items=[
            {"text": "The envoy spoke.", "title": "Envoy speaks", "source": "Wire One"},
            {"text": "Talks would resume.", "title": "Talks resume", "source": "Wire One"},
            {"text": "Harbour strike ends.", "title": "Harbour strike", "source": "Daily Two"},
        ],
    )
    document_submit(member=access_project(annotator, project.pk), document=documents[0])
    return project, documents, annotator


class TestProjectPages:
    def test_continue_annotating_opens_the_first_document_not_yet_submitted(self, page, setting):
        project, documents, annotator = setting
        sign_in(page, annotator, PASSWORD)

        page.click(f"[data-project-id='{project.pk}'] a")
        page.click("[data-testid='continue']")
        page.wait_for_selector("[data-testid='document-text'][data-ready='true']")

        assert page.url.endswith(f"/projects/{project.pk}/documents/{documents[1].pk}/")
        assert page.locator("[data-testid='document-text']").text_content() == "Talks would resume."

    def test_searching_the_documents_narrows_the_table(self, page, setting):
        project, documents, annotator = setting
        sign_in(page, annotator, PASSWORD)
        page.goto(f"/projects/{project.pk}/documents/")
        assert page.locator("[data-document-id]").count() == 3

        page.fill("input[name=q]", "harbour")
        page.click("[data-testid='filters'] button[type=submit]")
        page.wait_for_url("**/documents/?q=harbour*")

        assert page.locator("[data-document-id]").all_inner_texts()[0].startswith("Harbour strike")
        assert page.locator("[data-document-id]").count() == 1

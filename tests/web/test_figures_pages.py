"""The pages that read the stored per-document figures (issue 18): the review queue in their order, the review
page showing a document's own figures."""

from annotator.services.figures import figures_refresh
from tests.api.test_figures_api import add_worked
from tests.web.arrange import signed_in
from tests.web.html import attribute, find, find_all, text, tree


class TestStoredFiguresOnThePages:
    def test_the_review_queue_puts_the_least_overlap_first(
        self, client, owner, reviewer, project, annotator, annotator2
    ):
        documents = add_worked(owner, project, annotator, annotator2, 4)
        figures_refresh(project_id=project.pk)
        signed_in(client, reviewer)

        response = client.get(f"/projects/{project.pk}/review/")

        page = tree(response)
        assert response.status_code == 200
        order = [int(attribute(node, "data-document-id")) for node in find_all(page, "data-document-id")]
        assert order == [documents[i].pk for i in (0, 3, 1, 2)]  # 0.53, 0.53 (ties by id), 1.0, 1.0
        assert [text(node) for node in find_all(page, "data-f1")] == ["0.53", "0.53", "1.00", "1.00"]

    def test_the_review_page_shows_the_documents_figures(self, client, owner, reviewer, project, annotator, annotator2):
        documents = add_worked(owner, project, annotator, annotator2, 2)
        figures_refresh(project_id=project.pk)
        signed_in(client, reviewer)

        page = tree(client.get(f"/projects/{project.pk}/documents/{documents[0].pk}/review/"))

        figures = find(page, "data-testid", "document-figures")
        assert "2 annotators" in text(figures)
        assert text(find(figures, "data-field", "span_f1_overlap")) == "0.526"

import pytest

from annotator.access import access_project
from annotator.models import Assignment, Document, Span
from annotator.services.documents import document_create_many
from tests.conftest import url
from tests.factories import ARTICLE


def span_body(label, phrase):
    start = ARTICLE.index(phrase)
    return {"label": label.pk, "start": start, "end": start + len(phrase)}


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


class TestDocumentCreate:
    def test_posting_one_object_answers_201_with_the_object(self, client_for, owner, project):
        body = {
            "text": "Officials said the talks would resume.",
            "title": "Talks",
            "external_id": "wire-7",
            "source": "Wire One",
            "url": "https://example.org/talks",
            "author": "A. Writer",
            "published_at": "2024-03-01T09:30:00Z",
            "language": "en",
            "metadata": {"section": "world", "tags": ["talks"]},
        }

        response = client_for(owner).post(url(project, "documents"), body)

        assert response.status_code == 201, response.json()
        assert isinstance(response.json(), dict)
        assert {k: response.json()[k] for k in body} == body
        document = Document.objects.get(pk=response.json()["id"])
        assert (document.project, document.external_id, document.metadata) == (project, "wire-7", body["metadata"])

    def test_posting_a_list_answers_201_with_the_list(self, client_for, owner, project):
        body = [{"text": "First article.", "title": "One"}, {"text": "Second article.", "title": "Two"}]

        response = client_for(owner).post(url(project, "documents"), body)

        assert response.status_code == 201, response.json()
        assert [row["title"] for row in response.json()] == ["One", "Two"]
        assert set(Document.objects.filter(project=project).values_list("title", flat=True)) == {"One", "Two"}

    def test_line_endings_become_newlines(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "documents"), {"text": "One.\r\nTwo.\rThree.\n"})

        assert response.status_code == 201, response.json()
        assert response.json()["text"] == "One.\nTwo.\nThree.\n"
        assert Document.objects.get(pk=response.json()["id"]).text == "One.\nTwo.\nThree.\n"

    def test_text_is_otherwise_stored_as_given(self, client_for, owner, project):
        text = "  Indented\tlead,  double  spaces and a trailing blank line.\n\n"

        response = client_for(owner).post(url(project, "documents"), {"text": text})

        assert response.status_code == 201, response.json()
        assert Document.objects.get(pk=response.json()["id"]).text == text

    def test_a_taken_external_id_is_refused_and_nothing_is_stored(self, client_for, owner, document):
        body = [{"text": "New.", "external_id": "new-1"}, {"text": "Again.", "external_id": document.external_id}]

        response = client_for(owner).post(url(document.project, "documents"), body)

        assert response.status_code == 400
        assert response.json()[0] == {}
        assert "external_id" in response.json()[1]
        assert list(Document.objects.filter(project=document.project)) == [document]

    def test_an_external_id_repeated_in_one_list_is_refused_and_nothing_is_stored(self, client_for, owner, project):
        body = [{"text": "One.", "external_id": "dup"}, {"text": "Two.", "external_id": "dup"}]

        response = client_for(owner).post(url(project, "documents"), body)

        assert response.status_code == 400
        assert "external_id" in response.json()[1]
        assert not Document.objects.filter(project=project).exists()
        assert not Assignment.objects.filter(document__project=project).exists()

    def test_the_same_external_id_in_another_project_is_free(self, client_for, owner, project, other_project):
        Document.objects.filter(project=other_project).update(external_id="talks-1")

        response = client_for(owner).post(url(project, "documents"), {"text": "Mine.", "external_id": "talks-1"})

        assert response.status_code == 201, response.json()

    def test_documents_without_an_external_id_may_be_many(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "documents"), [{"text": "One."}, {"text": "Two."}])

        assert response.status_code == 201, response.json()
        assert Document.objects.filter(project=project, external_id="").count() == 2

    def test_the_same_text_twice_is_stored_twice_as_asked(self, client_for, owner, project):
        # Only imports skip a text the project has: a POST creates what it is given, and answers with all of it.
        response = client_for(owner).post(url(project, "documents"), [{"text": "Same."}, {"text": "Same."}])

        assert response.status_code == 201, response.json()
        assert len(response.json()) == 2
        assert Document.objects.filter(project=project, text="Same.").count() == 2


@pytest.fixture
def queue(project, owner, annotator, annotator2):
    """Three documents. `annotator` has the first two; `annotator2` all three. annotator submitted the first;
    annotator2 started the second."""
    first, second, third = document_create_many(
        member=access_project(owner, project.pk),
        items=[
            {"text": ARTICLE, "title": "Ceasefire talks resume", "source": "Wire One", "external_id": "a"},
            {"text": ARTICLE, "title": "Markets", "source": "Daily Two", "external_id": "b"},
            {"text": "A ceasefire held overnight.", "title": "Overnight", "source": "Wire One", "external_id": "c"},
        ],
    )
    Assignment.objects.filter(document=third, user=annotator).delete()
    return first, second, third


class TestDocumentFilters:
    def test_the_list_holds_every_document_in_id_order_with_its_assignments(self, client_for, reviewer, queue):
        response = client_for(reviewer).get(url(queue[0].project, "documents"))

        assert ids(response) == [doc.pk for doc in queue]
        first = response.json()["results"][0]
        assert {(a["username"], a["status"]) for a in first["assignments"]} == {
            ("annotator", "assigned"),
            ("annotator2", "assigned"),
        }

    def test_assigned_to_me_keeps_the_callers_documents(self, client_for, annotator, owner, queue):
        project = queue[0].project

        assert ids(client_for(annotator).get(url(project, "documents"), {"assigned_to": "me"})) == [
            queue[0].pk,
            queue[1].pk,
        ]
        assert ids(client_for(owner).get(url(project, "documents"), {"assigned_to": "me"})) == []

    def test_status_with_assigned_to_me_is_the_callers_own_status(
        self, client_for, annotator, annotator2, label, queue
    ):
        first, second, third = queue
        project = first.project
        assert client_for(annotator).post(url(project, "documents", first, "submit")).status_code == 200
        started = client_for(annotator2).post(
            url(project, "documents", second, "spans"), span_body(label, "told reporters")
        )
        assert started.status_code == 201, started.json()

        def mine(user, status):
            return ids(client_for(user).get(url(project, "documents"), {"assigned_to": "me", "status": status}))

        assert mine(annotator, "submitted") == [first.pk]
        assert mine(annotator, "in_progress") == []
        assert mine(annotator, "assigned") == [second.pk]
        assert mine(annotator2, "in_progress") == [second.pk]
        assert mine(annotator2, "assigned") == [first.pk, third.pk]
        assert mine(annotator2, "submitted") == []

    def test_q_searches_title_and_text_ignoring_case(self, client_for, annotator, queue):
        project = queue[0].project

        by_title = ids(client_for(annotator).get(url(project, "documents"), {"q": "MARKETS"}))
        by_text = ids(client_for(annotator).get(url(project, "documents"), {"q": "ceasefire"}))

        assert by_title == [queue[1].pk]
        assert by_text == [queue[0].pk, queue[2].pk]

    def test_filters_combine(self, client_for, annotator, queue):
        response = client_for(annotator).get(
            url(queue[0].project, "documents"), {"assigned_to": "me", "q": "ceasefire"}
        )

        assert ids(response) == [queue[0].pk]


class TestDocumentAssignmentsShown:
    def test_a_blind_annotator_sees_only_their_own_assignment(self, client_for, annotator, project, document):
        client = client_for(annotator)

        listed = client.get(url(project, "documents")).json()["results"][0]["assignments"]
        detail = client.get(url(project, "documents", document)).json()["assignments"]

        assert [row["username"] for row in listed] == ["annotator"]
        assert [row["username"] for row in detail] == ["annotator"]

    def test_in_an_open_project_annotators_see_every_assignment(self, client_for, annotator, project, document):
        project.blind = False
        project.save()

        listed = client_for(annotator).get(url(project, "documents")).json()["results"][0]["assignments"]

        assert sorted(row["username"] for row in listed) == ["annotator", "annotator2"]


class TestDocumentUpdate:
    def test_text_changes_while_no_span_points_into_it(self, client_for, owner, document):
        response = client_for(owner).patch(url(document.project, "documents", document), {"text": "New\r\ntext."})

        assert response.status_code == 200, response.json()
        document.refresh_from_db()
        assert document.text == "New\ntext."

    def test_text_change_once_a_span_exists_is_refused_with_409(self, client_for, owner, annotator, document, label):
        client_for(annotator).post(url(document.project, "documents", document, "spans"), span_body(label, "told"))

        response = client_for(owner).patch(url(document.project, "documents", document), {"text": "Rewritten."})

        assert response.status_code == 409
        assert "detail" in response.json()
        document.refresh_from_db()
        assert document.text == ARTICLE

    def test_other_fields_change_once_spans_exist(self, client_for, owner, annotator, document, label):
        client_for(annotator).post(url(document.project, "documents", document, "spans"), span_body(label, "told"))

        response = client_for(owner).patch(
            url(document.project, "documents", document), {"title": "Talks to resume", "source": "Wire Two"}
        )

        assert response.status_code == 200, response.json()
        document.refresh_from_db()
        assert (document.title, document.source, document.text) == ("Talks to resume", "Wire Two", ARTICLE)

    def test_resending_the_same_text_once_spans_exist_is_accepted(self, client_for, owner, annotator, document, label):
        client_for(annotator).post(url(document.project, "documents", document, "spans"), span_body(label, "told"))

        response = client_for(owner).patch(
            url(document.project, "documents", document), {"text": ARTICLE, "title": "Same text"}
        )

        assert response.status_code == 200, response.json()
        assert response.json()["title"] == "Same text"

    def test_an_external_id_another_document_has_is_refused(self, client_for, owner, document):
        [other] = document_create_many(
            member=access_project(owner, document.project_id), items=[{"text": "Other.", "external_id": "other"}]
        )

        response = client_for(owner).patch(url(document.project, "documents", other), {"external_id": "talks-1"})

        assert response.status_code == 400
        assert "external_id" in response.json()
        other.refresh_from_db()
        assert other.external_id == "other"


class TestDocumentDelete:
    def test_owner_deletes_a_document_with_its_spans_and_assignments(
        self, client_for, owner, annotator, document, label
    ):
        client_for(annotator).post(url(document.project, "documents", document, "spans"), span_body(label, "told"))

        response = client_for(owner).delete(url(document.project, "documents", document))

        assert response.status_code == 204
        assert not Document.objects.filter(pk=document.pk).exists()
        assert not Span.objects.filter(document_id=document.pk).exists()
        assert not Assignment.objects.filter(document_id=document.pk).exists()
        assert client_for(owner).get(url(document.project, "documents", document)).status_code == 404

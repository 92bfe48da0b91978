"""The documents page: who may open it, what each role sees, its filters, pages and query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotator.access import access_project
from annotator.models import DocumentFigures
from annotator.services.documents import document_create_many
from annotator.services.projects import project_update
from tests.arrange import draw, draw_gold
from tests.factories import ARTICLE
from tests.web.arrange import FIRST_WORDS, HOSTILE, add_documents, assert_sent_to_sign_in, signed_in
from tests.web.html import attribute, find, find_all, text, tree


def path(project):
    return f"/projects/{project.pk}/documents/"


def listed(response):
    """The titles of the table's rows, in order."""
    return [text(find(row, "href")) for row in find_all(tree(response), "data-document-id")]


def workers(response, document):
    """{username: (status, spans)} of one document's row."""
    row = find(tree(response), "data-document-id", document.pk)
    return {
        attribute(item, "data-username"): (
            attribute(find(item, "data-status"), "data-status") or None,
            text(find(item, "data-field", "spans")),
        )
        for item in find_all(row, "data-username")
    }


@pytest.fixture
def split(project, owner, annotator, annotator2):
    """One annotator per document, so the two annotators' queues differ: Story 0 and 2 go to annotator."""
    project_update(member=access_project(owner, project.pk), annotators_per_document=1)
    return add_documents(owner, project, 4)


class TestAccess:
    @pytest.mark.parametrize("role", ["owner", "reviewer", "annotator"])
    def test_every_member_opens_the_page(self, client, project, work, role, request):
        response = signed_in(client, request.getfixturevalue(role)).get(path(project))

        assert response.status_code == 200
        assert listed(response)

    def test_an_outsider_is_told_the_project_does_not_exist(self, client, project, outsider):
        assert signed_in(client, outsider).get(path(project)).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, project):
        response = client.get(path(project))

        assert_sent_to_sign_in(response, path(project))


class TestTable:
    def test_an_owner_sees_every_annotators_status_and_spans(self, client, project, owner, work):
        first, second, third = work

        response = signed_in(client, owner).get(path(project))

        assert listed(response) == ["Story 0", "Story 1", "Story 2"]
        assert workers(response, first) == {
            "annotator": ("submitted", "2 spans"),
            "annotator2": ("in_progress", "1 span"),
        }
        assert workers(response, second) == {
            "annotator": ("in_progress", "1 span"),
            "annotator2": ("assigned", "0 spans"),
        }
        assert workers(response, third) == {
            "annotator": ("assigned", "0 spans"),
            "annotator2": ("submitted", "0 spans"),
        }

    def test_a_row_shows_source_published_date_and_external_id_and_links_to_the_annotate_page(
        self, client, project, owner
    ):
        [document] = document_create_many(
            member=access_project(owner, project.pk),
            items=[
                {
                    "text": ARTICLE,
                    "title": "Talks resume",
                    "source": "Wire One",
                    "external_id": "talks-1",
                    "published_at": datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.UTC),
                }
            ],
        )

        row = find(tree(signed_in(client, owner).get(path(project))), "data-document-id", document.pk)

        assert text(row).startswith("Talks resume Wire One 1 May 2024 talks-1")
        assert attribute(find(row, "href"), "href") == f"/projects/{project.pk}/documents/{document.pk}/"

    def test_an_untitled_document_shows_its_first_words(self, client, project, owner):
        document_create_many(member=access_project(owner, project.pk), items=[{"text": ARTICLE}])

        response = signed_in(client, owner).get(path(project))

        assert listed(response) == [FIRST_WORDS]

    def test_a_span_author_who_is_not_assigned_is_listed_with_their_spans(self, client, project, reviewer, work):
        first, _, _ = work
        draw(reviewer, first, "Diplomatic claim", "talks would resume")

        response = signed_in(client, reviewer).get(path(project))

        assert workers(response, first)["reviewer"] == (None, "1 span")

    def test_a_blind_projects_annotator_sees_only_their_own_documents_status_and_spans(
        self, client, project, annotator, split
    ):
        draw(annotator, split[0], "Source attribution")

        response = signed_in(client, annotator).get(path(project))

        assert listed(response) == ["Story 0", "Story 2"]
        assert workers(response, split[0]) == {"annotator": ("in_progress", "1 span")}
        assert "annotator2" not in response.content.decode()

    def test_a_blind_projects_annotator_sees_nothing_of_the_other_annotator_on_a_shared_document(
        self, client, project, annotator, annotator2, work
    ):
        response = signed_in(client, annotator).get(path(project))

        assert workers(response, work[0]) == {"annotator": ("submitted", "2 spans")}
        assert "annotator2" not in response.content.decode()

    def test_in_an_open_project_an_annotator_sees_everyone_on_their_documents(
        self, client, project, owner, annotator, work
    ):
        project_update(member=access_project(owner, project.pk), blind=False)

        response = signed_in(client, annotator).get(path(project))

        assert workers(response, work[0]) == {
            "annotator": ("submitted", "2 spans"),
            "annotator2": ("in_progress", "1 span"),
        }

    def test_titles_and_fields_are_escaped(self, client, project, owner):
        add_documents(owner, project, 1, title=HOSTILE, external_id=HOSTILE)

        body = signed_in(client, owner).get(path(project)).content.decode()

        assert HOSTILE not in body
        assert "&lt;img src=x onerror=alert(1)&gt;" in body


class TestFilters:
    def test_q_searches_title_text_source_and_external_id(self, client, project, owner):
        member = access_project(owner, project.pk)
        document_create_many(
            member=member,
            items=[
                {"text": "About the harbour.", "title": "Harbour"},
                {"text": "The ferry strike goes on.", "title": "Strike"},
                {"text": "Nothing here.", "title": "Outlet", "source": "Harbour Gazette"},
                {"text": "Nothing here.", "title": "External", "external_id": "harbour-7"},
                {"text": "Nothing here.", "title": "Unrelated"},
            ],
        )
        client = signed_in(client, owner)

        assert listed(client.get(path(project), {"q": "harbour"})) == ["Harbour", "Outlet", "External"]
        assert listed(client.get(path(project), {"q": "ferry"})) == ["Strike"]

    def test_status_alone_keeps_documents_where_any_annotator_has_it(self, client, project, owner, work):
        client = signed_in(client, owner)

        assert listed(client.get(path(project), {"status": "submitted"})) == ["Story 0", "Story 2"]
        assert listed(client.get(path(project), {"status": "assigned"})) == ["Story 1", "Story 2"]

    def test_annotator_narrows_to_their_documents_and_status_to_theirs(self, client, project, owner, work):
        client = signed_in(client, owner)

        assert listed(client.get(path(project), {"annotator": "annotator2", "status": "submitted"})) == ["Story 2"]
        assert listed(client.get(path(project), {"annotator": "annotator", "status": "in_progress"})) == ["Story 1"]

    def test_an_annotators_status_filter_means_their_own_status(self, client, project, annotator, work):
        client = signed_in(client, annotator)

        assert listed(client.get(path(project), {"status": "submitted"})) == ["Story 0"]
        assert listed(client.get(path(project), {"status": "assigned"})) == ["Story 2"]

    def test_an_annotator_cannot_look_at_another_annotators_queue(self, client, project, annotator, split):
        response = signed_in(client, annotator).get(path(project), {"annotator": "annotator2"})

        assert listed(response) == ["Story 0", "Story 2"]
        assert list(find_all(tree(response), "name", "annotator")) == []

    def test_source_keeps_one_outlets_documents(self, client, project, owner, work):
        response = signed_in(client, owner).get(path(project), {"source": "Daily Two"})

        assert listed(response) == ["Story 1"]

    def test_the_source_choices_are_the_projects_outlets(self, client, project, owner, work):
        page = tree(signed_in(client, owner).get(path(project)))

        select = find(find(page, "data-testid", "filters"), "name", "source")
        assert [text(option) for option in select.children] == ["Any source", "Daily Two", "Wire One"]

    def test_filters_combine(self, client, project, owner, work):
        response = signed_in(client, owner).get(path(project), {"source": "Wire One", "status": "in_progress"})

        assert listed(response) == ["Story 0"]

    def test_values_that_are_not_choices_are_ignored(self, client, project, owner, work):
        response = signed_in(client, owner).get(path(project), {"status": "nonsense", "annotator": "nobody"})

        assert listed(response) == ["Story 0", "Story 1", "Story 2"]

    def test_no_match_says_so(self, client, project, owner, work):
        response = signed_in(client, owner).get(path(project), {"q": "no such words"})

        assert listed(response) == []
        assert "No document matches these filters." in response.content.decode()


class TestAgreementOrder:
    """`?sort=agreement` lists the documents by their kept overlap F1 (services.figures), the lowest first and those
    never compared last, as the review queue does; the choice is for those who see everyone's work."""

    @pytest.fixture
    def kept(self, project, owner):
        documents = add_documents(owner, project, 4)
        for document, f1 in zip(documents, [0.9, None, 0.2, 0.5], strict=True):
            if f1 is not None:
                DocumentFigures.objects.create(
                    document=document, project=project, fingerprint="x", annotators=2, span_f1_overlap=f1,
                    computed_at=timezone.now(),
                )  # fmt: skip
        return documents

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_least_agreement_first_then_those_never_compared(self, client, project, kept, role, request):
        response = signed_in(client, request.getfixturevalue(role)).get(path(project), {"sort": "agreement"})

        assert listed(response) == ["Story 2", "Story 3", "Story 0", "Story 1"]
        cells = [text(cell) for cell in find_all(tree(response), "data-field", "agreement")]
        assert cells == ["0.20", "0.50", "0.90", "not compared"]

    def test_without_it_the_order_is_the_documents_own(self, client, project, kept, owner):
        response = signed_in(client, owner).get(path(project))

        assert listed(response) == ["Story 0", "Story 1", "Story 2", "Story 3"]
        assert not list(find_all(tree(response), "data-field", "agreement"))

    def test_an_annotator_is_not_offered_it_and_asking_keeps_the_documents_order(
        self, client, project, kept, annotator
    ):
        response = signed_in(client, annotator).get(path(project), {"sort": "agreement"})

        assert listed(response) == ["Story 0", "Story 1", "Story 2", "Story 3"]
        assert b"Least agreement first" not in response.content


class TestPages:
    def test_fifty_documents_to_a_page_with_links_that_keep_the_filters(self, client, project, owner):
        add_documents(owner, project, 60)
        client = signed_in(client, owner)

        first = client.get(path(project), {"q": "Story"})
        second = client.get(path(project), {"q": "Story", "page": 2})

        assert listed(first) == [f"Story {i}" for i in range(50)]
        assert listed(second) == [f"Story {i}" for i in range(50, 60)]
        assert attribute(find(tree(first), "rel", "next"), "href") == "?q=Story&page=2"
        assert "60 documents match" in text(find(tree(first), "data-testid", "count"))

    def test_a_page_past_the_end_shows_the_last(self, client, project, owner):
        add_documents(owner, project, 60)

        response = signed_in(client, owner).get(path(project), {"page": 9})

        assert listed(response) == [f"Story {i}" for i in range(50, 60)]


class TestQueryCount:
    # Session, user, member; annotators, sources; count, page; assignments and spans of the page's documents; for
    # an owner, what points into each document's text (its edit and delete buttons need it).
    QUERIES = {"owner": 10, "annotator": 9}

    @pytest.mark.parametrize("role", ["owner", "annotator"])
    def test_the_page_costs_the_same_queries_for_3_and_60_documents(
        self, client, project, owner, annotator, role, request, django_assert_max_num_queries
    ):
        signed_in(client, request.getfixturevalue(role))
        for document in add_documents(owner, project, 3):
            draw(annotator, document, "Source attribution")
        with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(self.QUERIES[role]):
            client.get(path(project), {"q": "Story"})
        for document in add_documents(owner, project, 57, offset=3):
            draw(annotator, document, "Editorial appeal", "donate")
        with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(self.QUERIES[role]):
            response = client.get(path(project), {"q": "Story"})

        assert len(listed(response)) == 50
        assert len(many) == len(few)


class TestOwnerControls:
    def test_an_owner_gets_edit_and_delete_on_each_row_with_what_points_into_its_text(
        self, client, project, owner, reviewer, work
    ):
        first, second, third = work
        draw_gold(reviewer, second, "Source attribution", "told reporters")
        page = tree(signed_in(client, owner).get(path(project)))

        rows = {int(attribute(row, "data-document-id")): row for row in find_all(page, "data-document-id")}
        assert {pk: (attribute(row, "data-spans"), attribute(row, "data-gold")) for pk, row in rows.items()} == {
            first.pk: ("3", "0"),
            second.pk: ("1", "1"),
            third.pk: ("0", "0"),
        }
        assert [text(button) for button in find_all(rows[first.pk], "data-action")] == ["Edit", "Delete"]
        assert attribute(find(rows[first.pk], "data-action", "delete"), "aria-label") == "Delete Story 0"
        assert list(find_all(page, "data-testid", "document-editor"))
        assert list(find_all(page, "data-testid", "delete-confirm"))

    @pytest.mark.parametrize("role", ["reviewer", "annotator"])
    def test_other_members_get_neither_the_controls_nor_the_script(self, client, project, work, role, request):
        response = signed_in(client, request.getfixturevalue(role)).get(path(project))
        page = tree(response)

        assert not list(find_all(page, "data-action"))
        assert not list(find_all(page, "data-spans"))
        assert not list(find_all(page, "data-testid", "document-editor"))
        assert b"documents.js" not in response.content

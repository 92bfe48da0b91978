"""The project overview page: who may open it, the figures it shows, the user's own queue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.services.documents import document_create_many
from annotator.services.projects import project_update
from tests.arrange import accept, draw, draw_gold, reject, submit, suggest
from tests.factories import ARTICLE
from tests.web.arrange import FIRST_WORDS, HOSTILE, add_documents, assert_sent_to_sign_in, signed_in
from tests.web.html import attribute, find, find_all, text, tree


def path(project):
    return f"/projects/{project.pk}/"


def figures(row):
    return {attribute(cell, "data-field"): text(cell) for cell in find_all(row, "data-field")}


class TestAccess:
    @pytest.mark.parametrize("role", ["owner", "reviewer", "annotator"])
    def test_every_member_opens_the_page(self, client, project, role, request):
        response = signed_in(client, request.getfixturevalue(role)).get(path(project))

        assert response.status_code == 200
        assert "Ceasefire coverage" in response.content.decode()

    def test_an_outsider_is_told_the_project_does_not_exist(self, client, project, outsider):
        assert signed_in(client, outsider).get(path(project)).status_code == 404

    def test_an_unknown_project_is_not_found(self, client, project, owner):
        assert signed_in(client, owner).get(f"/projects/{project.pk + 1000}/").status_code == 404

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, project):
        response = client.get(path(project))

        assert_sent_to_sign_in(response, path(project))


class TestFigures:
    def test_progress_per_annotator_counts_statuses_and_spans(self, client, project, owner, work):
        page = tree(signed_in(client, owner).get(path(project)))

        progress = find(page, "data-testid", "progress")
        assert figures(find(progress, "data-username", "annotator")) == {
            "total": "3", "assigned": "1", "in_progress": "1", "submitted": "1", "spans": "3",
        }  # fmt: skip
        assert figures(find(progress, "data-username", "annotator2")) == {
            "total": "3", "assigned": "1", "in_progress": "1", "submitted": "1", "spans": "1",
        }  # fmt: skip
        bar = find(find(progress, "data-username", "annotator"), "max")
        assert (bar.name, attribute(bar, "value"), attribute(bar, "max")) == ("progress", "1", "3")

    def test_spans_per_label_come_with_the_label_colour(self, client, project, owner, work):
        page = tree(signed_in(client, owner).get(path(project)))

        labels = find(page, "data-testid", "label-stats")
        attribution = project.labels.get(name="Source attribution")
        row = find(labels, "data-label-id", attribution.pk)
        assert figures(row) == {"spans": "3"}
        assert attribute(find(row, "fill"), "fill") == attribution.color
        appeal = project.labels.get(name="Editorial appeal")
        assert figures(find(labels, "data-label-id", appeal.pk)) == {"spans": "1"}
        assert len(list(find_all(labels, "data-label-id"))) == project.labels.count()

    def test_documents_and_spans_per_source(self, client, project, owner, work):
        page = tree(signed_in(client, owner).get(path(project)))

        sources = find(page, "data-testid", "source-stats")
        assert figures(find(sources, "data-source", "Wire One")) == {"documents": "2", "spans": "3"}
        assert figures(find(sources, "data-source", "Daily Two")) == {"documents": "1", "spans": "1"}

    def test_a_blind_projects_annotator_sees_only_their_own_figures(self, client, project, annotator, work):
        response = signed_in(client, annotator).get(path(project))
        page = tree(response)

        assert "annotator2" not in response.content.decode()
        assert [attribute(row, "data-username") for row in find_all(page, "data-username")] == ["annotator"]
        attribution = project.labels.get(name="Source attribution")
        assert figures(find(page, "data-label-id", attribution.pk)) == {"spans": "2"}
        sources = find(page, "data-testid", "source-stats")
        assert figures(find(sources, "data-source", "Wire One")) == {"documents": "2", "spans": "2"}

    def test_in_an_open_project_an_annotator_sees_everyones_figures(self, client, project, owner, annotator, work):
        project_update(member=access_project(owner, project.pk), blind=False)

        page = tree(signed_in(client, annotator).get(path(project)))

        names = [attribute(row, "data-username") for row in find_all(page, "data-username")]
        assert names == ["annotator", "annotator2"]
        attribution = project.labels.get(name="Source attribution")
        assert figures(find(page, "data-label-id", attribution.pk)) == {"spans": "3"}


class TestSuggestionTable:
    @pytest.fixture
    def suggested(self, owner, reviewer, annotator, annotator2, work):
        """On Story 0: the lexicon's two suggestions (annotator accepts the first, annotator2 rejects it and
        accepts the second), a model's one nobody decided; gold on Story 0 equal to the first."""
        first = work[0]
        told = suggest(owner, first, "Source attribution", "told reporters")
        donate = suggest(owner, first, "Editorial appeal", "Readers can donate")
        suggest(owner, first, "Editorial appeal", "donate", source="http:model")
        accept(annotator, told)
        reject(annotator2, told)
        accept(annotator2, donate)
        draw_gold(reviewer, first, "Source attribution", "told reporters")
        return work

    def test_each_source_shows_its_counts_acceptance_rate_precision_and_recall(self, client, project, reviewer,
                                                                              suggested):  # fmt: skip
        page = tree(signed_in(client, reviewer).get(path(project)))

        table = find(page, "data-testid", "suggestion-table")
        assert [attribute(row, "data-suggestion-source") for row in find_all(table, "data-suggestion-source")] == [
            "http:model",
            "lexicon:cues",
        ]
        assert figures(find(table, "data-suggestion-source", "lexicon:cues")) == {
            "suggested": "2", "documents": "1", "accepted": "2", "rejected": "1", "open": "0",
            "acceptance_rate": "67%", "precision": "0.500", "recall": "1.000",
        }  # fmt: skip
        assert figures(find(table, "data-suggestion-source", "http:model")) == {
            "suggested": "1", "documents": "1", "accepted": "0", "rejected": "0", "open": "1",
            "acceptance_rate": "—", "precision": "0.000", "recall": "0.000",
        }  # fmt: skip
        assert "1 document, 1 gold span" in text(find(page, "data-testid", "suggestion-stats"))

    def test_an_annotator_sees_the_counts_without_precision_and_recall(self, client, project, owner, annotator,
                                                                      suggested):  # fmt: skip
        project_update(member=access_project(owner, project.pk), blind=False)

        page = tree(signed_in(client, annotator).get(path(project)))

        row = find(find(page, "data-testid", "suggestion-table"), "data-suggestion-source", "lexicon:cues")
        assert figures(row) == {
            "suggested": "2", "documents": "1", "accepted": "2", "rejected": "1", "open": "0",
            "acceptance_rate": "67%",
        }  # fmt: skip
        assert "Precision" not in text(find(page, "data-testid", "suggestion-stats"))

    def test_a_blind_projects_annotator_sees_only_their_own_decisions(self, client, project, annotator2, suggested):
        page = tree(signed_in(client, annotator2).get(path(project)))

        section = find(page, "data-testid", "suggestion-stats")
        assert figures(find(section, "data-suggestion-source", "lexicon:cues")) == {
            "suggested": "2", "documents": "1", "accepted": "1", "rejected": "1", "open": "0",
            "acceptance_rate": "50%",
        }  # fmt: skip
        assert "your decisions" in text(section)

    def test_without_gold_a_reviewer_is_told_where_precision_and_recall_come_from(self, client, project, owner,
                                                                                 work):  # fmt: skip
        suggest(owner, work[1], "Source attribution", "told reporters")

        page = tree(signed_in(client, owner).get(path(project)))

        row = find(page, "data-suggestion-source", "lexicon:cues")
        assert set(figures(row)) == {"suggested", "documents", "accepted", "rejected", "open", "acceptance_rate"}
        assert "No gold yet" in text(find(page, "data-testid", "no-gold"))

    def test_a_project_without_suggestions_says_so(self, client, project, owner, work):
        page = tree(signed_in(client, owner).get(path(project)))

        section = find(page, "data-testid", "suggestion-stats")
        assert list(find_all(section, "data-suggestion-source")) == []
        assert text(section).startswith("Suggestions No suggestions yet.")

    def test_a_source_name_is_escaped(self, client, project, owner, work):
        suggest(owner, work[0], "Source attribution", "told reporters", source=HOSTILE)

        body = signed_in(client, owner).get(path(project)).content.decode()

        assert HOSTILE not in body
        assert '<th scope="row">&lt;img src=x onerror=alert(1)&gt;</th>' in body


class TestQueue:
    def test_the_queue_lists_open_documents_first_with_the_users_status(self, client, project, annotator, work):
        first, second, third = work

        page = tree(signed_in(client, annotator).get(path(project)))

        queue = find(page, "data-testid", "queue")
        rows = list(find_all(queue, "data-document-id"))
        assert [(attribute(row, "data-document-id"), text(row)) for row in rows] == [
            (str(second.pk), "Story 1 in progress"),
            (str(third.pk), "Story 2 assigned"),
            (str(first.pk), "Story 0 submitted"),
        ]
        link = find(rows[0], "href")
        assert attribute(link, "href") == f"/projects/{project.pk}/documents/{second.pk}/"

    def test_continue_annotating_opens_the_first_document_not_yet_submitted(self, client, project, annotator2, work):
        first, second, third = work

        page = tree(signed_in(client, annotator2).get(path(project)))

        assert attribute(find(page, "data-testid", "continue"), "href") == (
            f"/projects/{project.pk}/documents/{first.pk}/"
        )

    def test_with_everything_submitted_there_is_nothing_to_continue(self, client, project, annotator, work):
        for document in work:
            submit(annotator, document)

        response = signed_in(client, annotator).get(path(project))

        assert list(find_all(tree(response), "data-testid", "continue")) == []
        assert "You have submitted every document assigned to you." in response.content.decode()

    def test_an_owner_without_a_queue_is_pointed_to_the_documents(self, client, project, owner, work):
        response = signed_in(client, owner).get(path(project))

        queue = find(tree(response), "data-testid", "queue")
        assert list(find_all(queue, "data-document-id")) == []
        assert "No documents are assigned to you." in text(queue)

    def test_untitled_documents_show_their_first_words(self, client, project, owner, annotator):
        document_create_many(member=access_project(owner, project.pk), items=[{"text": ARTICLE}])

        page = tree(signed_in(client, annotator).get(path(project)))

        row = next(find_all(find(page, "data-testid", "queue"), "data-document-id"))
        assert text(row).startswith(FIRST_WORDS)


class TestLinks:
    def test_the_owner_gets_documents_settings_and_api_links(self, client, project, owner):
        body = signed_in(client, owner).get(path(project)).content.decode()

        assert f'href="/projects/{project.pk}/documents/"' in body
        assert f'href="/projects/{project.pk}/settings/"' in body
        assert 'href="/api/v1/docs/"' in body

    @pytest.mark.parametrize("role", ["reviewer", "annotator"])
    def test_others_get_no_settings_link(self, client, project, role, request):
        body = signed_in(client, request.getfixturevalue(role)).get(path(project)).content.decode()

        assert f'href="/projects/{project.pk}/documents/"' in body
        assert "/settings/" not in body

    def test_the_projects_list_links_each_project_to_its_page(self, client, project, annotator):
        body = signed_in(client, annotator).get("/").content.decode()

        assert f'<a href="{path(project)}">Ceasefire coverage</a>' in body


class TestEscaping:
    def test_titles_names_and_descriptions_are_escaped(self, client, project, owner, annotator):
        project_update(member=access_project(owner, project.pk), name=HOSTILE, description=HOSTILE)
        add_documents(owner, project, 1, title=HOSTILE)
        project.labels.filter(name="Source attribution").update(name=HOSTILE, color='"><b>z')

        body = signed_in(client, annotator).get(path(project)).content.decode()

        assert HOSTILE not in body
        assert 'fill="&quot;&gt;&lt;b&gt;z"' in body
        assert "&lt;img src=x onerror=alert(1)&gt;" in body


class TestQueryCount:
    # Session, user, member; annotators, assignments, spans, labels, documents and spans per source; the queue.
    # The overview (10) and the framing profile from the stats selector (7, 2 for attributions, 2 for the questions'
    # answers, which the overview's per-outlet charts draw; 4 for the suggestions, the open ones, the decisions
    # and the deciders' names; an owner or reviewer: 3 more for the gold, and 8 for the agreement figures).
    # owner: the agreement and the stats each look for their cached figures and, finding none, count the documents
    # (a small project's are computed in the request)
    QUERIES = {"annotator": 25, "owner": 40}

    @pytest.mark.parametrize("role", ["annotator", "owner"])
    def test_the_page_costs_the_same_queries_for_3_and_60_documents(
        self, client, project, owner, annotator, reviewer, role, request, django_assert_max_num_queries
    ):
        signed_in(client, request.getfixturevalue(role))

        def annotate(documents, label, text):
            for document in documents:
                draw(annotator, document, label, text)
                accept(annotator, suggest(owner, document, label, "Readers can donate", source=document.title))
                reject(annotator, suggest(owner, document, label, "told reporters"))
                draw_gold(reviewer, document, label, text)

        annotate(add_documents(owner, project, 3), "Source attribution", "told reporters")
        with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(self.QUERIES[role]):
            client.get(path(project))
        annotate(add_documents(owner, project, 57, offset=3), "Editorial appeal", "donate")
        with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(self.QUERIES[role]):
            response = client.get(path(project))

        assert response.status_code == 200
        assert len(many) == len(few)
        assert len(list(find_all(tree(response), "data-suggestion-source"))) == 61

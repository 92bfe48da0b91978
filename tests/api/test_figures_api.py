"""GET /agreement/ and GET /stats/ from the cached figures (issue 18): `computed_at`, `stale`, `?by=document`,
a query count that does not grow with the project, and what a span create pays for marking the figures."""

import pytest
from django.db import connection
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.metrics.gamma import document_gamma
from annotator.models import Project
from annotator.selectors.agreement import project_agreement
from annotator.services.documents import document_create_many
from annotator.services.figures import figures_refresh
from tests.arrange import draw, submit
from tests.conftest import url

TEXT = "The envoy said talks would resume after the ceasefire held."


def add_worked(owner, project, annotator, annotator2, n, offset=0):
    """`n` documents both annotators submitted: the first annotator marks "The envoy", the second "envoy said"
    on every third, "The envoy" on the others (so some agree fully, some partly)."""
    documents = document_create_many(
        member=access_project(owner, project.pk),
        items=[{"text": TEXT, "title": f"Article {offset + i}", "external_id": f"w{offset + i}"} for i in range(n)],
    )
    for i, document in enumerate(documents):
        draw(annotator, document, "Source attribution", "The envoy")
        draw(annotator2, document, "Source attribution", "envoy said" if i % 3 == 0 else "The envoy")
        submit(annotator, document)
        submit(annotator2, document)
    return documents


def get(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def cached(project, owner, annotator, annotator2):
    documents = add_worked(owner, project, annotator, annotator2, 4)
    figures_refresh(project_id=project.pk)
    project.refresh_from_db()
    return documents


class TestCachedAgreement:
    def test_the_cached_figures_are_served_with_when_they_were_computed(self, client_for, reviewer, project, cached):
        figures = get(client_for(reviewer), url(project, "agreement"))

        assert figures["stale"] is False
        assert figures["computed_at"] is not None
        assert figures["documents"] == 4
        assert {**figures, "computed_at": None, "stale": None} == {
            **project_agreement(project=project),
            "computed_at": None,
            "stale": None,
        }

    def test_a_change_after_them_marks_them_stale(self, client_for, reviewer, project, cached):
        Project.objects.filter(pk=project.pk).update(figures_changed_at=Now())

        figures = get(client_for(reviewer), url(project, "agreement"))

        assert figures["stale"] is True
        assert figures["documents"] == 4

    def test_other_parameters_are_computed_in_the_request(self, client_for, reviewer, project, cached, annotator):
        draw(annotator, cached[0], "Editorial appeal", "talks")  # after the refresh: not in the cached figures

        cached_now = get(client_for(reviewer), url(project, "agreement"))
        fresh = get(client_for(reviewer), url(project, "agreement"), {"include_unsubmitted": "true"})

        assert fresh["stale"] is False
        assert [row["name"] for row in fresh["labels"]] == ["Source attribution", "Editorial appeal"]
        assert [row["name"] for row in cached_now["labels"]] == ["Source attribution"]

    def test_the_stats_are_served_from_the_cache_too(self, client_for, owner, project, cached):
        stats = get(client_for(owner), url(project, "stats"))

        assert stats["stale"] is False
        assert (stats["documents"], stats["spans"]) == (4, 8)

    def test_a_blind_annotators_stats_are_their_own_computed_in_the_request(
        self, client_for, annotator, project, cached
    ):
        stats = get(client_for(annotator), url(project, "stats"))

        assert [row["username"] for row in stats["annotators"]] == ["annotator"]
        assert stats["spans"] == 4


class TestByDocument:
    def test_documents_come_lowest_overlap_f1_first_ties_by_id(
        self, client_for, reviewer, project, cached, annotator, annotator2
    ):
        figures = get(client_for(reviewer), url(project, "agreement"), {"by": "document"})
        label = project.labels.get(name="Source attribution").pk
        gamma = document_gamma({annotator.pk: [(label, 0, 9)], annotator2.pk: [(label, 4, 14)]}).overall

        rows = figures["documents_detail"]
        # "The envoy" against "envoy said": P = 5/9, R = 5/10; the others agree fully
        assert [row["document"] for row in rows] == [cached[0].pk, cached[3].pk, cached[1].pk, cached[2].pk]
        assert rows[0] == {
            "document": cached[0].pk,
            "title": "Article 0",
            "annotators": 2,
            "span_f1_overlap": pytest.approx(2 * (5 / 9) * (5 / 10) / (5 / 9 + 5 / 10)),
            "gamma": gamma,
        }
        assert gamma < 1  # one span each, apart: below chance (pygamma gives such a continuum a negative γ too)
        assert rows[2]["span_f1_overlap"] == 1.0
        assert rows[2]["gamma"] == 1.0  # identical spans

    def test_a_small_project_without_cached_figures_gets_the_same_order(
        self, client_for, reviewer, project, owner, annotator, annotator2
    ):
        documents = add_worked(owner, project, annotator, annotator2, 4)

        rows = get(client_for(reviewer), url(project, "agreement"), {"by": "document"})["documents_detail"]

        assert [row["document"] for row in rows] == [documents[0].pk, documents[3].pk, documents[1].pk, documents[2].pk]

    def test_limit_caps_the_list(self, client_for, reviewer, project, cached):
        rows = get(client_for(reviewer), url(project, "agreement"), {"by": "document", "limit": 2})["documents_detail"]

        assert [row["document"] for row in rows] == [cached[0].pk, cached[3].pk]

    def test_without_it_there_is_no_list(self, client_for, reviewer, project, cached):
        assert "documents_detail" not in get(client_for(reviewer), url(project, "agreement"))

    @pytest.mark.parametrize(
        "params",
        [{"by": "label"}, {"by": "document", "limit": 0}, {"limit": "many"}, {"by": "document", "limit": 2**70}],
    )
    def test_bad_parameters_are_refused(self, client_for, reviewer, project, cached, params):
        response = client_for(reviewer).get(url(project, "agreement"), params)

        assert response.status_code == 400
        assert set(response.json()) <= {"by", "limit"}

    def test_an_annotator_may_not_see_it(self, client_for, annotator, project, cached):
        assert client_for(annotator).get(url(project, "agreement"), {"by": "document"}).status_code == 403


class TestQueryCounts:
    @pytest.mark.parametrize("path", ["agreement", "stats", "page"])
    def test_the_cached_figures_cost_the_same_for_4_and_40_documents(
        self, client, client_for, owner, project, annotator, annotator2, path, django_assert_max_num_queries
    ):
        add_worked(owner, project, annotator, annotator2, 4)
        figures_refresh(project_id=project.pk)
        if path == "page":
            client.force_login(owner)
            address, api = f"/projects/{project.pk}/", client
        else:
            address, api = url(project, path), client_for(owner)
        with CaptureQueriesContext(connection) as few:
            assert api.get(address).status_code == 200
        add_worked(owner, project, annotator, annotator2, 36, offset=4)
        figures_refresh(project_id=project.pk)

        with django_assert_max_num_queries(len(few)):
            response = api.get(address)

        assert response.status_code == 200

    def test_the_overview_counts_the_assignments_from_the_kept_figures(
        self, client, owner, project, annotator, annotator2
    ):
        add_worked(owner, project, annotator, annotator2, 3)
        figures_refresh(project_id=project.pk)
        client.force_login(owner)

        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/projects/{project.pk}/")

        assert response.status_code == 200
        counted = [q["sql"] for q in queries.captured_queries if 'COUNT("annotator_assignment"' in q["sql"]]
        assert counted == []  # no count over the project's assignments in the request
        rows = {row["username"]: row for row in response.context["progress"]["annotators"]}
        assert (rows["annotator"]["submitted"], rows["annotator"]["total"]) == (3, 3)
        assert (rows["annotator2"]["submitted"], rows["annotator2"]["total"]) == (3, 3)

    def test_the_agreement_reads_the_cache_in_a_handful_of_queries(
        self, client_for, owner, project, cached, django_assert_max_num_queries
    ):
        client = client_for(owner)
        # the token with its user, the membership with its project, the cached figures (and a spare)
        with django_assert_max_num_queries(4):
            assert client.get(url(project, "agreement")).status_code == 200


class TestSpanCreateCost:
    def test_marking_the_figures_costs_a_span_create_one_query(
        self, client_for, annotator, project, document, django_capture_on_commit_callbacks
    ):
        client, path = client_for(annotator), url(project, "documents", document.pk, "spans")
        label = project.labels.get(name="Source attribution").pk
        assert client.post(path, {"label": label, "start": 9, "end": 14}).status_code == 201  # starts the work
        Project.objects.filter(pk=project.pk).update(figures_changed_at=Now())  # moved just now: throttled
        connection.run_on_commit.clear()  # the arrangement's: committed, in production
        with CaptureQueriesContext(connection) as unmarked:
            assert client.post(path, {"label": label, "start": 0, "end": 3}).status_code == 201
        connection.run_on_commit.clear()
        with CaptureQueriesContext(connection) as marked, django_capture_on_commit_callbacks(execute=True):
            assert client.post(path, {"label": label, "start": 4, "end": 8}).status_code == 201

        assert len(marked) == len(unmarked) + 1
        assert "figures_changed_at" in marked.captured_queries[-1]["sql"]

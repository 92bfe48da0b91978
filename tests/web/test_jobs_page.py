"""Recommenders and jobs on the pages: the settings page (owners) embeds the recommenders and the newest jobs for its
script; the jobs page lets owners and reviewers, as the jobs API does, watch the same jobs. Both cost the same
queries however many recommenders and jobs there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotator.access import access_project
from annotator.models import Job
from annotator.representations import job_json, recommender_json
from annotator.rules import WORKER_STOPPED
from annotator.services.recommenders import recommender_delete
from annotator.web.jobs_page import JOBS_SHOWN
from tests.arrange import make_job, make_recommender
from tests.web.arrange import add_documents, assert_sent_to_sign_in, signed_in
from tests.web.html import attribute, find, find_all, page_data, text, tree


def settings_path(project):
    return f"/projects/{project.pk}/settings/"


def jobs_path(project):
    return f"/projects/{project.pk}/jobs/"


@pytest.fixture
def cues(owner, project, label):
    return make_recommender(owner, project, "cues", [(label, "told reporters"), (label, "said")])


def nav_links(root):
    return [text(link) for link in find_all(find(root, "class", "project-nav"), "href")]


class TestRecommendersOnTheSettings:
    def test_they_come_embedded_as_the_api_gives_them(self, client, project, owner, cues):
        data = page_data(signed_in(client, owner).get(settings_path(project)), "settings-data")

        cues.refresh_from_db()
        assert data["recommenders"] == [recommender_json(cues)]
        assert data["can_run"] is True

    def test_the_section_its_table_and_its_add_form_are_on_the_page(self, client, project, owner):
        root = tree(signed_in(client, owner).get(settings_path(project)))

        assert text(find(root, "id", "recommenders-heading")) == "Recommenders"
        find(root, "data-testid", "recommenders-table")
        form = find(root, "data-testid", "recommender-add")
        kinds = [attribute(option, "value") for option in find_all(find(form, "name", "kind"), "value")]
        assert kinds == ["lexicon", "memory", "attribution", "http", "labelstudio-ml"]
        assert text(find(root, "id", "jobs-heading")) == "Jobs"
        find(root, "data-testid", "jobs")

    def test_a_project_without_any_embeds_empty_lists(self, client, project, owner):
        data = page_data(signed_in(client, owner).get(settings_path(project)), "settings-data")

        assert data["recommenders"] == [] and data["jobs"] == []

    def test_names_and_phrases_are_escaped(self, client, project, owner, label):
        hostile = "<script>window.pwned = 1</script>"
        make_recommender(owner, project, "</script><b>x", [(label, hostile)])

        response = signed_in(client, owner).get(settings_path(project))

        assert hostile not in response.content.decode()
        assert "</script><b>x" not in response.content.decode()
        [recommender] = page_data(response, "settings-data")["recommenders"]
        assert recommender["name"] == "</script><b>x"
        assert recommender["config"]["entries"][0]["phrase"] == hostile

    QUERIES = 10  # session, user, member with project, labels, relation types, their ends' labels, questions,
    # members, recommenders, jobs with their creators and recommenders' names

    def test_the_page_costs_the_same_queries_for_one_recommender_and_job_and_many(
        self, client, project, owner, label, django_assert_max_num_queries
    ):
        add_documents(owner, project, 2)
        make_recommender(owner, project, "cues 0", [(label, "said")])
        make_job(owner, project, "memo 0")
        signed_in(client, owner)
        with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(self.QUERIES):
            assert client.get(settings_path(project)).status_code == 200
        for i in range(1, 25):
            make_recommender(owner, project, f"cues {i}", [(label, "said"), (label, f"phrase {i}")])
            make_job(owner, project, f"memo {i}")
        with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(self.QUERIES):
            response = client.get(settings_path(project))

        data = page_data(response, "settings-data")
        assert len(data["recommenders"]) == 50
        assert len(data["jobs"]) == JOBS_SHOWN
        assert len(many) == len(one)


class TestJobsAsThePagesShowThem:
    def test_each_job_is_the_apis_with_its_recommenders_name_newest_first(self, client, project, owner):
        first, second = make_job(owner, project, "memo"), make_job(owner, project, "other memo")

        data = page_data(signed_in(client, owner).get(settings_path(project)), "settings-data")

        now = timezone.now()
        first, second = (Job.objects.select_related("created_by").get(pk=job.pk) for job in (first, second))
        assert data["jobs"] == [
            {**job_json(second, now=now), "recommender": "other memo"},
            {**job_json(first, now=now), "recommender": "memo"},
        ]
        assert data["jobs"][0]["status"] == "done" and data["jobs"][0]["done"] == data["jobs"][0]["total"]
        assert data["jobs_shown"] == JOBS_SHOWN

    def test_a_deleted_recommenders_jobs_stay_without_a_name(self, client, project, owner):
        job = make_job(owner, project, "memo")
        recommender_delete(member=access_project(owner, project.pk), recommender=job.recommender)

        [shown] = page_data(signed_in(client, owner).get(jobs_path(project)), "jobs-data")["jobs"]

        assert shown["id"] == job.pk and shown["recommender"] is None

    def test_a_running_job_whose_worker_stopped_shows_as_failed(self, client, project, owner):
        job = make_job(owner, project, "memo")
        Job.objects.filter(pk=job.pk).update(
            status="running", finished_at=None, lease_until=timezone.now() - timedelta(seconds=5)
        )

        [shown] = page_data(signed_in(client, owner).get(jobs_path(project)), "jobs-data")["jobs"]

        assert shown["status"] == "failed"
        assert shown["errors"][-1] == {"documents": [], "message": WORKER_STOPPED}

    def test_the_address_of_a_document_is_given_for_the_errors_links(self, client, project, owner):
        data = page_data(signed_in(client, owner).get(jobs_path(project)), "jobs-data")

        assert data["documents_url"] == f"/projects/{project.pk}/documents/"


class TestWhoMayOpenTheJobsPage:
    @pytest.mark.parametrize(("role", "can_run"), [("owner", True), ("reviewer", False)])
    def test_owners_and_reviewers_open_it_on_the_jobs_tab(self, client, project, role, can_run, request):
        response = signed_in(client, request.getfixturevalue(role)).get(jobs_path(project))
        root = tree(response)

        current = find(root, "aria-current", "page")
        assert (text(current), attribute(current, "href")) == ("Jobs", jobs_path(project))
        assert page_data(response, "jobs-data")["can_run"] is can_run

    def test_an_annotator_is_refused(self, client, project, annotator):
        assert signed_in(client, annotator).get(jobs_path(project)).status_code == 403

    def test_an_outsider_is_told_the_project_does_not_exist(self, client, project, outsider):
        assert signed_in(client, outsider).get(jobs_path(project)).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, project):
        assert_sent_to_sign_in(client.get(jobs_path(project)), jobs_path(project))

    def test_the_page_carries_the_strict_csp(self, client, project, reviewer):
        response = signed_in(client, reviewer).get(jobs_path(project))

        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]

    @pytest.mark.parametrize(
        ("role", "links"),
        [
            ("owner", ["Overview", "Documents", "Review", "Import", "Export", "Jobs", "Settings"]),
            ("reviewer", ["Overview", "Documents", "Review", "Import", "Export", "Jobs"]),
            ("annotator", ["Overview", "Documents"]),
        ],
    )
    def test_the_tab_shows_for_those_who_may_open_it(self, client, project, role, links, request):
        root = tree(signed_in(client, request.getfixturevalue(role)).get(f"/projects/{project.pk}/"))

        assert nav_links(root) == links

    def test_a_reviewer_gets_no_recommenders_and_no_settings(self, client, project, reviewer, cues):
        response = signed_in(client, reviewer).get(jobs_path(project))

        assert "recommenders" not in page_data(response, "jobs-data")
        assert "told reporters" not in response.content.decode()
        assert signed_in(client, reviewer).get(settings_path(project)).status_code == 403

    QUERIES = 4  # session, user, member with project, jobs with their creators and recommenders' names

    def test_the_page_costs_the_same_queries_for_one_job_and_many(
        self, client, project, reviewer, owner, django_assert_max_num_queries
    ):
        make_job(owner, project, "memo 0")
        signed_in(client, reviewer)
        with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(self.QUERIES):
            assert client.get(jobs_path(project)).status_code == 200
        for i in range(1, 25):
            make_job(owner, project, f"memo {i}")
        with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(self.QUERIES):
            response = client.get(jobs_path(project))

        assert len(page_data(response, "jobs-data")["jobs"]) == JOBS_SHOWN
        assert len(many) == len(one)

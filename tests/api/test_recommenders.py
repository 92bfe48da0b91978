"""Recommenders and jobs through the API: configs checked (400 naming the field), runs queued as jobs (202) that the
database worker's own code runs (tests/jobs.py), the job's JSON exactly as SPEC gives it, audit events, refusals,
and lists whose query count does not grow with their rows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotator.models import AuditEvent, Job, Recommender, Suggestion
from annotator.rules import WORKER_STOPPED
from annotator.services.documents import document_create_many
from tests.arrange import draw, member_of
from tests.conftest import url
from tests.jobs import work_off
from tests.trail import Trail

# `result`: an import job's counts (null for a recommender job).
JOB_KEYS = {"id", "kind", "status", "total", "done", "errors", "created_by", "created_at", "started_at", "finished_at",
            "result"}  # fmt: skip
MANY = 500
PAGE = {"page_size": 1000}


@pytest.fixture
def cue(project):
    return project.labels.get(name="Source attribution")


@pytest.fixture
def lexicon_body(cue):
    return {
        "name": "cues",
        "kind": "lexicon",
        "config": {"entries": [{"label": cue.pk, "phrase": "  told reporters "}, {"label": cue.pk, "phrase": "said"}]},
    }


@pytest.fixture
def created(client_for, owner, project, lexicon_body):
    response = client_for(owner).post(url(project, "recommenders"), lexicon_body)
    assert response.status_code == 201, response.json()
    return response.json()


class TestRecommenderCreate:
    def test_the_config_comes_back_cleaned_with_its_defaults(self, created, cue):
        assert set(created) == {"id", "name", "kind", "config", "active", "created_at"}
        assert created["config"] == {
            "entries": [{"label": cue.pk, "phrase": "told reporters"}, {"label": cue.pk, "phrase": "said"}],
            "case_sensitive": False,
            "score": 1.0,
        }
        assert created["active"] is True

    def test_it_is_audited(self, client_for, owner, project, lexicon_body):
        trail = Trail()

        response = client_for(owner).post(url(project, "recommenders"), lexicon_body)

        event = trail.one("recommender.create", response.json()["id"], owner)
        assert event.after["config"] == response.json()["config"]

    @pytest.mark.parametrize(
        ("change", "field", "words"),
        [
            ({"config": {"entries": [{"label": 1, "phrase": "   "}]}}, "config", "entries[0].phrase: may not be blank"),
            ({"config": {"entries": []}}, "config", "entries: must be a non-empty list"),
            ({"config": {"entries": [{"label": 1, "phrase": "x"}], "regex": True}}, "config", "regex: unknown key"),
            ({"config": "said"}, "config", "must be a JSON object"),
            ({"config": {"entries": [{"label": 987654, "phrase": "said"}]}}, "config", "label 987654 is not in this"),
            ({"kind": "oracle"}, "kind", "is not a valid choice"),
            ({"name": ""}, "name", "blank"),
            ({"name": "n" * 86}, "name", "86"),
            ({"config": {"url": "http://127.0.0.1:9/", "timeout": 5}, "kind": "http"}, "config.url", "lists no host"),
        ],
    )
    def test_a_bad_body_is_refused_naming_the_field(
        self, client_for, owner, project, lexicon_body, change, field, words
    ):
        response = client_for(owner).post(url(project, "recommenders"), {**lexicon_body, **change})

        assert response.status_code == 400, response.json()
        assert set(response.json()) == {field}
        assert words in " ".join(response.json()[field]) or words.isdigit()
        assert not Recommender.objects.exists()

    def test_a_label_of_another_project_is_refused(self, client_for, owner, project, lexicon_body, other_project):
        foreign = other_project.labels.first()
        body = {**lexicon_body, "config": {"entries": [{"label": foreign.pk, "phrase": "said"}]}}

        response = client_for(owner).post(url(project, "recommenders"), body)

        assert response.status_code == 400
        assert response.json() == {"config": [f"entries[0].label: label {foreign.pk} is not in this project."]}

    def test_a_name_taken_is_refused(self, client_for, owner, project, lexicon_body, created):
        response = client_for(owner).post(url(project, "recommenders"), lexicon_body)

        assert response.status_code == 400
        assert set(response.json()) == {"name"}
        assert Recommender.objects.count() == 1


class TestRemoteConfig:
    def test_a_listed_host_is_taken(self, settings, client_for, owner, project):
        settings.SLANT_RECOMMENDER_HOSTS = ["127.0.0.1:9090"]
        body = {"name": "team", "kind": "http", "config": {"url": "http://127.0.0.1:9090/predict", "timeout": 30}}

        response = client_for(owner).post(url(project, "recommenders"), body)

        assert response.status_code == 201
        assert response.json()["config"] == {"url": "http://127.0.0.1:9090/predict", "timeout": 30}

    @pytest.mark.parametrize(
        ("config", "field"),
        [
            ({"url": "http://localhost:9090/", "timeout": 30}, "config.url"),  # resolves to a listed address
            ({"url": "http://10.0.0.5:9090/", "timeout": 30}, "config.url"),
            ({"url": "ftp://127.0.0.1:9090/", "timeout": 30}, "config.url"),
            ({"url": "http://127.0.0.1:9091/", "timeout": 30}, "config.url"),
            ({"url": "http://127.0.0.1:9090/", "timeout": 61}, "config.timeout"),
            ({"url": "http://127.0.0.1:9090/", "timeout": "5"}, "config.timeout"),
        ],
    )
    def test_an_unlisted_host_or_a_bad_timeout_is_refused_naming_it(
        self, settings, client_for, owner, project, config, field
    ):
        settings.SLANT_RECOMMENDER_HOSTS = ["127.0.0.1:9090"]

        response = client_for(owner).post(url(project, "recommenders"), {"name": "t", "kind": "http", "config": config})

        assert response.status_code == 400
        assert set(response.json()) == {field}
        assert not Recommender.objects.exists()


class TestRecommenderChange:
    def test_patch_checks_a_new_config_and_is_audited(self, client_for, owner, project, created, cue):
        trail = Trail()
        path = url(project, "recommenders", created["id"])

        bad = client_for(owner).patch(path, {"config": {"entries": [{"label": cue.pk, "phrase": ""}]}})
        good = client_for(owner).patch(
            path, {"name": "verbs", "config": {"entries": [{"label": cue.pk, "phrase": "x"}]}}
        )

        assert bad.status_code == 400 and set(bad.json()) == {"config"}
        assert good.status_code == 200
        assert good.json()["name"] == "verbs" and good.json()["config"]["entries"] == [{"label": cue.pk, "phrase": "x"}]
        event = trail.one("recommender.update", created["id"], owner)
        assert (event.before["name"], event.after["name"]) == ("cues", "verbs")

    def test_a_new_kind_needs_a_config_of_its_own(self, client_for, owner, project, created):
        response = client_for(owner).patch(url(project, "recommenders", created["id"]), {"kind": "memory"})

        assert response.status_code == 400
        assert response.json() == {"config": ["case_sensitive: unknown key; memory takes no settings."]}

    def test_delete_is_audited_and_keeps_its_jobs_and_suggestions(self, client_for, owner, project, created, document):
        client = client_for(owner)
        client.post(url(project, "recommenders", created["id"], "run"))
        work_off()
        trail = Trail()

        response = client.delete(url(project, "recommenders", created["id"]))

        assert response.status_code == 204
        trail.one("recommender.delete", created["id"], owner)
        assert Job.objects.get().recommender is None
        assert Suggestion.objects.filter(source="lexicon:cues").exists()

    def test_a_label_the_config_names_cannot_be_deleted(self, client_for, owner, project, created):
        label = project.labels.get(name="Source attribution")

        response = client_for(owner).delete(url(project, "labels", label))

        assert response.status_code == 409
        assert "'cues'" in response.json()["detail"]


class TestRun:
    def test_a_run_is_queued_as_a_job_and_a_worker_does_it(self, client_for, owner, project, created, document):
        client = client_for(owner)

        response = client.post(url(project, "recommenders", created["id"], "run"))

        assert response.status_code == 202
        job = response.json()["job"]
        assert set(job) == JOB_KEYS
        assert (job["kind"], job["status"], job["total"], job["done"], job["errors"]) == (
            "recommender",
            "queued",
            1,
            0,
            [],
        )
        assert (job["created_by"], job["started_at"], job["finished_at"]) == ("owner", None, None)
        assert not Suggestion.objects.exists()  # nothing runs in the request

        assert work_off() == 1

        done = client.get(url(project, "jobs", job["id"])).json()
        assert set(done) == JOB_KEYS
        assert (done["status"], done["done"], done["total"]) == ("done", 1, 1)
        assert done["started_at"] and done["finished_at"]
        texts = {document.text[s.start : s.end] for s in Suggestion.objects.filter(source="lexicon:cues")}
        assert texts == {"told reporters", "said"}
        listed = client.get(url(project, "jobs"))
        assert listed.json()["results"] == [done]

    def test_a_run_is_audited_with_its_job(self, client_for, owner, project, created, document):
        trail = Trail()

        response = client_for(owner).post(url(project, "recommenders", created["id"], "run"))

        event = trail.one("recommender.run", created["id"], owner)
        assert event.after["id"] == response.json()["job"]["id"] and event.after["documents"] == 1

    def test_documents_name_the_ones_to_run_on(self, client_for, owner, project, created, document):
        [other] = document_create_many(member=member_of(owner, project), items=[{"text": "He said so."}])

        response = client_for(owner).post(url(project, "recommenders", created["id"], "run"), {"documents": [other.pk]})
        work_off()

        assert response.json()["job"]["total"] == 1
        assert set(Suggestion.objects.values_list("document_id", flat=True)) == {other.pk}

    def test_unannotated_keeps_the_documents_nobody_has_drawn_on(
        self, client_for, owner, annotator, project, created, document
    ):
        [other, third] = document_create_many(
            member=member_of(owner, project), items=[{"text": "He said so."}, {"text": "She said no."}]
        )
        draw(annotator, document, "Source attribution", "told reporters")
        client = client_for(owner)

        every = client.post(url(project, "recommenders", created["id"], "run"), {"unannotated": True}).json()["job"]
        work_off()
        asked = client.post(
            url(project, "recommenders", created["id"], "run"),
            {"documents": [third.pk, document.pk], "unannotated": True},
        ).json()["job"]

        assert (every["total"], asked["total"]) == (2, 1)
        assert Job.objects.get(pk=every["id"]).documents == [other.pk, third.pk]
        assert Job.objects.get(pk=asked["id"]).documents == [third.pk]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"unannotated": "yes"}, "unannotated"),
            ({"documents": []}, "documents"),
            ({"documents": ["3"]}, "documents"),
            ({"documents": [987654321]}, "documents"),
            ({"documents": 3}, "documents"),
        ],
    )
    def test_bad_documents_are_refused_naming_them(self, client_for, owner, project, created, document, body, field):
        response = client_for(owner).post(url(project, "recommenders", created["id"], "run"), body)

        assert response.status_code == 400, response.json()
        assert set(response.json()) == {field}
        assert not Job.objects.exists() and not DBTaskResult.objects.exists()

    def test_a_long_list_of_ids_is_checked_in_full(self, client_for, owner, project, created, document):
        ids = [document.pk, *range(10**9, 10**9 + 33_000)]  # past SQLite's 32,766 parameters

        response = client_for(owner).post(url(project, "recommenders", created["id"], "run"), {"documents": ids})

        assert response.status_code == 400
        assert response.json() == {"documents": [f"No document of this project has the id {10**9}, {10**9 + 1}, "
                                                 f"{10**9 + 2}, {10**9 + 3}, {10**9 + 4}, …."]}  # fmt: skip
        assert not Job.objects.exists()

    def test_an_inactive_recommender_is_a_conflict(self, client_for, owner, project, created, document):
        client = client_for(owner)
        client.patch(url(project, "recommenders", created["id"]), {"active": False})

        response = client.post(url(project, "recommenders", created["id"], "run"))

        assert response.status_code == 409
        assert "inactive" in response.json()["detail"]
        assert not Job.objects.exists()

    def test_a_second_run_while_the_first_is_queued_is_a_conflict(self, client_for, owner, project, created, document):
        client = client_for(owner)
        first = client.post(url(project, "recommenders", created["id"], "run")).json()["job"]

        second = client.post(url(project, "recommenders", created["id"], "run"))

        assert second.status_code == 409
        assert f"Job {first['id']}" in second.json()["detail"]

    def test_a_host_taken_off_the_list_since_is_a_conflict(self, settings, client_for, owner, project, document):
        settings.SLANT_RECOMMENDER_HOSTS = ["127.0.0.1:9090"]
        client = client_for(owner)
        body = {"name": "team", "kind": "http", "config": {"url": "http://127.0.0.1:9090/", "timeout": 5}}
        recommender = client.post(url(project, "recommenders"), body).json()
        settings.SLANT_RECOMMENDER_HOSTS = []

        response = client.post(url(project, "recommenders", recommender["id"], "run"))

        assert response.status_code == 409
        assert "config.url" in response.json()["detail"]


class TestJobs:
    def test_a_job_whose_worker_stopped_shows_as_failed(self, client_for, owner, reviewer, project, created, document):
        job = client_for(owner).post(url(project, "recommenders", created["id"], "run")).json()["job"]
        Job.objects.filter(pk=job["id"]).update(
            status="running", started_at=timezone.now(), lease_until=timezone.now() - timedelta(seconds=5)
        )

        shown = client_for(reviewer).get(url(project, "jobs", job["id"])).json()

        assert shown["status"] == "failed"
        assert shown["errors"] == [{"documents": [], "message": WORKER_STOPPED}]
        assert shown["finished_at"] is not None

    def test_filters_keep_one_recommenders_jobs_or_one_status(self, client_for, owner, project, created, document):
        client = client_for(owner)
        job = client.post(url(project, "recommenders", created["id"], "run")).json()["job"]
        other = client.post(url(project, "recommenders"), {"name": "memo", "kind": "memory"}).json()
        client.post(url(project, "recommenders", other["id"], "run"))

        mine = client.get(url(project, "jobs"), {"recommender": created["id"]}).json()
        queued = client.get(url(project, "jobs"), {"status": "queued"}).json()
        done = client.get(url(project, "jobs"), {"status": "done"}).json()

        assert [j["id"] for j in mine["results"]] == [job["id"]]
        assert queued["count"] == 2 and done["count"] == 0

    @pytest.mark.parametrize(("param", "value"), [("recommender", "abc"), ("recommender", "0"), ("status", "lost")])
    def test_a_bad_filter_is_refused_naming_it(self, client_for, owner, project, param, value):
        response = client_for(owner).get(url(project, "jobs"), {param: value})

        assert response.status_code == 400
        assert set(response.json()) == {param}


class TestListQueries:
    def test_listing_500_recommenders_costs_what_1_costs(
        self, client_for, owner, project, created, django_assert_max_num_queries
    ):
        client = client_for(owner)
        client.get(url(project, "recommenders"), PAGE)
        with django_assert_max_num_queries(100) as one:
            client.get(url(project, "recommenders"), PAGE)
        Recommender.objects.bulk_create(
            Recommender(project=project, name=f"memo {i}", kind="memory") for i in range(MANY - 1)
        )

        with django_assert_max_num_queries(len(one)):
            response = client.get(url(project, "recommenders"), PAGE)

        assert len(response.json()["results"]) == MANY

    def test_listing_500_jobs_costs_what_1_costs(
        self, client_for, owner, reviewer, project, created, document, django_assert_max_num_queries
    ):
        client_for(owner).post(url(project, "recommenders", created["id"], "run"))
        client = client_for(reviewer)
        client.get(url(project, "jobs"), PAGE)
        with django_assert_max_num_queries(100) as one:
            client.get(url(project, "jobs"), PAGE)
        Job.objects.bulk_create(
            Job(project=project, kind="recommender", created_by=owner, total=1, documents=[document.pk])
            for _ in range(MANY - 1)
        )

        with django_assert_max_num_queries(len(one)):
            response = client.get(url(project, "jobs"), PAGE)

        assert len(response.json()["results"]) == MANY
        assert {job["created_by"] for job in response.json()["results"]} == {"owner"}


class TestAuditCoversEveryRecommenderWrite:
    def test_a_refused_write_leaves_no_event(self, client_for, owner, project, lexicon_body):
        client_for(owner).post(url(project, "recommenders"), {**lexicon_body, "config": {}})

        assert not AuditEvent.objects.filter(action__startswith="recommender.").exists()

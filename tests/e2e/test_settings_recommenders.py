"""Recommenders and their jobs on the settings page, in a real browser with a real worker process: a lexicon made
on the page runs over every document and its job's progress follows to done while the page polls, then stops
polling; the suggestions are there through the API. A URL to a host the server does not list is refused beside the
URL field; configs of every kind are edited, deactivated and deleted through the API; a failed document's error is
listed with its id; a reviewer watches jobs but configures nothing."""


import pytest

from annotator.models import Job, Recommender, Role, Suggestion
from annotator.services.members import member_add
from annotator.services.recommenders import recommender_run
from tests.arrange import draw, make_recommender, member_of
from tests.e2e.conftest import open_as
from tests.e2e.settings_tables import item_row, open_settings, wait_saved
from tests.e2e.worker import start_worker, stop_worker
from tests.factories import UserFactory
from tests.jobs import enqueue
from tests.remote_model import Model

REPORTED = (
    "The harbour master told reporters on Tuesday that the ferry would sail again. Officials said repairs cost less."
)
QUOTED = "A spokeswoman said the port stayed open overnight."
QUIET = "Nothing in this short note names anyone."
# A job of two documents can finish between two polls; the page must still show it done within a few.
DONE_WITHIN_MS = 30_000
POLL_MS = 1500  # static/annotator/jobs.js


@pytest.fixture
def setting_documents():
    return [{"text": REPORTED, "title": "Ferry"}, {"text": QUOTED, "title": "Port"}, {"text": QUIET, "title": "Note"}]


@pytest.fixture
def worker(setting, tmp_path):
    """A `manage.py db_worker` process on the test database, stopped (by its own id) after the test."""
    with (tmp_path / "worker.log").open("w") as log:
        process = start_worker(log, SLANT_RECOMMENDER_HOSTS="127.0.0.1")
        yield process
        stop_worker(process)


@pytest.fixture
def source_label(setting):
    return setting.project.labels.get(name="Source attribution")


def recommender_row(page, recommender):
    return item_row(page, "recommender", recommender)


def add_form(page):
    return page.locator("[data-testid='recommender-add']")


def job_item(page, job_id):
    return page.locator(f"[data-testid='jobs'] li[data-job-id='{job_id}']")


# A request made by the page itself (its session cookie and CSRF token, as its scripts send them): [status, body].
FETCH = """async ([method, path, body]) => {
  const token = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const response = await fetch(path, {
    method, credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(token)},
    body: body === null ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { parsed = text; }
  return [response.status, parsed];
}"""


def fetch(page, method, path, body=None):
    return page.evaluate(FETCH, [method, path, body])


def api_get(page, path):
    return fetch(page, "GET", f"/api/v1/{path}")


class TestALexiconRunOnThePage:
    def test_it_is_made_run_and_followed_to_done_and_its_suggestions_exist(self, page, setting, worker, source_label):
        project = setting.project
        open_settings(page, project, setting.owner)
        page.evaluate("() => { window.sameDocument = true; }")

        form = add_form(page)
        form.get_by_label("Name").fill("cues")
        form.get_by_label("Kind").select_option("lexicon")
        form.get_by_label("Label", exact=True).select_option(label=source_label.name)
        form.get_by_label("Phrases, one per line").fill("told reporters\n\nsaid\n")
        form.get_by_role("button", name="Add recommender").click()
        page.wait_for_selector("#recommenders-status.ok")

        cues = Recommender.objects.get(project=project, name="cues")
        assert (cues.kind, cues.active) == ("lexicon", True)
        assert cues.config["entries"] == [
            {"label": source_label.pk, "phrase": "told reporters"},
            {"label": source_label.pk, "phrase": "said"},
        ]
        polls = []
        page.on("request", lambda request: "/jobs/" in request.url and polls.append(request.url))

        recommender_row(page, cues).get_by_role("button", name="Run", exact=True).click()
        page.wait_for_selector(f"tbody[data-recommender-row='{cues.pk}'] .row-message.ok")
        job = Job.objects.get(recommender=cues)
        item = job_item(page, job.pk)
        assert item.get_attribute("data-status") in {"queued", "running", "done"}
        assert item.locator(".job-name").inner_text() == "cues"
        page.wait_for_selector(f"li[data-job-id='{job.pk}'][data-status='done']", timeout=DONE_WITHIN_MS)

        assert item.locator(".progress-text").inner_text() == "3 of 3 documents (100%)"
        assert item.locator("progress").evaluate("bar => [bar.value, bar.max]") == [3, 3]
        assert "started" in item.locator(".job-times").inner_text()
        assert "finished" in item.locator(".job-times").inner_text()
        assert polls, "the page asked the jobs API while the job was queued or running"
        assert page.evaluate("() => window.sameDocument") is True  # followed live, never reloaded

        # Done: the page stops asking.
        page.wait_for_selector("[data-testid='jobs'][data-polling='false']")
        asked = len(polls)
        page.wait_for_timeout(3 * POLL_MS)
        assert len(polls) == asked

        found = {}
        for document in setting.documents:
            status, body = api_get(page, f"projects/{project.pk}/documents/{document.pk}/suggestions/")
            assert status == 200
            found[document.title] = sorted((s["text"], s["source"], s["label"]) for s in body["results"])
        assert found == {
            "Ferry": [("said", "lexicon:cues", source_label.pk), ("told reporters", "lexicon:cues", source_label.pk)],
            "Port": [("said", "lexicon:cues", source_label.pk)],
            "Note": [],
        }

    def test_running_again_adds_no_suggestion_twice(self, page, setting, worker, source_label):
        project = setting.project
        cues = make_recommender(setting.owner, project, "cues", [(source_label, "said")])
        open_settings(page, project, setting.owner)
        row = recommender_row(page, cues)

        for runs in (1, 2):
            row.get_by_role("button", name="Run", exact=True).click()
            page.wait_for_function(
                "n => document.querySelectorAll(\"[data-testid='jobs'] li[data-status='done']\").length === n",
                arg=runs,
                timeout=DONE_WITHIN_MS,
            )

        assert page.locator("[data-testid='jobs'] li.job").count() == 2
        assert Suggestion.objects.filter(document__project=project, source="lexicon:cues").count() == 2

    def test_run_on_unannotated_skips_the_documents_someone_has_drawn_on(self, page, setting, source_label):
        project = setting.project
        ferry, port, note = setting.documents
        draw(setting.annotator, ferry, source_label, "told reporters")
        cues = make_recommender(setting.owner, project, "cues", [(source_label, "said")])
        open_settings(page, project, setting.owner)  # no worker needed: the job's documents are chosen at once

        recommender_row(page, cues).get_by_role("button", name="Run on unannotated").click()

        message = page.locator(f"tbody[data-recommender-row='{cues.pk}'] .row-message.ok")
        message.wait_for()
        assert "runs over 2 documents" in message.inner_text()
        job = Job.objects.get(recommender=cues)
        assert (job.total, sorted(job.documents)) == (2, sorted([port.pk, note.pk]))

    def test_a_second_run_while_one_is_queued_is_refused_in_the_row(self, page, setting, source_label):
        project = setting.project
        cues = make_recommender(setting.owner, project, "cues", [(source_label, "said")])
        open_settings(page, project, setting.owner)  # no worker: the first job stays queued
        row = recommender_row(page, cues)

        row.get_by_role("button", name="Run", exact=True).click()
        page.wait_for_selector(f"tbody[data-recommender-row='{cues.pk}'] .row-message.ok")
        assert page.locator("[data-testid='jobs'] li[data-status='queued']").count() == 1
        assert page.locator("[data-testid='jobs']").get_attribute("data-polling") == "true"
        row.get_by_role("button", name="Run", exact=True).click()

        message = row.locator(".row-message.error")
        message.wait_for()
        assert "Not run." in message.inner_text() and "queued" in message.inner_text()
        assert Job.objects.filter(recommender=cues).count() == 1


class TestRemoteRecommenders:
    def test_a_url_to_an_unlisted_host_is_refused_beside_the_field(self, page, setting, settings):
        settings.SLANT_RECOMMENDER_HOSTS = ["models.example.org"]
        project = setting.project
        open_settings(page, project, setting.owner)

        form = add_form(page)
        form.get_by_label("Name").fill("team model")
        form.get_by_label("Kind").select_option("http")
        url = form.get_by_label("URL")
        url.fill("http://127.0.0.1:8080/")
        form.get_by_role("button", name="Add recommender").click()

        beside = form.locator(".field-error[data-error-for='config.url']")
        beside.wait_for()
        assert "127.0.0.1:8080 is not among the hosts" in beside.inner_text()
        assert url.get_attribute("aria-invalid") == "true"
        assert page.locator("#recommender-add-error").inner_text() == "Not added: see the fields marked."
        assert not Recommender.objects.filter(project=project).exists()

        url.fill("http://models.example.org:9090/")
        form.get_by_label("Timeout (seconds)").fill("12")
        form.get_by_role("button", name="Add recommender").click()
        page.wait_for_selector("#recommenders-status.ok")

        model = Recommender.objects.get(project=project, name="team model")
        assert (model.kind, model.config) == ("http", {"url": "http://models.example.org:9090/", "timeout": 12})
        assert beside.inner_text() == ""
        assert recommender_row(page, model).get_by_label("URL").input_value() == "http://models.example.org:9090/"

    def test_a_timeout_out_of_range_is_refused_beside_its_field(self, page, setting, settings):
        settings.SLANT_RECOMMENDER_HOSTS = ["models.example.org"]
        open_settings(page, setting.project, setting.owner)

        form = add_form(page)
        form.get_by_label("Name").fill("slow")
        form.get_by_label("Kind").select_option("labelstudio-ml")
        form.get_by_label("URL").fill("https://models.example.org/")
        form.get_by_label("Timeout (seconds)").fill("600")
        form.get_by_role("button", name="Add recommender").click()

        beside = form.locator(".field-error[data-error-for='config.timeout']")
        beside.wait_for()
        assert "at most 60" in beside.inner_text()
        assert not Recommender.objects.filter(project=setting.project).exists()

    def test_a_documents_failure_is_listed_with_its_id(self, page, setting, settings, worker):
        """The model answers one document with a span past its end: that document's error names it, the others
        get their suggestions."""
        settings.SLANT_RECOMMENDER_HOSTS = ["127.0.0.1"]
        model = Model(told_reporters_or_bad(setting.documents[1].pk))
        try:
            project = setting.project
            open_settings(page, project, setting.owner)
            form = add_form(page)
            form.get_by_label("Name").fill("team")
            form.get_by_label("Kind").select_option("http")
            form.get_by_label("URL").fill(model.url)
            form.get_by_role("button", name="Add recommender").click()
            page.wait_for_selector("#recommenders-status.ok")
            team = Recommender.objects.get(project=project, name="team")

            recommender_row(page, team).get_by_role("button", name="Run", exact=True).click()
            page.wait_for_selector("[data-testid='jobs'] li[data-status='done']", timeout=DONE_WITHIN_MS)
        finally:
            model.close()

        errors = page.locator("[data-testid='jobs'] li.job ul.job-errors li")
        assert errors.count() == 1
        bad = setting.documents[1]
        assert errors.first.get_attribute("data-documents") == str(bad.pk)
        assert errors.first.inner_text().startswith(f"Document {bad.pk}: ")
        assert errors.first.get_by_role("link", name=str(bad.pk)).get_attribute("href") == (
            f"/projects/{project.pk}/documents/{bad.pk}/"
        )
        assert set(Suggestion.objects.filter(source="http:team").values_list("document", flat=True)) == {
            setting.documents[0].pk
        }


def told_reporters_or_bad(bad):
    """A model's answer: "told reporters" as Source attribution, and for document `bad` a span past the end of its
    text."""

    def spans_for(document):
        text, spans = document["text"], []
        if "told reporters" in text:
            start = text.index("told reporters")
            spans.append({"label": "Source attribution", "start": start, "end": start + 14, "score": 0.9})
        if document["id"] == bad:
            spans.append({"label": "Source attribution", "start": 0, "end": len(text) + 5})
        return spans

    return spans_for


class TestEditingRecommenders:
    def test_a_lexicon_gains_a_second_labels_phrases_and_turns_case_sensitive(self, page, setting, source_label):
        project = setting.project
        cues = make_recommender(setting.owner, project, "cues", [(source_label, "said")])
        appeal = project.labels.exclude(pk=source_label.pk).order_by("id").first()
        open_settings(page, project, setting.owner)
        row = recommender_row(page, cues)

        row.get_by_role("button", name="Add phrases for another label").click()
        row.get_by_label("Label", exact=True).nth(1).select_option(str(appeal.pk))
        row.get_by_label("Phrases, one per line").nth(1).fill("we must\nact now")
        row.get_by_label("Case-sensitive").check()
        row.get_by_role("button", name="Save").click()
        wait_saved(page, "recommender", cues)

        cues.refresh_from_db()
        assert cues.config == {
            "entries": [
                {"label": source_label.pk, "phrase": "said"},
                {"label": appeal.pk, "phrase": "we must"},
                {"label": appeal.pk, "phrase": "act now"},
            ],
            "case_sensitive": True,
            "score": 1.0,
        }

    def test_a_phrase_too_long_is_refused_beside_its_label_and_line(self, page, setting, source_label):
        cues = make_recommender(setting.owner, setting.project, "cues", [(source_label, "said")])
        open_settings(page, setting.project, setting.owner)
        row = recommender_row(page, cues)

        row.get_by_label("Phrases, one per line").fill("said\n" + "x" * 1001)
        row.get_by_role("button", name="Save").click()

        beside = row.locator(".phrase-group .field-error[data-error-for='group']")
        beside.wait_for()
        assert beside.inner_text() == "Line 2: at most 1,000 characters."
        assert row.get_by_label("Phrases, one per line").get_attribute("aria-invalid") == "true"
        cues.refresh_from_db()
        assert cues.config["entries"] == [{"label": source_label.pk, "phrase": "said"}]

    def test_an_attribution_recommender_takes_the_labels_picked_for_its_roles(self, page, setting):
        project = setting.project
        labels = list(project.labels.order_by("id")[:3])
        open_settings(page, project, setting.owner)

        form = add_form(page)
        form.get_by_label("Name").fill("quotes")
        form.get_by_label("Kind").select_option("attribution")
        for role, label in zip(("Source", "Cue", "Content"), labels, strict=True):
            form.get_by_label(role, exact=True).select_option(str(label.pk))
        form.get_by_role("button", name="Add recommender").click()
        page.wait_for_selector("#recommenders-status.ok")

        quotes = Recommender.objects.get(project=project, name="quotes")
        assert quotes.config == {"source": labels[0].pk, "cue": labels[1].pk, "content": labels[2].pk}

    def test_attribution_without_labels_of_those_names_is_refused_beside_the_role(self, page, setting):
        open_settings(page, setting.project, setting.owner)  # the framing preset has no label named Cue

        form = add_form(page)
        form.get_by_label("Name").fill("quotes")
        form.get_by_label("Kind").select_option("attribution")
        form.get_by_role("button", name="Add recommender").click()

        beside = form.locator(".field-error[data-error-for='config.source']")
        beside.wait_for()
        assert "no label is named Source" in beside.inner_text()
        assert not Recommender.objects.filter(project=setting.project).exists()

    def test_a_name_taken_is_refused_beside_the_name(self, page, setting, source_label):
        make_recommender(setting.owner, setting.project, "cues", [(source_label, "said")])
        open_settings(page, setting.project, setting.owner)

        form = add_form(page)
        form.get_by_label("Name").fill("cues")
        form.get_by_label("Kind").select_option("memory")
        form.get_by_role("button", name="Add recommender").click()

        beside = form.locator(".field-error[data-error-for='name']")
        beside.wait_for()
        assert "already has a recommender named 'cues'" in beside.inner_text()
        assert form.get_by_label("Name").get_attribute("aria-invalid") == "true"
        assert setting.project.recommenders.count() == 1

    def test_a_memory_recommender_needs_no_settings(self, page, setting):
        open_settings(page, setting.project, setting.owner)

        form = add_form(page)
        form.get_by_label("Name").fill("memo")
        form.get_by_label("Kind").select_option("memory")
        assert form.locator(".kind-editor[data-kind='memory']").is_visible()
        assert not form.locator(".lexicon-editor").is_visible()
        form.get_by_role("button", name="Add recommender").click()
        page.wait_for_selector("#recommenders-status.ok")

        memo = Recommender.objects.get(project=setting.project, name="memo")
        assert (memo.kind, memo.config) == ("memory", {})

    def test_a_deactivated_one_is_not_run(self, page, setting, source_label):
        cues = make_recommender(setting.owner, setting.project, "cues", [(source_label, "said")])
        open_settings(page, setting.project, setting.owner)
        row = recommender_row(page, cues)

        row.get_by_label("Active").uncheck()
        row.get_by_role("button", name="Save").click()
        wait_saved(page, "recommender", cues)
        row.get_by_role("button", name="Run", exact=True).click()

        message = row.locator(".row-message.error")
        message.wait_for()
        assert "inactive" in message.inner_text()
        cues.refresh_from_db()
        assert cues.active is False and not Job.objects.exists()

    def test_unsaved_changes_are_not_run(self, page, setting, source_label):
        cues = make_recommender(setting.owner, setting.project, "cues", [(source_label, "said")])
        open_settings(page, setting.project, setting.owner)
        row = recommender_row(page, cues)

        row.get_by_label("Phrases, one per line").fill("said\nclaimed")
        row.get_by_role("button", name="Run", exact=True).click()

        assert row.locator(".row-message.error").inner_text() == "Save your changes first: Run uses the saved settings."
        assert not Job.objects.exists()

    def test_one_is_deleted(self, page, setting, source_label):
        cues = make_recommender(setting.owner, setting.project, "cues", [(source_label, "said")])
        open_settings(page, setting.project, setting.owner)

        recommender_row(page, cues).get_by_role("button", name="Delete").click()
        page.wait_for_selector("#recommenders-status.ok")

        assert not Recommender.objects.filter(pk=cues.pk).exists()
        assert recommender_row(page, cues).count() == 0
        assert page.locator("#recommenders-empty").is_visible()

    def test_a_label_added_on_the_page_is_offered_at_once(self, page, setting):
        open_settings(page, setting.project, setting.owner)
        labels = page.locator("[data-testid='label-add']")
        labels.get_by_label("Name").fill("Hedge")
        labels.get_by_role("button", name="Add label").click()
        page.wait_for_selector("#labels-status.ok")

        offered = add_form(page).get_by_label("Label", exact=True).locator("option").all_inner_texts()

        assert "Hedge" in offered


class TestAReviewer:
    def test_follows_a_job_on_the_jobs_page_as_a_worker_takes_it_up(self, page, setting, source_label, tmp_path):
        project = setting.project
        reviewer = UserFactory(username="reviewer")
        member_add(actor=member_of(setting.owner, project), username=reviewer.username, role=Role.REVIEWER)
        cues = make_recommender(setting.owner, project, "cues", [(source_label, "said")])
        job = recommender_run(member=member_of(setting.owner, project), recommender=cues, enqueue=enqueue)
        open_as(page, reviewer, f"/projects/{project.pk}/jobs/")

        item = job_item(page, job.pk)
        assert item.get_attribute("data-status") == "queued"
        assert item.locator(".progress-text").inner_text() == "0 of 3 documents (0%)"
        assert page.locator("[data-testid='jobs']").get_attribute("data-polling") == "true"
        with (tmp_path / "worker.log").open("w") as log:
            process = start_worker(log)
            try:
                page.wait_for_selector(f"li[data-job-id='{job.pk}'][data-status='done']", timeout=DONE_WITHIN_MS)
            finally:
                stop_worker(process)

        assert item.locator(".progress-text").inner_text() == "3 of 3 documents (100%)"
        page.wait_for_selector("[data-testid='jobs'][data-polling='false']")

    def test_sees_the_jobs_but_cannot_make_or_run_recommenders(self, page, setting, worker, source_label):
        project = setting.project
        reviewer = UserFactory(username="reviewer")
        member_add(actor=member_of(setting.owner, project), username=reviewer.username, role=Role.REVIEWER)
        cues = make_recommender(setting.owner, project, "cues", [(source_label, "said")])
        open_settings(page, project, setting.owner)
        recommender_row(page, cues).get_by_role("button", name="Run", exact=True).click()
        page.wait_for_selector("[data-testid='jobs'] li[data-status='done']", timeout=DONE_WITHIN_MS)
        page.context.clear_cookies()

        open_as(page, reviewer, f"/projects/{project.pk}/jobs/")

        [job] = Job.objects.filter(project=project)
        item = job_item(page, job.pk)
        assert item.get_attribute("data-status") == "done"
        assert item.locator(".job-name").inner_text() == "cues"
        assert item.locator(".progress-text").inner_text() == "3 of 3 documents (100%)"
        assert page.get_by_role("button", name="Run", exact=True).count() == 0
        assert page.locator("[data-testid='recommender-add']").count() == 0
        assert page.get_by_role("link", name="Settings").count() == 0
        recommenders = f"/api/v1/projects/{project.pk}/recommenders/"
        assert fetch(page, "POST", recommenders, {"name": "mine", "kind": "memory", "config": {}})[0] == 403
        assert fetch(page, "POST", f"{recommenders}{cues.pk}/run/", {})[0] == 403
        assert fetch(page, "GET", f"/api/v1/projects/{project.pk}/jobs/")[1]["count"] == 1
        assert Recommender.objects.filter(project=project).count() == 1
        assert Job.objects.filter(project=project).count() == 1
        assert page.goto(f"/projects/{project.pk}/settings/").status == 403


class TestOtherKindsOfJobs:
    def test_a_gamma_job_is_listed_by_what_it_does_with_its_progress(self, page, setting):
        project = setting.project
        job = Job.objects.create(project=project, kind="gamma", status="running", total=3, done=2)

        open_settings(page, project, setting.owner)

        item = job_item(page, job.pk)
        assert item.locator(".job-name").inner_text() == "Agreement: γ per document"
        assert item.locator(".progress-text").inner_text() == "2 of 3 documents (66%)"  # floored: 100% only when done

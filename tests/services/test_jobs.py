"""Recommender jobs run by the database worker's own code (tests/jobs.py): each document's suggestions stored with
the job's progress in one transaction, once however often it runs, errors per document, a job whose worker stopped
told from a running one, and what a job does when its recommender or labels changed under it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotator.errors import Conflict, InvalidInput, LabelInUse
from annotator.models import AuditEvent, Job, Suggestion
from annotator.recommenders.registry import build
from annotator.representations import job_json
from annotator.rules import WORKER_STOPPED
from annotator.services.documents import document_create_many
from annotator.services.gold import gold_create
from annotator.services.job_leases import JobTaken, jobs_fail_lost
from annotator.services.jobs import RecommenderRun, _Writer, job_run
from annotator.services.labels import label_delete, label_update
from annotator.services.recommenders import (
    recommender_create,
    recommender_delete,
    recommender_run,
    recommender_update,
)
from annotator.services.reviews import span_review
from tests.arrange import draw, member_of, phrase
from tests.jobs import enqueue, work_off
from tests.remote_model import Model
from tests.trail import Trail

TEXTS = [
    "The minister told reporters on Monday that talks would resume.",
    "Ілля Коваль 🇺🇦 told reporters nothing; the spokesman said little.",
    "Nobody said anything here, and nobody told reporters either.",
]


@pytest.fixture
def owner_member(owner, project):
    return member_of(owner, project)


@pytest.fixture
def documents(owner_member):
    return document_create_many(member=owner_member, items=[{"text": text} for text in TEXTS])


@pytest.fixture
def cue(project):
    return project.labels.get(name="Source attribution")


@pytest.fixture
def lexicon(owner_member, cue):
    config = {"entries": [{"label": cue.pk, "phrase": "told reporters"}, {"label": cue.pk, "phrase": "said"}]}
    return recommender_create(member=owner_member, name="cues", kind="lexicon", config=config)


def run(member, recommender, documents=None):
    job = recommender_run(member=member, recommender=recommender, enqueue=enqueue, documents=documents)
    assert work_off() == 1
    job.refresh_from_db()
    return job


def stored(source="lexicon:cues"):
    return sorted(Suggestion.objects.filter(source=source).values_list("document_id", "label_id", "start", "end"))


def expected(recommender, documents):
    maker = build(recommender.kind, recommender.config)
    return sorted(
        (document.pk, s["label"], s["start"], s["end"]) for document in documents for s in maker.suggest(document.text)
    )


class TestLexiconJob:
    def test_every_document_gets_its_suggestions_and_the_job_counts_them(self, owner_member, documents, lexicon):
        job = run(owner_member, lexicon)

        assert (job.status, job.done, job.total, job.errors) == ("done", 3, 3, [])
        assert job.started_at is not None and job.finished_at >= job.started_at
        assert job.lease_until is None
        assert stored() == expected(lexicon, documents)
        assert len(stored()) == 5
        assert set(Suggestion.objects.values_list("score", flat=True)) == {1.0}
        result = DBTaskResult.objects.get(pk=job.task_result_id)
        assert result.status == "SUCCESSFUL"

    def test_running_again_stores_no_suggestion_twice(self, owner_member, documents, lexicon):
        run(owner_member, lexicon)
        first = list(Suggestion.objects.order_by("id").values_list("id", flat=True))

        again = run(owner_member, lexicon)

        assert again.status == "done"
        assert list(Suggestion.objects.order_by("id").values_list("id", flat=True)) == first

    def test_each_document_with_new_suggestions_is_one_audit_event_by_who_ran_it(
        self, owner, owner_member, documents, lexicon
    ):
        trail = Trail()

        job = run(owner_member, lexicon)

        events = [e for e in trail.events() if e.action == "job.suggest"]
        assert [e.after["document"] for e in events] == [d.pk for d in documents]
        assert {(e.object_type, e.object_id, e.actor_id) for e in events} == {("job", job.pk, owner.pk)}
        assert sorted(i for e in events for i in e.after["suggestions"]) == sorted(
            Suggestion.objects.values_list("id", flat=True)
        )
        assert (
            run(owner_member, lexicon)
            and not AuditEvent.objects.filter(action="job.suggest", object_id__gt=job.pk).exists()
        )

    def test_only_the_documents_asked_for_are_worked_on(self, owner_member, documents, lexicon):
        job = run(owner_member, lexicon, documents=[documents[2].pk, documents[0].pk, documents[2].pk])

        assert (job.total, job.done, job.documents) == (2, 2, [documents[2].pk, documents[0].pk])
        assert {row[0] for row in stored()} == {documents[0].pk, documents[2].pk}

    def test_a_document_deleted_after_the_job_was_asked_for_is_counted_and_skipped(
        self, owner_member, documents, lexicon
    ):
        job = recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)
        documents[1].delete()

        work_off()

        job.refresh_from_db()
        assert (job.status, job.done, job.total) == ("done", 3, 3)
        assert {row[0] for row in stored()} == {documents[0].pk, documents[2].pk}

    def test_a_job_not_queued_any_more_is_not_run_again(self, owner_member, documents, lexicon):
        job = run(owner_member, lexicon)
        Suggestion.objects.all().delete()

        job_run(job_id=job.pk)

        assert not Suggestion.objects.exists()


@pytest.mark.django_db(transaction=True)
class TestWritesOnAThreadOfTheirOwn:
    """Outside a transaction (as in a real worker) a job's writes run on a writer thread with its own connection
    while the next documents are matched; inside one (the tests above) they run in place."""

    def test_a_job_run_outside_a_transaction_stores_the_same_as_in_place(self, owner_member, documents, lexicon):
        job = run(owner_member, lexicon)

        assert (job.status, job.done, job.total, job.errors) == ("done", 3, 3, [])
        assert stored() == expected(lexicon, documents)
        assert AuditEvent.objects.filter(action="job.suggest").count() == 3

    def test_the_writer_keeps_the_order_and_stops_at_its_first_error(self):
        done = []

        def fail():
            raise JobTaken()

        writer = _Writer()
        writer.submit(lambda: done.append(1))
        writer.submit(fail)
        writer.submit(lambda: done.append(3))  # after the error: never run
        writer.close()

        assert done == [1]
        with pytest.raises(JobTaken):
            writer.check()
        with pytest.raises(JobTaken):
            writer.submit(lambda: done.append(4))
        writer.close()  # a second close, as a job that ends on an error closes it again
        assert not writer.thread.is_alive()


class TestWhatChangedUnderTheJob:
    def test_a_deactivated_label_fails_the_job_before_any_document(self, owner_member, documents, lexicon, cue):
        recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)
        label_update(member=owner_member, label=cue, active=False)

        work_off()

        job = Job.objects.get()
        assert (job.status, job.done) == ("failed", 0)
        assert "no longer holds" in job.errors[0]["message"] and str(cue.pk) in job.errors[0]["message"]
        assert not Suggestion.objects.exists()

    def test_a_recommender_deleted_before_its_job_ran_fails_the_job(self, owner_member, documents, lexicon):
        recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)
        recommender_delete(member=owner_member, recommender=lexicon)

        work_off()

        job = Job.objects.get()
        assert job.status == "failed"
        assert job.errors == [{"documents": [], "message": "The recommender was deleted before the job ran."}]

    def test_a_label_a_recommender_names_cannot_be_deleted(self, owner_member, lexicon, cue):
        cue.spans.all().delete()

        with pytest.raises(LabelInUse) as refused:
            label_delete(member=owner_member, label=cue)

        assert "'cues'" in str(refused.value.detail)


class TestMemoryJob:
    def test_it_learns_from_accepted_and_gold_spans_only(
        self, owner, reviewer, annotator, owner_member, project, documents
    ):
        cue = project.labels.get(name="Source attribution")
        claim = project.labels.get(name="Diplomatic claim")
        accepted = draw(annotator, documents[0], cue, "told reporters")
        span_review(member=member_of(reviewer, project), span=accepted, decision="accepted")
        draw(annotator, documents[0], claim, "talks would resume")  # pending: not learnt
        start, end = phrase("said", documents[1].text)
        gold_create(member=member_of(reviewer, project), document=documents[1], label=claim.pk, start=start, end=end)
        memory = recommender_create(member=owner_member, name="memo", kind="memory", config={})

        job = run(owner_member, memory)

        assert job.status == "done"
        found = {(d, label, documents_by_id(documents)[d][s:e]) for d, label, s, e in stored("memory:memo")}
        assert found == {
            (documents[0].pk, cue.pk, "told reporters"),
            (documents[1].pk, cue.pk, "told reporters"),
            (documents[2].pk, cue.pk, "told reporters"),
            (documents[1].pk, claim.pk, "said"),
            (documents[2].pk, claim.pk, "said"),
        }


def documents_by_id(documents):
    return {document.pk: document.text for document in documents}


class TestAttributionJob:
    def test_its_labels_default_to_the_ones_named_source_cue_and_content(self, owner, make_user):
        from annotator.services.projects import project_create

        project = project_create(user=owner, name="Quotes", label_preset="attribution")
        member = member_of(owner, project)
        [document] = document_create_many(
            member=member, items=[{"text": '"We will not retreat," the mayor said on Tuesday.'}]
        )
        labels = dict(project.labels.values_list("name", "id"))

        recommender = recommender_create(member=member, name="quotes", kind="attribution", config={})
        job = run(member, recommender)

        assert recommender.config == {"source": labels["Source"], "cue": labels["Cue"], "content": labels["Content"]}
        assert job.status == "done"
        texts = {(label, document.text[start:end]) for _, label, start, end in stored("attribution:quotes")}
        assert (labels["Cue"], "said") in texts
        assert (labels["Source"], "the mayor") in texts


def found_or_broken(phrase):
    """A model's answer: `phrase` as Source attribution wherever it first occurs, and a span past the end of the
    text for any document whose text holds "broken"."""

    def spans_for(document):
        text, spans = document["text"], []
        if phrase in text:
            start = text.index(phrase)
            spans.append({"label": "Source attribution", "start": start, "end": start + len(phrase)})
        if "broken" in text:
            spans.append({"label": "Source attribution", "start": 0, "end": len(text) + 5})
        return spans

    return spans_for


@pytest.fixture
def model():
    server = Model(found_or_broken("told reporters"))
    yield server
    server.close()


class TestRemoteJob:
    def test_a_bad_answer_for_one_document_is_that_documents_error_alone(
        self, settings, owner_member, documents, model
    ):
        settings.SLANT_RECOMMENDER_HOSTS = ["127.0.0.1"]
        [broken] = document_create_many(member=owner_member, items=[{"text": "A broken answer comes for this."}])
        recommender = recommender_create(
            member=owner_member, name="team", kind="http", config={"url": model.url, "timeout": 5}
        )

        job = run(owner_member, recommender)

        assert model.calls == [[*(d.pk for d in documents), broken.pk]]  # one batch: 50 at a time
        assert (job.status, job.done, job.total) == ("done", 4, 4)
        [error] = job.errors
        assert error["documents"] == [broken.pk] and "past the end of the text" in error["message"]
        assert {row[0] for row in stored("http:team")} == {documents[0].pk, documents[1].pk, documents[2].pk}

    def test_a_server_that_cannot_be_reached_fails_every_document_and_the_job(
        self, settings, owner_member, documents, model
    ):
        settings.SLANT_RECOMMENDER_HOSTS = ["127.0.0.1"]
        recommender = recommender_create(
            member=owner_member, name="team", kind="http", config={"url": model.url, "timeout": 5}
        )
        model.close()

        job = run(owner_member, recommender)

        assert (job.status, job.done) == ("failed", 3)
        assert [error["documents"] for error in job.errors] == [[d.pk for d in documents]]
        assert "could not be reached" in job.errors[0]["message"]
        assert not Suggestion.objects.exists()


class TestLostWorker:
    def lose(self, job):
        """What a worker killed mid-job leaves: its task claimed, and a running job whose lease has run out."""
        DBTaskResult.objects.filter(pk=job.task_result_id).update(status="RUNNING", started_at=timezone.now())
        Job.objects.filter(pk=job.pk).update(
            status="running", started_at=timezone.now(), lease_until=timezone.now() - timedelta(seconds=1)
        )
        job.refresh_from_db()
        return job

    def test_a_running_job_whose_lease_ran_out_shows_as_failed_saying_its_worker_stopped(
        self, owner_member, documents, lexicon
    ):
        job = self.lose(recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue))

        shown = job_json(job, now=timezone.now())

        assert shown["status"] == "failed"
        assert shown["errors"] == [{"documents": [], "message": WORKER_STOPPED}]
        assert shown["finished_at"] is not None

    def test_a_running_job_within_its_lease_shows_as_running(self, owner_member, documents, lexicon):
        job = recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)
        Job.objects.filter(pk=job.pk).update(status="running", lease_until=timezone.now() + timedelta(seconds=30))
        job.refresh_from_db()

        assert job_json(job, now=timezone.now())["status"] == "running"

    def test_running_the_recommender_again_stores_the_lost_job_as_failed_and_runs_a_new_one(
        self, owner_member, documents, lexicon
    ):
        lost = self.lose(recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue))

        again = run(owner_member, lexicon)

        lost.refresh_from_db()
        assert lost.status == "failed" and lost.errors[-1]["message"] == WORKER_STOPPED
        assert again.status == "done" and stored() == expected(lexicon, documents)

    def test_a_worker_whose_job_was_taken_from_it_writes_nothing_more(self, owner_member, documents, lexicon):
        job = recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)
        Job.objects.filter(pk=job.pk).update(status="running", lease_until=timezone.now() - timedelta(seconds=1))
        jobs_fail_lost(project_id=job.project_id, now=timezone.now())
        job = Job.objects.select_related("recommender", "created_by").get(pk=job.pk)
        worker = RecommenderRun(job)

        with pytest.raises(Exception) as stopped:
            worker.go()

        assert type(stopped.value).__name__ == "JobTaken"
        assert not Suggestion.objects.exists()
        assert Job.objects.get(pk=job.pk).done == 0


class TestRunRefusals:
    def test_an_inactive_recommender_does_not_run(self, owner_member, documents, lexicon):
        recommender_update(member=owner_member, recommender=lexicon, active=False)

        with pytest.raises(Conflict):
            recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)

        assert not Job.objects.exists()

    def test_a_recommender_with_a_job_queued_does_not_run_twice_at_once(self, owner_member, documents, lexicon):
        first = recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)

        with pytest.raises(Conflict) as refused:
            recommender_run(member=owner_member, recommender=lexicon, enqueue=enqueue)

        assert f"Job {first.pk}" in str(refused.value.detail)
        assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1

    def test_a_document_of_another_project_is_refused_naming_documents(
        self, owner_member, documents, lexicon, other_project
    ):
        with pytest.raises(InvalidInput) as refused:
            recommender_run(
                member=owner_member,
                recommender=lexicon,
                enqueue=enqueue,
                documents=[documents[0].pk, other_project.documents.get().pk],
            )

        assert set(refused.value.detail) == {"documents"}
        assert not Job.objects.exists() and not DBTaskResult.objects.exists()

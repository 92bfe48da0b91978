"""A large import runs in a job (SPEC "Import", "Jobs"): POST …/imports/ answers 202 with it, a worker imports the
file all or nothing, the job shows its progress and then the counts or every problem, and the file kept for it is
deleted when it ends."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator import formats
from annotator.access import access_project
from annotator.models import Answer, AuditEvent, Document, ImportChunk, ImportUpload, Job, Label, Relation, Span
from annotator.services import import_jobs, imports
from annotator.services.members import member_add, member_remove
from tests.conftest import url
from tests.jobs import work_off

TEXT = "Kyiv 🇺🇦: the ministry's spokesman told reporters on Monday that talks would resume within weeks."


def record(n, **fields):
    spans = [
        {"id": 1, "start": 0, "end": 4, "label": "Source attribution", "annotator": "annotator"},
        {"id": 2, "start": 35, "end": 49, "label": "Diplomatic claim", "annotator": "annotator"},
        {"id": 3, "start": 0, "end": 4, "label": "Job-made label", "annotator": "annotator2"},
    ]
    return {"external_id": f"dispatch-{n}", "title": f"Dispatch {n}", "text": f"{TEXT} ({n})", "spans": spans,
            **fields}  # fmt: skip


def jsonl(records):
    return ("\n".join(json.dumps(each, ensure_ascii=False) for each in records) + "\n").encode()


def post(client, project, data, name="wire.jsonl", **fields):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(url(project, "imports"), {"file": upload, "format": "jsonl", **fields}, format="multipart")


@pytest.fixture
def large(settings):
    """Every file of more than 100 bytes counts as large."""
    settings.SLANT_IMPORT_JOB_BYTES = 100


def job_json(client, project, job_id):
    response = client.get(url(project, "jobs", job_id))
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
class TestLargeImport:
    def test_answers_202_with_a_queued_job_and_stores_nothing_yet(self, large, client_for, owner, project):
        response = post(client_for(owner), project, jsonl([record(n) for n in range(5)]), create_labels="true")

        assert response.status_code == 202
        job = response.json()["job"]
        assert (job["kind"], job["status"], job["done"], job["result"]) == ("import", "queued", 0, None)
        assert job["created_by"] == "owner"
        assert not Document.objects.filter(project=project).exists()
        assert ImportUpload.objects.get(job_id=job["id"]).size == len(jsonl([record(n) for n in range(5)]))

    def test_the_job_stores_everything_and_reports_the_counts(self, large, client_for, owner, project):
        client = client_for(owner)
        records = [record(n, relations=[{"type": "cites", "from": 1, "to": 2}]) for n in range(5)]
        job_id = post(client, project, jsonl(records), create_labels="true").json()["job"]["id"]

        assert work_off() == 1

        job = job_json(client, project, job_id)
        assert (job["status"], job["total"], job["done"], job["errors"]) == ("done", 5, 5, [])
        assert job["result"] == {
            "documents": {"stored": 5, "skipped": 0},
            "spans": {"stored": 15, "skipped": 0},
            "relations": {"stored": 5, "skipped": 0},
            "answers": {"stored": 0, "skipped": 0},
            "labels_created": ["Job-made label"],
            "relation_types_created": ["cites"],
            "lines_skipped": 0,
        }
        assert Document.objects.filter(project=project).count() == 5
        assert Span.objects.filter(document__project=project).count() == 15
        assert Relation.objects.filter(document__project=project).count() == 5
        assert Label.objects.filter(project=project, name="Job-made label").exists()
        assert not ImportUpload.objects.exists()
        assert not ImportChunk.objects.exists()
        assert AuditEvent.objects.filter(action="project.import", project_id=project.pk).count() == 1

    def test_the_counts_are_the_ones_a_request_import_answers(self, large, settings, client_for, owner, project):
        client = client_for(owner)
        data = jsonl([record(n) for n in range(4)])
        job_id = post(client, project, data, create_labels="true").json()["job"]["id"]
        work_off()
        settings.SLANT_IMPORT_JOB_BYTES = 10**9
        again = post(client, project, data, create_labels="true")  # all four already there: skipped

        assert again.status_code == 201
        assert job_json(client, project, job_id)["result"]["documents"] == {"stored": 4, "skipped": 0}
        assert again.json()["documents"] == {"stored": 0, "skipped": 4}
        assert again.json()["spans"] == {"stored": 0, "skipped": 12}

    def test_background_true_makes_a_job_of_a_small_file(self, client_for, owner, project):
        response = post(client_for(owner), project, jsonl([record(1)]), background="true", create_labels="true")

        assert response.status_code == 202
        work_off()
        assert Document.objects.filter(project=project).count() == 1

    def test_a_small_file_is_still_imported_within_the_request(self, client_for, owner, project):
        response = post(client_for(owner), project, jsonl([record(1)]), create_labels="true")

        assert response.status_code == 201
        assert response.json()["documents"] == {"stored": 1, "skipped": 0}
        assert not Job.objects.exists()


@pytest.mark.django_db
class TestBadLargeImport:
    def bad_file(self):
        good = [record(n) for n in range(6)]
        good[1]["spans"][0]["end"] = 10_000  # past the text
        good[4]["spans"][1]["label"] = "No such label"
        return jsonl(good)

    def test_the_job_fails_with_every_problem_of_the_400_and_stores_nothing(self, large, settings, client_for, owner,
                                                                           project):  # fmt: skip
        client = client_for(owner)
        job_id = post(client, project, self.bad_file()).json()["job"]["id"]

        work_off()

        job = job_json(client, project, job_id)
        settings.SLANT_IMPORT_JOB_BYTES = 10**9
        refused = post(client, project, self.bad_file())
        assert refused.status_code == 400
        assert (job["status"], job["done"], job["result"]) == ("failed", 0, None)
        assert [(error["line"], error["message"]) for error in job["errors"]] == [
            (problem["line"], problem["message"]) for problem in refused.json()["problems"]
        ]
        assert [error["line"] for error in job["errors"]] == [1, 2, 5]  # a label missing, a span past its text, …
        assert not Document.objects.filter(project=project).exists()
        assert not Span.objects.exists()
        assert not ImportUpload.objects.exists()
        assert not ImportChunk.objects.exists()

    def test_a_file_that_is_no_json_fails_the_job_naming_its_line(self, large, client_for, owner, project):
        client = client_for(owner)
        job_id = post(client, project, jsonl([record(1)]) + b"{not json\n" + b"x" * 200, create_labels="true").json()[
            "job"
        ]["id"]

        work_off()

        job = job_json(client, project, job_id)
        assert job["status"] == "failed"
        assert job["errors"][0]["line"] == 2
        assert not Document.objects.exists()

    def test_an_importer_no_longer_owner_fails_the_job(self, large, client_for, owner, project, make_user):
        second = make_user("second-owner")
        actor = access_project(owner, project.pk)
        member_add(actor=actor, username=second.username, role="owner")
        job_id = post(client_for(second), project, jsonl([record(1), record(2)])).json()["job"]["id"]
        member_remove(actor=actor, member=project.members.get(user=second))

        work_off()

        job = job_json(client_for(owner), project, job_id)
        assert job["status"] == "failed"
        assert "no longer an owner" in job["errors"][0]["message"]
        assert not Document.objects.exists()
        assert not ImportUpload.objects.exists()


@pytest.mark.django_db
class TestProgress:
    def test_done_moves_across_batches(self, large, monkeypatch, client_for, owner, project):
        monkeypatch.setattr(imports, "BATCH_DOCUMENTS", 2)
        client = client_for(owner)
        job_id = post(client, project, jsonl([record(n) for n in range(7)]), create_labels="true").json()["job"]["id"]

        with CaptureQueriesContext(connection) as queries:
            work_off()

        written = [int(found) for query in queries.captured_queries
                   if query["sql"].startswith('UPDATE "annotator_job"')
                   for found in re.findall(r'"done" = (\d+)', query["sql"])]  # fmt: skip
        assert written == [2, 4, 6, 7]  # each batch as it is written, then the end
        assert job_json(client, project, job_id)["total"] == 7

    def test_document_import_reports_each_batch(self, monkeypatch, project, owner):
        monkeypatch.setattr(imports, "BATCH_DOCUMENTS", 3)
        seen = []

        imports.document_import(
            member=access_project(owner, project.pk),
            records=formats.records("jsonl", jsonl([record(n) for n in range(8)])),
            create_labels=True,
            progress=seen.append,
        )

        assert seen == [3, 6]


@pytest.mark.django_db
class TestRefused:
    def test_a_reviewer_may_not_import_documents_in_a_job(self, large, client_for, reviewer, project):
        response = post(client_for(reviewer), project, jsonl([record(1), record(2)]))

        assert response.status_code == 403
        assert not Job.objects.exists()

    def test_an_annotator_may_not(self, large, client_for, annotator, project):
        assert post(client_for(annotator), project, jsonl([record(1), record(2)])).status_code == 403
        assert not ImportUpload.objects.exists()

    def test_an_outsider_gets_404_and_cannot_see_the_job(self, large, client_for, owner, outsider, project):
        job_id = post(client_for(owner), project, jsonl([record(1), record(2)])).json()["job"]["id"]

        assert post(client_for(outsider), project, jsonl([record(1), record(2)])).status_code == 404
        assert client_for(outsider).get(url(project, "jobs", job_id)).status_code == 404
        assert Job.objects.count() == 1

    def test_no_file_is_400(self, large, client_for, owner, project):
        response = client_for(owner).post(url(project, "imports"), {"format": "jsonl"}, format="multipart")

        assert response.status_code == 400
        assert "file" in response.json()
        assert not Job.objects.exists()

    def test_a_file_over_the_import_limit_is_413(self, large, settings, client_for, owner, project):
        settings.SLANT_IMPORT_MAX_BYTES = 150

        response = post(client_for(owner), project, jsonl([record(n) for n in range(3)]))

        assert response.status_code == 413
        assert not Job.objects.exists()
        assert not ImportUpload.objects.exists()

    def test_offsets_a_format_does_not_take_are_400_at_once(self, large, client_for, owner, project):
        response = post(client_for(owner), project, jsonl([record(1), record(2)]), offsets="utf16")

        assert response.status_code == 400
        assert not Job.objects.exists()

    def test_background_with_suggestions_is_400(self, client_for, owner, project):
        response = post(client_for(owner), project, jsonl([record(1)]), layer="suggestions", background="true")

        assert response.status_code == 400
        assert "background" in response.json()


@pytest.mark.django_db
def test_the_file_is_kept_in_chunks(monkeypatch, client_for, owner, project):
    monkeypatch.setattr(import_jobs, "CHUNK_BYTES", 100)
    data = jsonl([record(n) for n in range(3)])

    job_id = post(client_for(owner), project, data, background="true").json()["job"]["id"]

    chunks = ImportChunk.objects.filter(upload__job_id=job_id).order_by("number")
    assert len(chunks) == -(-len(data) // 100)
    assert b"".join(bytes(chunk.data) for chunk in chunks) == data
    assert not Answer.objects.exists()

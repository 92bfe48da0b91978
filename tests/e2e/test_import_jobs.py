"""The import page with a large file in a real browser: the server queues a job, a real worker (`manage.py
db_worker`) imports the file, and the page follows the job to its counts, or to every problem of a bad file."""

import json

import pytest

from annotator.models import Document, ImportUpload, Job, Span
from tests.e2e.conftest import open_as
from tests.e2e.worker import start_worker, stop_worker

TEXT = "Kyiv 🇺🇦: the ministry's spokesman told reporters on Monday that talks would resume within weeks."
DONE_WITHIN_MS = 60_000


@pytest.fixture
def setting_documents():
    return []


@pytest.fixture
def large(settings):
    """Every file of more than 100 bytes is imported by a job (the live server runs in this process)."""
    settings.SLANT_IMPORT_JOB_BYTES = 100


@pytest.fixture
def worker(setting, tmp_path):
    with (tmp_path / "worker.log").open("w") as log:
        process = start_worker(log)
        yield process
        stop_worker(process)


def upload(records, name="wire.jsonl"):
    data = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()
    return {"name": name, "mimeType": "application/json", "buffer": data}


def record(n, label="Source attribution"):
    return {"external_id": f"dispatch-{n}", "title": f"Dispatch {n}", "text": f"{TEXT} ({n})",
            "spans": [{"start": 0, "end": 4, "label": label}]}  # fmt: skip


class TestImportJob:
    def test_a_large_file_is_imported_by_a_job_and_the_page_shows_its_counts(self, page, setting, large, worker):
        project, owner = setting.project, setting.owner
        open_as(page, owner, f"/projects/{project.pk}/import/")
        page.set_input_files("#import-file", upload([record(n) for n in range(3)]))
        page.get_by_role("button", name="Import").click()

        files = page.locator("[data-testid='import-files']")
        page.wait_for_function(
            "() => document.querySelector(\"[data-testid='import-files']\").dataset.state === 'done'",
            timeout=DONE_WITHIN_MS,
        )

        assert page.locator("[data-testid='import-status']").inner_text() == "Imported 3 documents and 3 spans."
        assert files.locator("[data-count='documents.stored']").inner_text() == "3"
        assert Job.objects.get().status == "done"
        assert Document.objects.filter(project=project).count() == 3
        assert not ImportUpload.objects.exists()

    def test_a_bad_large_file_lists_every_problem_and_stores_nothing(self, page, setting, large, worker):
        project, owner = setting.project, setting.owner
        open_as(page, owner, f"/projects/{project.pk}/import/")
        page.set_input_files("#import-file", upload([record(1), record(2, label="No such label"), record(3)]))
        page.get_by_role("button", name="Import").click()

        problems = page.locator("[data-testid='import-problems']")
        problems.wait_for(timeout=DONE_WITHIN_MS)

        assert "No such label" in problems.inner_text()
        assert problems.locator("tbody tr td.num").first.inner_text() == "2"
        assert Job.objects.get().status == "failed"
        assert not Span.objects.exists()
        assert not Document.objects.filter(project=project).exists()

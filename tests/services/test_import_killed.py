"""An import killed halfway (the process, by SIGKILL, inside its one transaction) leaves nothing behind, and the
database takes the next import. Runs on SQLite (the file test database, shared with the subprocess) and PostgreSQL.
"""

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Max

from annotator.access import access_project
from annotator.models import Assignment, AuditEvent, Document, Label, Role, Span
from annotator.services.members import member_add
from annotator.services.projects import project_create

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENTS = 20_000
TIMEOUT = 60
NEW_LABEL = "Killed-import label"
TEXT = "Kyiv 🇺🇦: the ministry's spokesman told reporters on Monday that talks would resume within weeks. "


def database_url():
    """The test database as DATABASE_URL spells it, so the subprocess works on the rows this test sees."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    address = f"{db['HOST']}:{db['PORT']}" if db["PORT"] else db["HOST"]
    return f"postgres://{credentials}@{address}/{quote(db['NAME'])}"


def write_jsonl(path, count, prefix):
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            spans = [
                {"start": 0, "end": 4, "label": "Source attribution", "annotator": "annotator"},
                {"start": 14, "end": 40, "label": NEW_LABEL, "annotator": "annotator2"},
                {"start": 41, "end": 55, "label": "Diplomatic claim"},
            ]
            record = {"external_id": f"{prefix}-{n}", "title": f"Dispatch {n}", "text": TEXT * 3, "spans": spans}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def start_import(project, path, log):
    """`manage.py import_documents` as a process of its own, on the test database."""
    env = {**os.environ, "DATABASE_URL": database_url(), "SLANT_DATA_DIR": str(settings.DATA_DIR)}
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "import_documents", str(project.pk), str(path)]
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [*command, "--format", "jsonl", "--create-labels"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


class SqliteWatch:
    """The import is halfway once it holds the write lock (project/sqlite takes it for every transaction) and
    its transaction has spilled pages into the WAL since it started."""

    def __init__(self):
        name = connection.settings_dict["NAME"]
        self.wal = Path(f"{name}-wal")
        self.lock = os.open(f"{name}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
        self.start = self._wal_written()

    def _wal_written(self):
        return self.wal.stat().st_mtime_ns if self.wal.exists() else 0

    def halfway(self):
        try:
            fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return self._wal_written() > self.start
        fcntl.flock(self.lock, fcntl.LOCK_UN)
        return False

    def settled(self):
        """The kernel lets go of a dead process's lock at once; SQLite ignores the WAL frames it never committed."""
        return True

    def close(self):
        os.close(self.lock)


class PostgresWatch:
    """The import is halfway once another session on this database holds the lock that writing to the span
    table takes (spans go in after their documents; the lock lasts until the transaction ends)."""

    def halfway(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE pid <> pg_backend_pid() AND mode = 'RowExclusiveLock' "
                "AND relation = %s::regclass "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                [Span._meta.db_table],
            )
            return cursor.fetchone()[0] > 0

    def settled(self):
        """The killed client's session has noticed, rolled back and let go of its locks."""
        return not self.halfway()

    def close(self):
        pass


def wait_for(condition, what, process=None):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"The import ended (exit code {process.returncode}) before {what}; give it a larger file.")
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting until {what}.")
        time.sleep(0.005)


@pytest.fixture
def project(owner, annotator, annotator2):
    project = project_create(user=owner, name="Wire desk", label_preset="framing")
    member = access_project(owner, project.pk)
    member_add(actor=member, username=annotator.username, role=Role.ANNOTATOR)
    member_add(actor=member, username=annotator2.username, role=Role.ANNOTATOR)
    return project


def stored(project):
    return {
        "documents": Document.objects.filter(project=project).count(),
        "spans": Span.objects.filter(document__project=project).count(),
        "assignments": Assignment.objects.filter(document__project=project).count(),
        "labels": Label.objects.filter(project=project).count(),
    }


class TestImportKilledHalfway:
    def test_nothing_of_it_is_stored_and_the_next_import_succeeds(self, project, tmp_path):
        big = write_jsonl(tmp_path / "big.jsonl", DOCUMENTS, "big")
        before = stored(project)
        last_event = AuditEvent.objects.aggregate(last=Max("id"))["last"]
        watch = SqliteWatch() if connection.vendor == "sqlite" else PostgresWatch()
        with (tmp_path / "killed.log").open("wb") as log:
            process = start_import(project, big, log)
            try:
                wait_for(watch.halfway, "it was inside its transaction", process)
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=TIMEOUT)
                wait_for(watch.settled, "the killed import's session was gone")
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
                watch.close()

        assert process.returncode == -signal.SIGKILL
        assert stored(project) == before
        assert not AuditEvent.objects.filter(id__gt=last_event).exists()
        assert not Label.objects.filter(name=NEW_LABEL).exists()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA quick_check")
                assert cursor.fetchone()[0] == "ok"

        small = write_jsonl(tmp_path / "small.jsonl", 3, "small")
        with (tmp_path / "next.log").open("wb") as log:
            next_import = start_import(project, small, log)
            next_import.wait(timeout=TIMEOUT)
        output = (tmp_path / "next.log").read_text()

        assert next_import.returncode == 0, output
        assert json.loads(output.splitlines()[-1])["documents"] == {"stored": 3, "skipped": 0}
        assert stored(project) == {
            "documents": 3,
            "spans": 9,
            "assignments": 6,
            "labels": before["labels"] + 1,
        }
        assert AuditEvent.objects.filter(id__gt=last_event, action="document.import").count() == 3

"""`make run`'s server (`manage.py serve`): gunicorn and one db_worker side by side, on a database of their own;
Ctrl+C (an INT to the process group) or a TERM stops both, and either of the two ending stops the other. With
--no-worker or --no-web it starts one of the two alone (a team's web machines and worker machines)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotator.choices import JobStatus
from annotator.services.recommenders import recommender_run
from tests.arrange import make_recommender, member_of
from tests.e2e.worker import database_url
from tests.jobs import enqueue

ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN_S = 60
STOPPED_WITHIN_S = 15


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid):
    """The ids of the processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def server(tmp_path):
    """A started `manage.py serve` on a fresh SQLite database: (process, port, [worker pid, gunicorn pid])."""
    env = {**os.environ, "SLANT_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # never the suite's own database
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    port = free_port()
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", "serve", "--", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def answers():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        try:
            assert wait_until(answers, READY_WITHIN_S), (tmp_path / "serve.log").read_text()
            spawned = children(process.pid)
            yield process, spawned
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class TestServe:
    def test_it_runs_gunicorn_and_a_db_worker_and_ctrl_c_stops_both(self, server):
        process, spawned = server
        assert len(spawned) == 2
        assert any(b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in spawned)
        assert any(b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in spawned)

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C in the terminal does

        assert process.wait(STOPPED_WITHIN_S) == 0
        assert wait_until(lambda: not any(alive(pid) for pid in spawned), STOPPED_WITHIN_S)

    def test_a_worker_that_dies_takes_the_web_server_down_too(self, server):
        process, spawned = server
        [worker] = [pid for pid in spawned if b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()]

        os.kill(worker, signal.SIGKILL)

        process.wait(STOPPED_WITHIN_S)
        assert wait_until(lambda: not any(alive(pid) for pid in spawned), STOPPED_WITHIN_S)


@pytest.fixture
def serve_alone(django_db_setup, tmp_path):
    """Start `manage.py serve <flags>` on the suite's test database (migrated already); returns (process, port)."""
    started = []

    def start(*flags):
        port = free_port()
        env = {**os.environ, "DATABASE_URL": database_url(), "SLANT_DATA_DIR": str(tmp_path)}
        gunicorn = [] if "--no-web" in flags else ["--", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        with (tmp_path / "serve.log").open("a") as log:
            process = subprocess.Popen(  # noqa: S603 (our own manage.py)
                [sys.executable, "manage.py", "serve", *flags, *gunicorn],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        return process, port

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def command_lines(pids):
    return [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in pids]


class TestServeOnePart:
    def test_no_worker_runs_gunicorn_alone(self, serve_alone):
        process, port = serve_alone("--no-worker")

        def answers():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        assert wait_until(answers, READY_WITHIN_S)
        [web] = children(process.pid)
        assert b"gunicorn" in command_lines([web])[0]

        os.killpg(process.pid, signal.SIGINT)

        assert process.wait(STOPPED_WITHIN_S) == 0
        assert wait_until(lambda: not alive(web), STOPPED_WITHIN_S)

    @pytest.mark.django_db(transaction=True)
    def test_no_web_runs_the_db_worker_alone_which_runs_a_queued_job(
        self, serve_alone, owner, project, document, label
    ):
        recommender = make_recommender(owner, project, "cues", [(label, "told reporters")])
        job = recommender_run(member=member_of(owner, project), recommender=recommender, enqueue=enqueue)

        process, _ = serve_alone("--no-web")

        def finished():
            job.refresh_from_db()
            return job.status == JobStatus.DONE

        assert wait_until(finished, READY_WITHIN_S)
        assert job.done == job.total == 1
        [worker] = children(process.pid)
        assert b"db_worker" in command_lines([worker])[0]

        os.killpg(process.pid, signal.SIGINT)

        assert process.wait(STOPPED_WITHIN_S) == 0
        assert wait_until(lambda: not alive(worker), STOPPED_WITHIN_S)

    def test_both_flags_together_are_refused(self):
        with pytest.raises(CommandError, match="leave nothing to serve"):
            call_command("serve", "--no-worker", "--no-web")

    def test_no_web_with_gunicorn_arguments_is_refused(self):
        with pytest.raises(CommandError, match="--no-web starts no gunicorn"):
            call_command("serve", "--no-web", "--", "--bind", "127.0.0.1:1")

"""A real job worker for end-to-end tests: `manage.py db_worker` as a process of its own, on the test database the
live server serves, so a job queued through the page is taken up, run and finished exactly as in production."""

import os
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection

POLL_SECONDS = "0.2"


def database_url():
    """The test database as DATABASE_URL spells it, so the worker works on the rows the live server sees."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    address = f"{db['HOST']}:{db['PORT']}" if db["PORT"] else db["HOST"]
    return f"postgres://{credentials}@{address}/{quote(db['NAME'])}"


def start_worker(log, **environment):
    """`manage.py db_worker` polling the test database every POLL_SECONDS; `environment` adds settings (e.g. the
    SLANT_RECOMMENDER_HOSTS the worker checks a remote URL against again)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SLANT_DATA_DIR": str(settings.DATA_DIR),
        **environment,
    }
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--interval", POLL_SECONDS]
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [*command, "--no-startup-delay", "--no-reload", "--worker-id", f"e2e-{os.getpid()}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_worker(process):
    """Stop the worker this test started (its own process id only) and reap it."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

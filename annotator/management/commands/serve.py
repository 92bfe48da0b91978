"""`make run`'s server: gunicorn and one background worker (`manage.py db_worker`, which runs recommender jobs) side
by side. Ctrl+C, a TERM, or either of the two ending stops both. A worker stopped mid-job loses nothing: its
documents are written whole, each group in one transaction, and the job shows as failed, to be run again.

    python manage.py serve -- [gunicorn arguments…]
    python manage.py serve --no-worker -- [gunicorn arguments…]   # a web process only (a team: docs/deployment.md)
    python manage.py serve --no-web                               # a job worker only
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = "Serve the web app with gunicorn and one db_worker beside it; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-worker", action="store_true", help="Start gunicorn only (the job workers run elsewhere)."
        )
        parser.add_argument("--no-web", action="store_true", help="Start the db_worker only (no gunicorn).")
        parser.add_argument("gunicorn_args", nargs="*", help="Passed to gunicorn (after --).")

    def handle(self, *args, gunicorn_args, no_worker, no_web, **options):
        if no_worker and no_web:
            raise CommandError("--no-worker and --no-web together leave nothing to serve.")
        if no_web and gunicorn_args:
            raise CommandError("--no-web starts no gunicorn: leave out the gunicorn arguments.")
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        worker = web = None
        if not no_worker:
            worker = subprocess.Popen([python, manage, "db_worker", "--no-reload", "--interval", "1"])  # noqa: S603 (ours)
        if not no_web:
            gunicorn = str(Path(python).parent / "gunicorn")
            web = subprocess.Popen([gunicorn, "project.wsgi", *gunicorn_args])  # noqa: S603 (the caller's own arguments)
        started = [process for process in (web, worker) if process is not None]
        stopping = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.append(True))
        while not stopping and all(process.poll() is None for process in started):
            time.sleep(POLL_SECONDS)
        ended = [process.poll() for process in started if process.poll() is not None]
        status = ended[0] if ended else None
        if web is not None:
            web.terminate()
        # One INT asks the worker to finish its task first; a second, a moment later, stops it now (a long job may
        # have thousands of documents to go; the ones done stay done).
        for _ in range(2):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                time.sleep(0.5)
        for process in started:
            process.wait()
        if status:
            sys.exit(status)

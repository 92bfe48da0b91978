"""`make run`'s server: gunicorn and one background worker (`manage.py db_worker`, which runs recommender jobs) side
by side. Ctrl+C, a TERM, or either of the two ending stops both. A worker stopped mid-job loses nothing: its
documents are written whole, each group in one transaction, and the job shows as failed, to be run again.

    python manage.py serve -- [gunicorn arguments…]
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = "Serve the web app with gunicorn and one db_worker beside it; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("gunicorn_args", nargs="*", help="Passed to gunicorn (after --).")

    def handle(self, *args, gunicorn_args, **options):
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        worker = subprocess.Popen([python, manage, "db_worker", "--no-reload", "--interval", "1"])  # noqa: S603 (ours)
        gunicorn = str(Path(python).parent / "gunicorn")
        web = subprocess.Popen([gunicorn, "project.wsgi", *gunicorn_args])  # noqa: S603 (the caller's own arguments)
        stopping = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.append(True))
        while not stopping and worker.poll() is None and web.poll() is None:
            time.sleep(POLL_SECONDS)
        status = web.poll() if web.poll() is not None else worker.poll()
        web.terminate()
        # One INT asks the worker to finish its task first; a second, a moment later, stops it now (a long job may
        # have thousands of documents to go; the ones done stay done).
        for _ in range(2):
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                time.sleep(0.5)
        web.wait()
        worker.wait()
        if status:
            sys.exit(status)

#!/usr/bin/env python
"""The W2 import (issue 18: 50,000 documents with their spans <= 40 s on PostgreSQL, in a job), measured in this
process: `sync` imports as `manage.py import_documents` does (services.imports.import_file); `job` stores the file
as POST …/imports/ does for a large one (services.import_jobs.import_job_create) and runs the job as a worker does
(services.import_jobs.import_job_run), timing the run and reading its progress; `profile` runs `sync` under cProfile.

    .venv/bin/python bench/import_bench.py --database-url postgres://postgres@127.0.0.1:5432/slant_import_bench
    .venv/bin/python bench/import_bench.py --mode sync --documents 5000
    .venv/bin/python bench/import_bench.py --mode profile --documents 5000

The workload file is bench/w2_bench.py's (written once into --workload-dir and kept there).

Measured 2026-12-06 on the shared 2-core machine (load average 7-10), W2 (50,000 documents, 999,900 spans, 198,853
relations, 200,000 answers, 367 MiB), back to back: PostgreSQL, main's synchronous import 103.8 s and 116.7 s, the
job 104.7 s and 115.2 s (+11.3 s, then 4.1 s with binary COPY and lz4, to keep the file); SQLite, 62.1 s and 54.9 s
(+3.9 s). A 5,000-document profile on PostgreSQL: the commit (Django's foreign keys are deferred: every row's
reference checks run there) 39 %, the server's COPY 14 %, reading and checking the records in Python most of the
rest.

Measured 2026-12-06 again, the job, main (6e11e6d) and the import that has the server check each batch's foreign keys
while Python reads the next one (767cfd6), alternating, PostgreSQL 15 on the same machine (load average 4-9, the other
sessions' tests running). W2 whole, 50,000 documents: main 48.98 s and 47.06 s, 767cfd6 44.74 s and 41.42 s; an hour
earlier, on the idle machine, main took 32.9 s. The work in it: the server's CPU 21.2 and 20.9 s (main), 19.8 and 19.6
s; Python's 10.7 and 9.9 s, 10.8 and 10.3 s. 10,000 documents: main 9.29 and 9.38 s, d76328d (no sequence fix yet) 7.0
and 7.44 s; later, busier, main 13.69 and 15.3 s, 767cfd6 9.07 and 12.6 s (server CPU 4.2 s, then 3.85 s; Python 1.9-2.2
s both). What bounds it: the server's 4.85 million row-by-row reference checks of W2 (three a span: document, annotator,
label; the NULL reviewer's costs next to nothing), about 3 µs each, 14.5 s, which no write of the rows avoids short of
dropping or disabling the constraints.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from api_bench import OUT_DIR, bench_commit, bench_database
from w2_bench import w2_project, write_workload

ROOT = Path(__file__).resolve().parent.parent
LABELS = None  # the framing preset's names, read once the project exists


def setup_django(data_dir, database_url):
    os.environ["SLANT_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def workload(args, labels):
    path = Path(args.workload_dir) / f"w2-{args.documents}-{args.seed}.jsonl"
    if not path.exists():
        print(f"writing {args.documents} documents to {path} ...", file=sys.stderr)
        write_workload(path, args.documents, labels, args.seed)
    return path


class CpuClock:
    """The CPU seconds this process and its PostgreSQL server process spend from here on: on a loaded machine the
    wall time says how long others kept the cores, these how much work the import is (the server's read from
    /proc, so only when it runs on this machine; None otherwise, and on SQLite)."""

    def __init__(self):
        from django.db import connection

        self.backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend = cursor.fetchone()[0]
        self.started = (time.process_time(), self._server())

    def _server(self):
        try:
            with open(f"/proc/{self.backend}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except (OSError, TypeError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def spent(self):
        python, server = self.started
        now = self._server()
        return {
            "python_cpu_seconds": round(time.process_time() - python, 2),
            "server_cpu_seconds": None if now is None or server is None else round(now - server, 2),
        }


def run_sync(actor, path):
    from annotator.services.imports import import_file

    clock = CpuClock()
    started = time.monotonic()
    counts = import_file(member=actor, data=path.read_bytes(), format="jsonl", filename=path.name, create_labels=True)
    return {"seconds": round(time.monotonic() - started, 2), **clock.spent(), "counts": counts}


def run_job(actor, path):
    import threading

    from annotator.models import Job
    from annotator.services.import_jobs import import_job_create, import_job_run

    started = time.monotonic()
    with open(path, "rb") as fh:
        job = import_job_create(
            member=actor,
            chunks=iter(lambda: fh.read(1 << 20), b""),
            format="jsonl",
            filename=path.name,
            create_labels=True,
            enqueue=lambda job_id: "bench",
        )
    stored_s = time.monotonic() - started
    seen, stop = [], threading.Event()

    def watch():  # what a user polling GET /jobs/{j}/ sees, every half second
        from django.db import connection

        while not stop.wait(0.5):
            seen.append(Job.objects.values_list("done", flat=True).get(pk=job.pk))
        connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    clock = CpuClock()
    started = time.monotonic()
    import_job_run(job_id=job.pk)
    run_s = time.monotonic() - started
    cpu = clock.spent()  # the job writer thread and the watcher count in python_cpu_seconds, their servers not
    stop.set()
    watcher.join()
    job.refresh_from_db()
    return {
        "store_file_seconds": round(stored_s, 2),
        "seconds": round(run_s, 2),
        **cpu,
        "status": job.status,
        "total": job.total,
        "progress_seen": sorted(set(seen)),
        "counts": job.result,
        "errors": job.errors[:3],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://…/slant_import_bench (created and dropped); default: SQLite")
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--mode", choices=("sync", "job", "profile"), default="job")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--workload-dir", default=tempfile.gettempdir())
    args = parser.parse_args(argv)
    pg, db_kind, data_dir, machine = bench_database(args.database_url, "import-bench")
    try:
        setup_django(data_dir, args.database_url)
        actor, labels = w2_project("Bench: import")
        path = workload(args, labels)
        load_before = os.getloadavg()
        if args.mode == "profile":
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            figures = run_sync(actor, path)
            profile.disable()
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(30)
        elif args.mode == "sync":
            figures = run_sync(actor, path)
        else:
            figures = run_job(actor, path)
        out = {
            "bench": "import",
            "mode": args.mode,
            "database": db_kind,
            "documents": args.documents,
            "file_mib": round(path.stat().st_size / 2**20, 1),
            "commit": bench_commit(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            **figures,
            "machine": machine,
        }
        print(json.dumps(out, indent=2))
        OUT_DIR.mkdir(exist_ok=True)
        (OUT_DIR / f"import_bench-{args.mode}-{db_kind}-{args.documents}.json").write_text(json.dumps(out, indent=2))
    finally:
        if pg:
            from django.db import connections

            connections.close_all()
            pg.drop()
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

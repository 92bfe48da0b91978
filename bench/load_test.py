#!/usr/bin/env python
"""Load test: 50 simulated annotators (locust, headless, loopback only) against gunicorn for 60 s.

The server runs as `make run` does (4 gthread workers x 4 threads), on PostgreSQL by default, in a database
created for the run and dropped after it. The seed, written straight through the services: an owner, 50
annotators (tokens created directly, no password), a blind project with the "framing" preset, --documents invented
~5,000-character articles (bench/api_bench.py's generator) assigned to 3 annotators each, and 20 spans of each
annotator on each of their documents. Each simulated annotator then repeats, as one of those 50 users:

    GET document -> GET its spans -> POST a span -> PATCH it (If-Match: its version) -> DELETE it (If-Match)

with a think time of --think-min to --think-max seconds (default 0.5-1.5 s: a fast annotator, some 10 times
busier than one who reads the article) after every request; the users start 10 a second and the figures cover
the whole run, the ramp included. Every request must answer its one expected status (200, 200, 201, 200, 204);
anything else, a timeout or a dropped connection is an error. Targets (issue 6): p99 < 200 ms over all requests,
0 errors. The locust users are FastHttpUser (geventhttpclient), one keep-alive connection each, in one locust
process by default: on two cores a second one takes CPU from gunicorn (--processes to try).

    .venv/bin/python bench/load_test.py                           # PostgreSQL (slant_load_bench, dropped after)
    .venv/bin/python bench/load_test.py --sqlite                  # SQLite in a fresh temp dir
    .venv/bin/python bench/load_test.py --think-min 0 --think-max 0   # no think time: the server's ceiling
    .venv/bin/python bench/load_test.py --quick                   # 15 s, 100 documents
    .venv/bin/python bench/load_test.py --team                    # the team deployment (issue 18), below

--team runs the deployment of docs/deployment.md on this one machine: two web processes (each a gunicorn as `make
run` starts it, 4 gthread workers x 4 threads, on a port of its own, with a data folder of its own and one
SLANT_SECRET_KEY, as on two machines) and two job workers (`manage.py db_worker`), all on one PostgreSQL; 100
simulated annotators (100 seeded), user n on web process n mod 2, no sticky sessions. Meanwhile six lexicon
recommenders are run over every document through POST …/recommenders/{r}/run/, two at a time (at 5, 20 and 35 s,
one request to each web process), so the two workers each have a job while the annotators write. Afterwards it
checks that every span the clients saw answered 201 is one row (or gone by the DELETE that answered 204) with one
span.create audit event, no id twice, no other row; and that every job ended done, once: done == total, its task
claimed by one worker and successful, its suggestions exactly those the recommender finds in the texts (computed
here), each stored once, each document in one job.suggest event.

The figures are printed as JSON and written to bench/out/load_test-<db>.json; locust's own log is kept only
when something failed.
"""

import argparse
import http.client
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from api_bench import (
    BODIES,
    DAYS,
    OUT_DIR,
    PEOPLE,
    PLACES,
    ROOT,
    VENV_BIN,
    Server,
    bench_commit,
    bench_database,
    machine_busy,
    make_article,
    percentile,
    process_cpu_seconds,
    worker_pids,
)
from api_bench import VERBS as SAYING

TEAM_WEB_PROCESSES = 2
TEAM_JOB_WORKERS = 2
# The lexicon recommenders --team runs: (name, phrases). The last finds a few hundred suggestions per document.
TEAM_LEXICONS = [
    ("saying", SAYING),
    ("places", PLACES),
    ("people", PEOPLE),
    ("bodies", BODIES),
    ("days", DAYS),
    ("function words", ["the", "of", "in"]),
]
# When (seconds after locust starts) each pair of runs is asked for: one request to each web process.
TEAM_RUNS_AT = [5, 20, 35]

TARGETS = {"p99_ms": 200.0, "errors": 0}
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/slant_load_bench"
ANNOTATORS_PER_DOCUMENT = 3
SEEDED_SPANS = 20  # per annotator per assigned document
CANDIDATES = 10  # spans a simulated annotator may draw on one document
# "… (had it)": a 409 for a span the annotator already has (the answer is that span), which changes nothing.
REQUESTS = [
    "GET document",
    "GET spans",
    "POST span",
    "POST span (had it)",
    "PATCH span",
    "PATCH span (had it)",
    "DELETE span",
]
WORD = re.compile(r"\w+")
WARM_MS = 100.0


def seed(args, rng):
    """Owner, annotators with tokens, the project, its documents, the seeded spans; returns the locust plan."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from annotator.access import access_project
    from annotator.models import Assignment, Span
    from annotator.services.documents import document_create_many
    from annotator.services.members import member_add
    from annotator.services.projects import project_create

    User = get_user_model()
    owner = User.objects.create_user("load-owner")  # token auth only: no usable password
    project = project_create(
        user=owner, name="Load: framing", label_preset="framing", annotators_per_document=ANNOTATORS_PER_DOCUMENT
    )
    actor = access_project(owner, project.pk)
    annotators = [User.objects.create_user(f"load-annotator-{n:02d}") for n in range(1, args.annotators + 1)]
    for user in annotators:
        member_add(actor=actor, username=user.username, role="annotator")
    tokens = {user.pk: Token.objects.create(user=user).key for user in annotators}
    labels = list(project.labels.order_by("id").values_list("id", flat=True))
    documents = {}
    for first in range(0, args.documents, 250):
        items = [
            {"text": make_article(rng, with_emoji=i % 3 == 0), "title": f"Load {i}", "external_id": f"load-{i}"}
            for i in range(first, min(args.documents, first + 250))
        ]
        for document in document_create_many(member=actor, items=items):
            documents[document.pk] = [(m.start(), m.end()) for m in WORD.finditer(document.text)], document.text
    assigned = {user_id: [] for user_id in tokens}
    rows = []
    for document_id, user_id in Assignment.objects.filter(document__project=project).values_list(
        "document_id", "user_id"
    ):
        assigned[user_id].append(document_id)
        words = documents[document_id][0]
        for _ in range(SEEDED_SPANS):
            first = rng.randrange(len(words))
            last = min(len(words) - 1, first + rng.randrange(8))
            rows.append(
                Span(
                    document_id=document_id,
                    annotator_id=user_id,
                    label_id=rng.choice(labels),
                    start=words[first][0],
                    end=words[last][1],
                )
            )
    # An annotator has a span once (a unique rule): a repeat the random draw makes is dropped.
    Span.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    candidates = {}
    for document_id, (words, text) in documents.items():
        candidates[document_id] = []
        for _ in range(CANDIDATES):
            first = rng.randrange(len(words) - 1)
            last = min(len(words) - 2, first + rng.randrange(6))
            start, end, edited_end = words[first][0], words[last][1], words[last + 1][1]
            candidates[document_id].append(
                {
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                    "edited_end": edited_end,
                    "edited_text": text[start:edited_end],
                }
            )
    short = [user_id for user_id, ids in assigned.items() if not ids]
    if short:
        raise SystemExit(f"{len(short)} annotators have no document: raise --documents")
    recommenders = seed_recommenders(actor, labels, documents) if args.team else []
    return {
        "recommenders": recommenders,
        "project": project.pk,
        "labels": labels,
        "documents": candidates,
        "users": [{"token": tokens[user_id], "documents": sorted(ids)} for user_id, ids in sorted(assigned.items())],
        "owner_token": Token.objects.create(user=owner).key,
        "seeded_spans": Span.objects.filter(document__project=project).count(),
    }


def seed_recommenders(actor, labels, documents):
    """The lexicon recommenders --team runs, each with the suggestions it must store: [{id, source, expected}],
    `expected` the number of distinct (document, label, start, end) the recommender itself finds in the texts."""
    from annotator.recommenders.lexicon import Lexicon
    from annotator.services.recommenders import recommender_create

    made = []
    for n, (name, phrases) in enumerate(TEAM_LEXICONS):
        entries = [{"label": labels[(n + i) % len(labels)], "phrase": phrase} for i, phrase in enumerate(phrases)]
        config = {"entries": entries}
        recommender = recommender_create(member=actor, name=name, kind="lexicon", config=config)
        lexicon = Lexicon(config)
        found = {
            (document_id, s["label"], s["start"], s["end"])
            for document_id, (_, text) in documents.items()
            for s in lexicon.suggest(text)
        }
        made.append({"id": recommender.pk, "source": f"lexicon:{name}", "expected": len(found)})
    return made


class JobFeeder:
    """Asks for the recommender runs during the load, as an owner would: a pair at each of TEAM_RUNS_AT (seconds
    after start()), one request to each web process; records each answer and the job it queued."""

    def __init__(self, plan, ports, run_time):
        self.plan, self.ports, self.answers = plan, ports, []
        self.scale = run_time / 60  # a shorter run (--quick) asks for them sooner
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.started = time.monotonic()
        self.thread.start()

    def join(self):
        self.thread.join()

    def _run(self):
        pairs = [self.plan["recommenders"][i : i + 2] for i in range(0, len(self.plan["recommenders"]), 2)]
        for at, pair in zip(TEAM_RUNS_AT, pairs, strict=False):
            time.sleep(max(0.0, self.started + at * self.scale - time.monotonic()))
            for port, recommender in zip(self.ports, pair, strict=False):
                path = f"/api/v1/projects/{self.plan['project']}/recommenders/{recommender['id']}/run/"
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                headers = {"Authorization": f"Token {self.plan['owner_token']}", "Content-Type": "application/json"}
                conn.request("POST", path, body="{}", headers=headers)
                response = conn.getresponse()
                body = response.read()
                conn.close()
                job = json.loads(body)["job"]["id"] if response.status == 202 else None
                self.answers.append(
                    {"recommender": recommender["id"], "port": port, "status": response.status, "job": job}
                )


class Fleet:
    """The web processes and job workers of a run: started, their CPU, stopped."""

    def __init__(self, servers, worker_env=None, workers=0, log=None):
        self.servers, self.worker_env, self.worker_count, self.log = servers, worker_env, workers, log
        self.workers = []

    def start(self):
        for server in self.servers:
            server.start()
        for n in range(1, self.worker_count + 1):
            with open(self.log, "ab") as log:
                command = [str(VENV_BIN / "python"), "manage.py", "db_worker", "--no-reload", "--interval", "1"]
                self.workers.append(
                    subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
                        [*command, "--worker-id", f"team-worker-{n}"],
                        cwd=ROOT,
                        env=self.worker_env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )

    def web_cpu_seconds(self):
        return sum(server.cpu_seconds() for server in self.servers)

    def worker_cpu_seconds(self):
        return sum(process_cpu_seconds(worker.pid) for worker in self.workers)

    def cpu_seconds(self):
        return self.web_cpu_seconds() + self.worker_cpu_seconds()

    def stop(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
        for server in self.servers:
            server.stop()
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def logs(self):
        paths = [server.log for server in self.servers] + ([self.log] if self.log else [])
        return "".join(path.read_text(errors="replace") for path in paths if path.exists())


def wait_for_jobs(job_ids, seconds=300):
    """Wait until none of the jobs is queued or running (or `seconds` passed); returns the seconds waited."""
    from annotator.choices import JobStatus
    from annotator.models import Job

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not Job.objects.filter(pk__in=job_ids, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def check_spans(plan, created, deleted, seeded_max_id):
    """Every span the clients saw created (201) is one row, or gone by their DELETE (204), with one span.create
    event; no id was answered twice; no row was made that no client saw."""
    from django.db.models import Count

    from annotator.models import AuditEvent, Span

    rows = set(
        Span.objects.filter(document__project_id=plan["project"], pk__gt=seeded_max_id).values_list("id", flat=True)
    )
    events = dict(
        AuditEvent.objects.filter(project_id=plan["project"], action="span.create")
        .values_list("object_id")
        .annotate(n=Count("id"))
        .values_list("object_id", "n")
    )
    events = {int(object_id): n for object_id, n in events.items()}
    expected_rows = set(created) - set(deleted)
    return {
        "created_201": len(created),
        "deleted_204": len(deleted),
        "ids_answered_twice": len(created) - len(set(created)),
        "rows_now": len(rows),
        "rows_expected": len(expected_rows),
        "rows_no_client_saw": len(rows - expected_rows),
        "rows_missing": len(expected_rows - rows),
        "create_events_not_once": sum(1 for span_id in created if events.get(span_id) != 1),
        "create_events_without_a_201": len(set(events) - set(created)),
        "stored_once": (
            len(created) == len(set(created))
            and rows == expected_rows
            and all(events.get(span_id) == 1 for span_id in created)
            and set(events) == set(created)
        ),
    }


def check_jobs(plan, answers):
    """Each run asked for is one job that ended done, once: done == total, its task claimed by one worker and
    successful, its suggestions the ones its recommender finds, each stored once and each document in one event."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from annotator.models import AuditEvent, Job, Suggestion

    expected = {r["id"]: r for r in plan["recommenders"]}
    jobs, ok = [], len(answers) == len(plan["recommenders"]) and all(a["status"] == 202 for a in answers)
    for answer in answers:
        if answer["job"] is None:
            jobs.append({**answer, "ok": False})
            continue
        job = Job.objects.get(pk=answer["job"])
        task = DBTaskResult.objects.get(pk=job.task_result_id)
        source = expected[answer["recommender"]]["source"]
        stored = Suggestion.objects.filter(document__project_id=plan["project"], source=source)
        duplicates = (
            stored.values("document_id", "label_id", "start", "end").annotate(n=Count("id")).filter(n__gt=1).count()
        )
        events = list(
            AuditEvent.objects.filter(action="job.suggest", object_id=str(job.pk)).values_list("after", flat=True)
        )
        event_documents = [event["document"] for event in events]
        event_ids = [i for event in events for i in event["suggestions"]]
        row = {
            "job": job.pk,
            "recommender": source,
            "asked_on_port": answer["port"],
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "errors": job.errors,
            "task_status": task.status,
            "task_workers": task.worker_ids,
            "seconds": round((job.finished_at - job.started_at).total_seconds(), 1) if job.finished_at else None,
            "suggestions": stored.count(),
            "suggestions_expected": expected[answer["recommender"]]["expected"],
            "duplicate_suggestions": duplicates,
            "documents_in_two_events": len(event_documents) - len(set(event_documents)),
            "suggestions_in_events": len(event_ids),
        }
        row["ok"] = (
            job.status == "done"
            and job.done == job.total
            and not job.errors
            and task.status == "SUCCESSFUL"
            and len(task.worker_ids) == 1
            and row["suggestions"] == row["suggestions_expected"]
            and duplicates == 0
            and row["documents_in_two_events"] == 0
            and len(event_ids) == len(set(event_ids)) == row["suggestions"]
        )
        ok = ok and row["ok"]
        jobs.append(row)
    return {"jobs": jobs, "finished_once": ok}


def warm(port, plan, threads=8, each=8, max_rounds=20):
    """Send rounds of reads, each on a new connection (so that every worker wins some), until a whole round
    answers under WARM_MS: a gunicorn worker imports the URLconf, the views and DRF on its first request (some
    300 ms), and each thread opens its database connection on its first. Returns (rounds, last round's max ms)."""
    user = plan["users"][0]
    path = f"/api/v1/projects/{plan['project']}/documents/{user['documents'][0]}/spans/"
    headers = {"Authorization": f"Token {user['token']}", "Connection": "close"}
    slowest = []

    def one():
        for _ in range(each):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
            slowest.append((time.perf_counter() - started) * 1000)
            conn.close()

    for rounds in range(1, max_rounds + 1):
        slowest.clear()
        workers = [threading.Thread(target=one) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if rounds >= 2 and max(slowest) < WARM_MS:
            break
    return rounds, round(max(slowest), 1)


def backend_cpu(pg):
    """{pid: CPU seconds} of the PostgreSQL server processes serving the benchmark's database."""
    if pg is None:
        return {}
    import psycopg

    with psycopg.connect(pg.admin_url, autocommit=True) as conn:
        pids = [pid for (pid,) in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [pg.name])]
    return {pid: process_cpu_seconds(pid) for pid in pids}


class CpuWatch:
    """Samples once a second the CPU seconds of the whole machine, gunicorn, locust and the PostgreSQL sessions of
    the run, so that each window of the timeline can say how many cores other work on the machine took."""

    def __init__(self, server, pg):
        self.server, self.pg, self.rows, self.done = server, pg, [], threading.Event()

    def start(self, locust_pid):
        self.locust_pid = locust_pid
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self):
        self.done.set()
        self.thread.join()

    def _run(self):
        while True:
            locust = sum(process_cpu_seconds(pid) for pid in [self.locust_pid, *worker_pids(self.locust_pid)])
            postgres = sum(backend_cpu(self.pg).values())
            busy = machine_busy()[0] / os.sysconf("SC_CLK_TCK")
            self.rows.append((time.time(), busy, self.server.cpu_seconds(), locust, postgres))
            if self.done.wait(1.0):
                return

    def others_cores(self, since, until):
        """Cores used by everything but this run between two Unix times (nearest samples)."""
        inside = [row for row in self.rows if since <= row[0] <= until]
        if len(inside) < 2:
            return None
        (t0, *cpu0), (t1, *cpu1) = inside[0], inside[-1]
        busy, *ours = (b - a for a, b in zip(cpu0, cpu1, strict=True))
        # A PostgreSQL session that ended between samples takes its CPU time along: clamp at zero.
        return round(max(0.0, busy - sum(max(0.0, x) for x in ours)) / (t1 - t0), 2)


def run_locust(args, ports, plan_file, samples_dir, log_file, watch, feeder=None):
    cmd = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.run_time}s",
        "--host",
        f"http://127.0.0.1:{ports[0]}",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    if args.processes > 1:
        cmd += ["--processes", str(args.processes), "--master-bind-host", "127.0.0.1"]
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan_file),
        "LOAD_OUT": str(samples_dir),
        "LOAD_THINK_MIN": str(args.think_min),
        "LOAD_THINK_MAX": str(args.think_max),
        "LOAD_PROCESSES": str(args.processes),
        "LOAD_HOSTS": ",".join(f"http://127.0.0.1:{port}" for port in ports),
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log_file, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        watch.start(proc.pid)
        if feeder is not None:
            feeder.start()
        proc.wait()
        watch.stop()
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.returncode, elapsed, cpu


def summarise(samples, seconds):
    def figures(values, errors):
        return {
            "requests": len(values),
            "errors": errors,
            "p50_ms": round(percentile(values, 50), 2),
            "p95_ms": round(percentile(values, 95), 2),
            "p99_ms": round(percentile(values, 99), 2),
            "max_ms": round(max(values), 2),
        }

    by_request = {}
    for name in REQUESTS:
        rows = [s for s in samples if s[0] == name]
        if rows:
            by_request[name] = figures([row[1] for row in rows], sum(1 for row in rows if not row[2]))
    overall = figures([row[1] for row in samples], sum(1 for row in samples if not row[2]))
    overall["rps"] = round(len(samples) / seconds, 1)
    return overall, by_request


def requests_by_port(samples):
    """{port: requests} from each sample's URL (the fifth field): how the users were spread over the processes."""
    counts = {}
    for row in samples:
        port = row[4].split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[-1] if len(row) > 4 and row[4] else "?"
        counts[port] = counts.get(port, 0) + 1
    return counts


def timeline(samples, window, watch):
    """Requests, p50 and p99 per `window` seconds from the first request's start, and the cores that other work on
    the machine took meanwhile: where the slow ones fell, and why."""
    first = min(row[3] for row in samples)
    windows = {}
    for row in samples:
        windows.setdefault(int((row[3] - first) // window), []).append(row[1])
    return [
        {
            "from_s": n * window,
            "requests": len(v),
            "p50_ms": round(percentile(v, 50), 1),
            "p99_ms": round(percentile(v, 99), 1),
            "others_cores": watch.others_cores(first + n * window, first + (n + 1) * window),
        }
        for n, v in sorted(windows.items())
    ]


def run(args):
    run_started = time.monotonic()
    rng = random.Random(args.seed)
    pg, db_kind, data_dir, machine = bench_database(None if args.sqlite else args.database_url, "slant-load")
    samples_dir = data_dir / "samples"
    samples_dir.mkdir()
    log_file = data_dir / "locust.log"
    server_args = SimpleNamespace(workers=4, worker_class="gthread", threads=4, settings="project.settings")
    if args.team:
        # As on separate machines: a data folder each, the one secret key every machine is given.
        os.environ["SLANT_SECRET_KEY"] = secrets.token_urlsafe(50)
        servers = []
        for n in range(1, TEAM_WEB_PROCESSES + 1):
            (data_dir / f"web-{n}").mkdir()
            servers.append(Server(server_args, data_dir / f"web-{n}", pg.url))
        fleet = Fleet(servers, {**servers[0].env}, TEAM_JOB_WORKERS, data_dir / "workers.log")
    else:
        servers = [Server(server_args, data_dir, pg.url if pg else None)]
        fleet = Fleet(servers)
    server = servers[0]
    ports = [s.port for s in servers]
    locust_log, feeder = "", None
    try:
        server.manage("migrate", "--noinput", "-v0")
        # This process seeds the server's database, with the server's settings.
        os.environ.update({key: server.env[key] for key in ("SLANT_DATA_DIR", "DJANGO_SETTINGS_MODULE")})
        os.environ.pop("DATABASE_URL", None)
        if pg:
            os.environ["DATABASE_URL"] = pg.url
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        print(f"seeding {args.annotators} annotators and {args.documents} documents ...", file=sys.stderr)
        seed_started = time.monotonic()
        plan = seed(args, rng)
        seed_s = time.monotonic() - seed_started
        from annotator.models import Span

        seeded_max_id = Span.objects.order_by("-id").values_list("id", flat=True).first() or 0
        connection.close()
        plan_file = data_dir / "plan.json"
        plan_file.write_text(json.dumps(plan))

        fleet.start()
        warmed = [warm(port, plan) for port in ports]
        warm_rounds, warm_max_ms = max(w[0] for w in warmed), max(w[1] for w in warmed)
        print(f"locust: {args.users} users for {args.run_time} s on {len(ports)} web process(es) ...", file=sys.stderr)
        db0, busy0 = backend_cpu(pg), machine_busy()
        gunicorn0, workers0 = fleet.web_cpu_seconds(), fleet.worker_cpu_seconds()
        load0 = [round(x, 2) for x in os.getloadavg()]
        watch = CpuWatch(fleet, pg)
        feeder = JobFeeder(plan, ports, args.run_time) if args.team else None
        code, locust_s, locust_cpu = run_locust(args, ports, plan_file, samples_dir, log_file, watch, feeder)
        db1, busy1 = backend_cpu(pg), machine_busy()
        gunicorn1, workers1 = fleet.web_cpu_seconds(), fleet.worker_cpu_seconds()
        load_end = [round(x, 2) for x in os.getloadavg()]
        samples, errors, created, deleted = [], [], [], []
        for path in sorted(samples_dir.glob("samples-*.json")):
            part = json.loads(path.read_text())
            samples += part["samples"]
            errors += part["errors"]
            created += part.get("created", [])
            deleted += part.get("deleted", [])
        team = None
        if feeder is not None:
            feeder.join()
            job_ids = [answer["job"] for answer in feeder.answers if answer["job"]]
            waited = wait_for_jobs(job_ids)
            team = {
                "jobs_waited_for_after_locust_s": waited,
                "spans": check_spans(plan, created, deleted, seeded_max_id),
                **check_jobs(plan, feeder.answers),
            }
        from django.db.models import Count

        from annotator.models import AuditEvent, Span

        spans_after = Span.objects.filter(document__project_id=plan["project"]).count()
        audited = dict(
            AuditEvent.objects.filter(project_id=plan["project"], action__startswith="span.")
            .values_list("action")
            .annotate(n=Count("id"))
            .values_list("action", "n")
        )
        connection.close()
        if code != 0 or not samples or errors:
            locust_log = log_file.read_text(errors="replace")[-3000:]
    finally:
        fleet.stop()
        if pg:
            from django.db import connections

            connections.close_all()
            pg.drop()
        server_log = fleet.logs()
        shutil.rmtree(data_dir, ignore_errors=True)

    if not samples:
        raise SystemExit(f"locust recorded no request (exit code {code}):\n{locust_log}")
    measured_s = min(locust_s, args.run_time)
    overall, by_request = summarise(samples, measured_s)
    ok = {name: sum(1 for s in samples if s[0] == name and s[2]) for name in REQUESTS}
    expected_spans = plan["seeded_spans"] + ok["POST span"] - ok["DELETE span"]
    expected_audit = {"span.create": ok["POST span"], "span.update": ok["PATCH span"], "span.delete": ok["DELETE span"]}
    audited = {action: audited.get(action, 0) for action in expected_audit}
    busy, total = busy1[0] - busy0[0], busy1[1] - busy0[1]
    commit = bench_commit()
    verdict = overall["p99_ms"] < TARGETS["p99_ms"] and overall["errors"] == TARGETS["errors"]
    if team is not None:
        verdict = verdict and team["spans"]["stored_once"] and team["finished_once"]
    report = {
        "benchmark": "load_test",
        "commit": commit,
        "machine": machine,
        "config": {
            "team": args.team,
            "users": args.users,
            "run_seconds": args.run_time,
            "think_seconds": [args.think_min, args.think_max],
            "spawn_rate_per_s": args.spawn_rate,
            "locust_processes": args.processes,
            "locust_user_class": "FastHttpUser (geventhttpclient), one keep-alive connection per user",
            "annotators": args.annotators,
            "documents": args.documents,
            "annotators_per_document": ANNOTATORS_PER_DOCUMENT,
            "seeded_spans": plan["seeded_spans"],
            "server": (
                f"{TEAM_WEB_PROCESSES} x gunicorn (4 gthread workers x 4 threads each, a port and data folder "
                f"each) and {TEAM_JOB_WORKERS} x manage.py db_worker on one PostgreSQL, no sticky sessions"
                if args.team
                else "gunicorn, 4 gthread workers x 4 threads"
            ),
            "seed": args.seed,
        },
        "results": {**overall, "verdict": "ok" if verdict else "MISSED"},
        "team": team,
        "requests_by_port": requests_by_port(samples),
        "by_request": by_request,
        "targets": TARGETS,
        "details": {
            "first_errors": errors[:10],
            "timeline": timeline(samples, 10 if args.run_time >= 30 else 3, watch),
            "others_cores": watch.others_cores(0, float("inf")),
            "spans_after_run": spans_after,
            "spans_expected": expected_spans,
            "audit_events": audited,
            # Every write that answered 2xx is in the database and in the audit log, and no other.
            "database_consistent": spans_after == expected_spans and audited == expected_audit,
            "cpu_seconds": {
                "gunicorn": round(gunicorn1 - gunicorn0, 2),
                "job_workers": round(workers1 - workers0, 2),
                "postgresql": round(sum(cpu - db0.get(pid, 0.0) for pid, cpu in db1.items()), 2) if pg else None,
                "locust": round(locust_cpu, 2),
                "machine_busy_share": round(busy / max(1, total), 3),
            },
            "gunicorn_cpu_ms_per_request": round(1000 * (gunicorn1 - gunicorn0) / len(samples), 2),
            "locust_cpu_ms_per_request": round(1000 * locust_cpu / len(samples), 2),
            "warm_up": {"rounds": warm_rounds, "last_round_max_ms": warm_max_ms},
            "locust_exit_code": code,
            "locust_wall_seconds": round(locust_s, 1),
            "load_average_before": load0,
            "load_average_at_end": load_end,
            "seed_seconds": round(seed_s, 1),
            "run_seconds": round(time.monotonic() - run_started, 1),
            "locust_log_tail": locust_log,
            "server_log_tail": server_log[-2000:] if "Traceback" in server_log else "",
        },
    }
    if args.samples:
        Path(args.samples).write_text(json.dumps(samples))
    print(json.dumps(report, indent=2))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    name = f"load_test-{db_kind}{'-team' if args.team else ''}{'-quick' if args.quick else ''}.json"
    out = Path(args.out) if args.out else OUT_DIR / name
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out}", file=sys.stderr)
    return 0 if verdict else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL, help=f"created and dropped (default {DEFAULT_DATABASE_URL})"
    )
    parser.add_argument("--sqlite", action="store_true", help="run on SQLite in a temp dir instead of PostgreSQL")
    parser.add_argument("--users", type=int, help="simulated annotators (default 50; --team: 100)")
    parser.add_argument("--annotators", type=int, help="annotators seeded (default 50; --team: 100)")
    parser.add_argument("--documents", type=int, default=500, help="documents seeded (default 500)")
    parser.add_argument("--run-time", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second (default 10: 5 s ramp)")
    parser.add_argument("--think-min", type=float, default=0.5, help="think time after a request, seconds")
    parser.add_argument("--think-max", type=float, default=1.5)
    parser.add_argument("--processes", type=int, default=1, help="locust processes (default 1: one core is scarce)")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (15 s, 100 documents)")
    parser.add_argument(
        "--team",
        action="store_true",
        help="two web processes and two job workers on one PostgreSQL, recommender jobs meanwhile (issue 18)",
    )
    parser.add_argument("--seed", type=int, default=20250606)
    parser.add_argument("--out", help="JSON file to write (default bench/out/load_test-<db>.json)")
    parser.add_argument("--samples", help="also write every request [name, ms, ok, start time] to this JSON file")
    args = parser.parse_args(argv)
    if args.team and args.sqlite:
        parser.error("--team runs on PostgreSQL: a team's processes on several machines share one server")
    crowd = 100 if args.team else 50
    args.users = args.users or crowd
    args.annotators = args.annotators or crowd
    if args.quick:
        args.run_time = min(args.run_time, 15)
        args.documents = min(args.documents, 100)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Benchmark of the span API against a running gunicorn server that this script starts and stops itself.

Workload: 200 documents of ~5,000 characters in one project (label preset "framing"), 3 annotators each
assigned every document, each drawing 20 spans per document (12,000 spans), through the real HTTP API with
token auth and `text` sent with every span so that every validation runs. Figures:

1. span create latency p50/p99 over the first 1,000 creates, sequential, one keep-alive connection (the server
   runs as `make run` does: 4 gthread workers x 4 threads; the report counts how often the server closed it);
2. throughput (spans/s) of 8 client processes, each with its own connection, creating the other 11,000;
3. relations: each annotator links their spans pairwise (10 relations per annotator per document, a type with
   no label rule) on the first documents: create latency p50/p99 over the first 500, sequential, then p50 of
   300 GETs of one document's 30 relations (`/relations/?page_size=100`, as the owner);
4. answers: each annotator answers 5 questions (two single, a multi, two scales) on the first documents:
   save latency p50/p99 over the first 500, sequential;
5. p50 of 300 GETs of one document's 60 spans (`/spans/?page_size=100`, as the project owner), with that
   document's relations present;
6. suggestions: the owner posts 20 suggestions a document (one list each, as a team's model would) on the first
   documents, then each annotator accepts every one of them: accept latency p50/p99 over the first 500,
   sequential (each accept makes the annotator's span and records the decision).

    .venv/bin/python bench/api_bench.py                      # SQLite in a fresh temp dir
    .venv/bin/python bench/api_bench.py --database-url postgres://postgres@127.0.0.1:5432/slant_bench
    .venv/bin/python bench/api_bench.py --worker-class sync  # gunicorn's sync workers instead of gthread
    .venv/bin/python bench/api_bench.py --quick              # a small smoke run

The figures are printed and written to bench/out/api_bench-<db>[-<worker class>].json. With --py-spy PATH,
each gunicorn worker is sampled during phases 1 and 3; bench/profile_report.py summarises the files.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
OUT_DIR = ROOT / "bench" / "out"
API = "/api/v1"

TARGETS = {
    "create_p50_ms": 4.0,
    "spans_per_s": 560.0,
    "list_p50_ms": 3.0,
    "relation_create_p50_ms": 4.0,
    "relation_list_p50_ms": 3.0,
    "answer_save_p50_ms": 4.0,
    "accept_p50_ms": 5.0,
}
DOCCANO_1_8_4 = {"create_p50_ms": 8.0, "spans_per_s": 186.0, "list_p50_ms": 6.1}

ANNOTATORS = 3
SPANS_PER_DOCUMENT = 20  # per annotator
SEQUENTIAL_CREATES = 1000
RELATIONS_PER_DOCUMENT = 10  # per annotator: their 20 spans linked two by two
RELATION_CREATES = 500
SUGGESTIONS_PER_DOCUMENT = 20
ACCEPTS = 500
LIST_GETS = 300
DOC_CHARS = 5000


# --------------------------------------------------------------------------------------------------------------
# Original prose: invented places, institutions and people, assembled from templates (never copied articles).

PLACES = ["Valdoria", "the Marren coast", "Eastbrook", "Tolvany", "the Kesh valley", "Port Aubel", "Norrland Heights"]
BODIES = [
    "the harbour authority",
    "the regional assembly",
    "the ministry of water",
    "a coalition of farmers' unions",
    "the transport regulator",
    "the city council of Eastbrook",
    "the Tolvany observatory",
]
PEOPLE = [
    "spokeswoman Ilse Varga",
    "deputy minister Oren Talbot",
    "analyst Priya Vennam",
    "councillor Mateo Ruiz",
    "professor Hanna Lindqvist",
    "union organiser Kwame Asante",
    "mayor Beatrix Holm",
]
VERBS = ["said", "told reporters", "wrote in a statement", "argued", "insisted", "warned", "claimed", "noted"]
CLAIMS = [
    "the new ferry schedule would cut waiting times by a third",
    "the budget for flood defences had been quietly halved",
    "talks with the neighbouring province were making steady progress",
    "no decision on the toll road would be taken before spring",
    "the drought had already cost growers a season of income",
    "the report relied on figures that were several years old",
    "the grid could not absorb another winter of record demand",
    "inspectors had found no evidence of wrongdoing at the depot",
]
REACTIONS = [
    "Residents gathered outside the town hall on {day}, some carrying hand-painted signs.",
    "Critics say the plan favours large operators over family businesses in {place}.",
    "The proposal drew a cautious welcome from traders in {place}, who asked for more detail.",
    "Officials in {place} declined to comment on the timing of the announcement.",
    "Local papers in {place} described the mood at the meeting as tense but orderly.",
    "Supporters point to a pilot scheme in {place} that ran for eighteen months.",
    "A petition opposing the change has gathered several thousand signatures in {place}.",
]
APPEALS = [
    "Independent reporting like this depends on readers: consider supporting our newsroom.",
    "We believe the public deserves a full account of how this decision was made.",
    "Sign up for our morning briefing to follow the story as it develops.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Emoji before phrases: astral-plane characters, a flag (two code points) and a ZWJ sequence.
EMOJI = ["📰", "🌍", "⚡", "🚢", "🇪🇺", "👩\u200d🌾", "💧", "📈"]


VOCABULARY = {
    "people": PEOPLE + BODIES, "verbs": VERBS, "claims": CLAIMS, "reactions": REACTIONS, "appeals": APPEALS,
    "days": DAYS, "places": PLACES, "emoji": EMOJI,
}  # fmt: skip


def make_article(rng, with_emoji, length=DOC_CHARS, *, vocabulary=VOCABULARY, measure=len, emoji_share=0.25):
    """An invented news article of about `length` (as `measure` counts a paragraph: code points by default) in
    paragraphs separated by blank lines, its sentences drawn from `vocabulary`."""
    words = vocabulary
    paragraphs, size = [], 0
    while size < length:
        sentences = []
        for _ in range(rng.randint(3, 5)):
            kind = rng.random()
            if kind < 0.5:
                who = rng.choice(words["people"])
                sentence = f"{who[0].upper()}{who[1:]} {rng.choice(words['verbs'])} that {rng.choice(words['claims'])}."
            elif kind < 0.9:
                sentence = rng.choice(words["reactions"]).format(
                    day=rng.choice(words["days"]), place=rng.choice(words["places"])
                )
            else:
                sentence = rng.choice(words["appeals"])
            if with_emoji and rng.random() < emoji_share:
                sentence = f"{rng.choice(words['emoji'])} {sentence}"
            sentences.append(sentence)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += measure(paragraph) + 2
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------------------------------------------
# HTTP client: the stdlib's http.client on one connection, reopened when the server closes it.


class Client:
    """One HTTP/1.1 connection to the server; counts how often the server closed it (no keep-alive)."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.closed_by_server = 0

    def send(self, method, path, body=None, token=None):
        """Send a request; `body` is bytes (already JSON) or a JSON-ready object. Returns (status, raw body)."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        if body is not None:
            if not isinstance(body, bytes):
                body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, API + path, body=body, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server dropped while idle: the request never reached a view.
                self.conn.close()
                if attempt == 2:
                    raise
                continue
            if response.will_close:
                self.closed_by_server += 1
            return response.status, raw
        raise AssertionError("unreachable")

    def json(self, method, path, body=None, token=None, expect=200):
        status, raw = self.send(method, path, body, token)
        if status != expect:
            raise SystemExit(f"{method} {path} answered {status}, expected {expect}: {raw[:500]!r}")
        return json.loads(raw) if raw else None

    def close(self):
        self.conn.close()


def percentile(values, p):
    """Nearest-rank percentile of `values` (milliseconds in, milliseconds out)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


# --------------------------------------------------------------------------------------------------------------
# Machine, database and server.


def bench_database(database_url, prefix, database=None):
    """A bench run's database and data dir: (the PostgreSQL database, created, or None for SQLite; "postgresql" or
    "sqlite"; a fresh temp data dir named after `prefix`; machine_info). `database`: the PostgresDatabase class to
    use (a subclass with more readings)."""
    pg = (database or PostgresDatabase)(database_url) if database_url else None
    db_kind = "postgresql" if pg else "sqlite"
    data_dir = Path(tempfile.mkdtemp(prefix=f"{prefix}-{db_kind}-"))
    if pg:
        pg.create()
        db_version = pg.version()
    else:
        import sqlite3

        db_version = sqlite3.sqlite_version
    return pg, db_kind, data_dir, machine_info(db_kind, db_version)


def use_server_database(server, database_url):
    """Set Django up in this process on the server's data dir and database, with its settings: the bench writes its
    workload there through the services (the server reads it; how it got there does not matter)."""
    os.environ.update({key: server.env[key] for key in ("SLANT_DATA_DIR", "DJANGO_SETTINGS_MODULE")})
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_teardown(server, pg, data_dir):
    """Stop the server, drop the bench's PostgreSQL database (closing this process's connections first) and remove
    its data dir."""
    server.stop()
    if pg:
        from django.db import connections

        connections.close_all()
        pg.drop()
    shutil.rmtree(data_dir, ignore_errors=True)


def bench_commit():
    """The commit measured, marked when the app's code had uncommitted changes."""
    commit = read_git("rev-parse", "--short", "HEAD")
    if read_git("status", "--porcelain", "--untracked-files=no", "annotator", "project"):
        commit += "+uncommitted changes"
    return commit


def machine_info(db_kind, db_version):
    cpu = "unknown"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                ram_kb = int(line.split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(ram_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "db": db_kind,
        "db_version": db_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "kernel": platform.release(),
    }


def machine_busy():
    """(busy, total) jiffies of all CPUs, from /proc/stat: the share of the machine in use between two calls."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def process_cpu_seconds(pid):
    """User + system CPU seconds of one process, from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pids(master_pid):
    try:
        with open(f"/proc/{master_pid}/task/{master_pid}/children") as fh:
            return [int(pid) for pid in fh.read().split()]
    except FileNotFoundError:
        return []


class PostgresDatabase:
    """A database created for the run and dropped after it; its name must contain "bench" (it is dropped)."""

    def __init__(self, url):
        self.url = url
        parts = urllib.parse.urlsplit(url)
        self.name = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.name or "") or "bench" not in self.name:
            raise SystemExit(f"--database-url must name a database like slant_bench (it is dropped), not {self.name!r}")
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            return conn.execute(sql).fetchone() if sql.startswith("SHOW") else conn.execute(sql)

    def create(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def version(self):
        return self._admin("SHOW server_version")[0]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving project.wsgi on a free loopback port, with its own data dir and database."""

    def __init__(self, args, data_dir, database_url):
        self.args = args
        self.port = free_port()
        self.log = data_dir / "gunicorn.log"
        self.env = {
            **os.environ,
            "SLANT_DATA_DIR": str(data_dir),
            "SLANT_DEBUG": "0",
            "SLANT_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": args.settings,
        }
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.proc = None

    def manage(self, *argv, **env):
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [str(VENV_BIN / "python"), "manage.py", *argv], cwd=ROOT, env={**self.env, **env}, check=True
        )

    def start(self):
        cmd = [
            str(VENV_BIN / "gunicorn"),
            "project.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.args.workers),
            "--worker-class",
            self.args.worker_class,
            "--log-level",
            "warning",
        ]
        if self.args.worker_class == "gthread":
            cmd += ["--threads", str(self.args.threads)]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
                cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            if len(worker_pids(self.proc.pid)) >= self.args.workers:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                except OSError:
                    pass
            time.sleep(0.1)
        raise SystemExit("gunicorn did not start within 60 s")

    def workers(self):
        return worker_pids(self.proc.pid)

    def cpu_seconds(self):
        return sum(process_cpu_seconds(pid) for pid in [self.proc.pid, *self.workers()])

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Sampler:
    """py-spy attached to each gunicorn worker for one phase, writing raw collapsed stacks: on-CPU samples only,
    or with `idle` also the time spent waiting (database, socket, the scheduler), i.e. wall time."""

    def __init__(self, py_spy, server, name, idle=False):
        self.procs = []
        if not py_spy:
            return
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for pid in server.workers():
            out = OUT_DIR / f"profile-{name}-{pid}.txt"
            cmd = [py_spy, "record", "--pid", str(pid), "--rate", "250", "--format", "raw", "-o", str(out)]
            cmd += ["--idle"] if idle else []
            self.procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # noqa: S603
        time.sleep(1.0)  # let py-spy attach before the phase starts

    def stop(self):
        for proc in self.procs:
            proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            proc.wait(timeout=30)


# --------------------------------------------------------------------------------------------------------------
# The workload.


def set_up(client, owner_password, documents, rng):
    """Annotators, a project with the framing preset, its members and documents, all through the API."""
    owner_token = client.json("POST", "/auth/token/", {"username": "bench-owner", "password": owner_password})["token"]
    annotators = {}
    for n in range(1, ANNOTATORS + 1):
        username, password = f"bench-annotator-{n}", secrets.token_urlsafe(16)
        client.json("POST", "/users/", {"username": username, "password": password}, owner_token, expect=201)
        token = client.json("POST", "/auth/token/", {"username": username, "password": password})["token"]
        annotators[username] = token
    project = client.json(
        "POST",
        "/projects/",
        {"name": "Bench: framing", "label_preset": "framing", "annotators_per_document": ANNOTATORS},
        owner_token,
        expect=201,
    )
    p = project["id"]
    labels = [
        label["id"]
        for label in client.json("GET", f"/projects/{p}/labels/?page_size=1000", token=owner_token)["results"]
    ]
    client.json(
        "POST",
        f"/projects/{p}/members/",
        [{"username": name, "role": "annotator"} for name in annotators],
        owner_token,
        expect=201,
    )
    articles = [
        {
            "title": f"Bench article {i}",
            "external_id": f"bench-{i}",
            "source": rng.choice(["The Marren Courier", "Eastbrook Daily", "Valdoria Wire"]),
            "language": "en",
            "text": make_article(rng, with_emoji=i % 3 == 0),
        }
        for i in range(documents)
    ]
    created = client.json("POST", f"/projects/{p}/documents/", articles, owner_token, expect=201)
    short = [doc["id"] for doc in created if len(doc["assignments"]) != ANNOTATORS]
    if short:
        raise SystemExit(f"{len(short)} documents were not assigned to all {ANNOTATORS} annotators")
    return p, owner_token, annotators, labels, [(doc["id"], doc["text"]) for doc in created]


WORD = re.compile(r"\w+")


def plan_spans(project_id, documents, annotators, labels, rng):
    """(path, token, body bytes) for every span: document by document, each annotator's 20 spans of 1-8 words."""
    plan = []
    for document_id, text in documents:
        words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        path = f"/projects/{project_id}/documents/{document_id}/spans/"
        for token in annotators.values():
            drawn = set()  # an annotator's span is drawn once (a repeat is a 409)
            while len(drawn) < SPANS_PER_DOCUMENT:
                first = rng.randrange(len(words))
                last = min(len(words) - 1, first + rng.randrange(8))
                start, end = words[first][0], words[last][1]
                body = {"label": rng.choice(labels), "start": start, "end": end, "text": text[start:end]}
                if (body["label"], start, end) in drawn:
                    continue
                drawn.add((body["label"], start, end))
                plan.append((path, token, json.dumps(body).encode()))
    return plan


def create_sequential(client, plan):
    latencies, errors = [], []
    for path, token, body in plan:
        started = time.perf_counter()
        status, raw = client.send("POST", path, body, token)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 201:
            errors.append(f"{status} {raw[:200]!r}")
    return latencies, errors


def _create_worker(port, plan, barrier, results):
    client = Client(port)
    client.conn.connect()
    barrier.wait()
    started_cpu = time.process_time()
    latencies, errors = create_sequential(client, plan)
    results.put(
        {
            "finished": time.monotonic(),
            "latencies": latencies,
            "errors": errors[:5],
            "error_count": len(errors),
            "cpu": time.process_time() - started_cpu,
            "closed_by_server": client.closed_by_server,
        }
    )
    client.close()


def create_concurrent(port, plan, clients):
    """Split `plan` into `clients` contiguous chunks, one process and connection each; returns a summary."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(clients + 1)
    results = ctx.Queue()
    size = -(-len(plan) // clients)
    procs = [
        ctx.Process(target=_create_worker, args=(port, plan[i * size : (i + 1) * size], barrier, results))
        for i in range(clients)
    ]
    for proc in procs:
        proc.start()
    barrier.wait()
    started = time.monotonic()
    outcomes = [results.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = max(o["finished"] for o in outcomes) - started
    latencies = [ms for o in outcomes for ms in o["latencies"]]
    return {
        "elapsed_s": elapsed,
        "latencies": latencies,
        "errors": [e for o in outcomes for e in o["errors"]],
        "error_count": sum(o["error_count"] for o in outcomes),
        "client_cpu_s": sum(o["cpu"] for o in outcomes),
        "closed_by_server": sum(o["closed_by_server"] for o in outcomes),
    }


def plan_relations(client, project_id, documents, annotators, owner_token, creates):
    """(path, token, body bytes) for each annotator's relations on the first documents, enough for `creates`:
    their spans of a document, in id order, linked two by two with a relation type that allows any label."""
    kind = client.json(
        "POST", f"/projects/{project_id}/relation-types/", {"name": "Bench link", "key": "q"}, owner_token, expect=201
    )
    plan = []
    for document_id, _ in documents:
        path = f"/projects/{project_id}/documents/{document_id}/relations/"
        for token in annotators.values():
            spans = client.json(
                "GET", f"/projects/{project_id}/documents/{document_id}/spans/?page_size=100", token=token
            )
            ids = sorted(span["id"] for span in spans["results"])[: 2 * RELATIONS_PER_DOCUMENT]
            for from_span, to_span in zip(ids[::2], ids[1::2], strict=True):
                body = {"type": kind["id"], "from_span": from_span, "to_span": to_span}
                plan.append((path, token, json.dumps(body).encode()))
        if len(plan) >= creates:
            return plan
    return plan


# The questions answered in phase 4: one of each kind, as the presets and the demo ask them.
BENCH_QUESTIONS = [
    {"name": "Primary frame", "kind": "single", "options": ["Economic", "Political", "Security", "Other"]},
    {"name": "Tone", "kind": "single", "options": ["pro", "neutral", "anti"]},
    {"name": "Frames", "kind": "multi", "options": ["Economic", "Political", "Security", "Legal"]},
    {"name": "Slant", "kind": "scale", "min": -3, "max": 3},
    {"name": "Quality", "kind": "scale", "min": 1, "max": 5},
]


def plan_answers(client, project_id, documents, annotators, owner_token, creates, rng):
    """(path, token, body bytes) for each annotator's answer to each of BENCH_QUESTIONS on the first documents,
    enough for `creates`."""
    questions = client.json("POST", f"/projects/{project_id}/questions/", BENCH_QUESTIONS, owner_token, expect=201)
    plan = []
    for document_id, _ in documents:
        path = f"/projects/{project_id}/documents/{document_id}/answers/"
        for token in annotators.values():
            for question in questions:
                if question["kind"] == "scale":
                    value = rng.randint(question["min"], question["max"])
                elif question["kind"] == "multi":
                    value = rng.sample(question["options"], rng.randint(1, 3))
                else:
                    value = rng.choice(question["options"])
                plan.append((path, token, json.dumps({"question": question["id"], "value": value}).encode()))
        if len(plan) >= creates:
            return plan[:creates]
    return plan


def plan_accepts(client, project_id, documents, annotators, owner_token, labels, span_plan, accepts, rng):
    """Post SUGGESTIONS_PER_DOCUMENT suggestions on each of the first documents, none equal to a span an annotator
    drew (so every accept makes a span: 201), and return (path, token, body bytes) for each annotator's accept
    of each of them, enough for `accepts`."""
    drawn = set()
    for path, _, body in span_plan:
        span = json.loads(body)
        drawn.add((path, span["label"], span["start"], span["end"]))
    plan = []
    for document_id, text in documents:
        words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        base = f"/projects/{project_id}/documents/{document_id}/"
        proposed = {}
        while len(proposed) < SUGGESTIONS_PER_DOCUMENT:
            first = rng.randrange(len(words))
            last = min(len(words) - 1, first + rng.randrange(5))
            label, start, end = key = (rng.choice(labels), words[first][0], words[last][1])
            if (base + "spans/", *key) not in drawn:
                proposed[key] = {"label": label, "start": start, "end": end, "score": rng.random(), "source": "bench"}
        made = client.json("POST", base + "suggestions/", list(proposed.values()), owner_token, expect=201)
        for token in annotators.values():
            plan.extend((f"{base}suggestions/{suggestion['id']}/accept/", token, b"{}") for suggestion in made)
        if len(plan) >= accepts:
            return plan[:accepts]
    return plan


def list_spans(client, path, token, gets, expected):
    status, raw = client.send("GET", path, token=token)
    count = json.loads(raw)["count"] if status == 200 else None
    if count != expected:
        raise SystemExit(f"GET {path} answered {status} with count {count}, expected {expected}")
    latencies = []
    for _ in range(gets):
        started = time.perf_counter()
        status, _ = client.send("GET", path, token=token)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
    return latencies


def list_me(client, token, gets):
    latencies = []
    for _ in range(gets):
        started = time.perf_counter()
        status, _ = client.send("GET", "/users/me/", token=token)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"GET /users/me/ answered {status}")
    return latencies


# --------------------------------------------------------------------------------------------------------------


def run(args):
    run_started = time.monotonic()
    rng = random.Random(args.seed)
    pg, db_kind, data_dir, machine = bench_database(args.database_url, "slant-bench")
    server = Server(args, data_dir, args.database_url)
    owner_password = secrets.token_urlsafe(16)
    samplers = []
    try:
        server.manage("migrate", "--noinput", "-v0")
        server.manage(
            "createsuperuser",
            "--noinput",
            "--username",
            "bench-owner",
            "--email",
            "bench-owner@example.com",
            DJANGO_SUPERUSER_PASSWORD=owner_password,
        )
        server.start()
        client = Client(server.port)
        setup_started = time.monotonic()
        project_id, owner_token, annotators, labels, documents = set_up(client, owner_password, args.documents, rng)
        plan = plan_spans(project_id, documents, annotators, labels, rng)
        setup_s = time.monotonic() - setup_started
        # Warm every worker (imports, URL resolver, database connection) with reads, not creates.
        warm_path = f"/projects/{project_id}/documents/{documents[-1][0]}/spans/?page_size=100"
        for _ in range(10 * args.workers):
            client.send("GET", warm_path, token=owner_token)
        client.closed_by_server = 0

        sequential = min(SEQUENTIAL_CREATES, len(plan) // 2) if args.quick else min(SEQUENTIAL_CREATES, len(plan))
        print(f"phase 1: {sequential} sequential creates ...", file=sys.stderr)
        sampler = Sampler(args.py_spy, server, f"create-{db_kind}", args.py_spy_idle)
        samplers.append(sampler)
        cpu0 = server.cpu_seconds()
        phase1_latencies, phase1_errors = create_sequential(client, plan[:sequential])
        phase1_cpu = server.cpu_seconds() - cpu0
        sampler.stop()
        phase1_closed = client.closed_by_server

        print(f"phase 2: {len(plan) - sequential} creates by {args.clients} clients ...", file=sys.stderr)
        busy0, total0 = machine_busy()
        server_cpu0 = server.cpu_seconds()
        phase2 = create_concurrent(server.port, plan[sequential:], args.clients)
        busy1, total1 = machine_busy()
        server_cpu = server.cpu_seconds() - server_cpu0

        creates = 100 if args.quick else RELATION_CREATES
        relations = plan_relations(client, project_id, documents, annotators, owner_token, creates)
        print(f"phase 3: {len(relations)} sequential relation creates, then their list ...", file=sys.stderr)
        client.closed_by_server = 0
        cpu0 = server.cpu_seconds()
        relation_latencies, relation_errors = create_sequential(client, relations)
        relation_create_cpu = server.cpu_seconds() - cpu0
        gets = 50 if args.quick else LIST_GETS
        first_document = documents[0][0]
        relations_path = f"/projects/{project_id}/documents/{first_document}/relations/?page_size=100"
        cpu0 = server.cpu_seconds()
        relation_list_latencies = list_spans(
            client, relations_path, owner_token, gets, ANNOTATORS * RELATIONS_PER_DOCUMENT
        )
        relation_list_cpu = server.cpu_seconds() - cpu0

        answers = plan_answers(client, project_id, documents, annotators, owner_token, creates, rng)
        print(f"phase 4: {len(answers)} sequential answer saves ...", file=sys.stderr)
        cpu0 = server.cpu_seconds()
        answer_latencies, answer_errors = create_sequential(client, answers)
        answer_save_cpu = server.cpu_seconds() - cpu0

        accepts = plan_accepts(
            client, project_id, documents, annotators, owner_token, labels, plan, 100 if args.quick else ACCEPTS, rng
        )
        print(f"phase 6: {len(accepts)} sequential suggestion accepts ...", file=sys.stderr)
        cpu0 = server.cpu_seconds()
        accept_latencies, accept_errors = create_sequential(client, accepts)
        accept_cpu = server.cpu_seconds() - cpu0

        list_path = f"/projects/{project_id}/documents/{first_document}/spans/?page_size=100"
        print(f"phase 5: {gets} GETs of one document's spans ...", file=sys.stderr)
        client.closed_by_server = 0
        sampler = Sampler(args.py_spy, server, f"list-{db_kind}", args.py_spy_idle)
        samplers.append(sampler)
        cpu0 = server.cpu_seconds()
        accepted_here = sum(1 for path, _, _ in accepts if f"/documents/{first_document}/" in path)
        list_latencies = list_spans(
            client, list_path, owner_token, gets, ANNOTATORS * SPANS_PER_DOCUMENT + accepted_here
        )
        phase3_cpu = server.cpu_seconds() - cpu0
        sampler.stop()
        phase3_closed = client.closed_by_server
        # The floor every request pays (middleware, token auth, one query): GET /users/me/.
        floor_latencies = list_me(client, owner_token, gets)
        client.close()
    finally:
        for sampler in samplers:
            for proc in sampler.procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
        server.stop()
        if pg:
            pg.drop()
        log = server.log.read_text(errors="replace") if server.log.exists() else ""
        shutil.rmtree(data_dir, ignore_errors=True)

    errors = phase1_errors + phase2["errors"] + relation_errors + answer_errors + accept_errors
    error_count = (
        len(phase1_errors) + phase2["error_count"] + len(relation_errors) + len(answer_errors) + len(accept_errors)
    )
    spans_per_s = len(phase2["latencies"]) / phase2["elapsed_s"]
    results = {
        "create_p50_ms": percentile(phase1_latencies, 50),
        "create_p99_ms": percentile(phase1_latencies, 99),
        "spans_per_s": spans_per_s,
        "list_p50_ms": percentile(list_latencies, 50),
        "list_p99_ms": percentile(list_latencies, 99),
        "relation_create_p50_ms": percentile(relation_latencies, 50),
        "relation_create_p99_ms": percentile(relation_latencies, 99),
        "relation_list_p50_ms": percentile(relation_list_latencies, 50),
        "answer_save_p50_ms": percentile(answer_latencies, 50),
        "answer_save_p99_ms": percentile(answer_latencies, 99),
        "accept_p50_ms": percentile(accept_latencies, 50),
        "accept_p99_ms": percentile(accept_latencies, 99),
    }
    details = {
        "sequential_creates": len(phase1_latencies),
        "concurrent_creates": len(phase2["latencies"]),
        "concurrent_seconds": round(phase2["elapsed_s"], 2),
        "concurrent_create_p50_ms": percentile(phase2["latencies"], 50),
        "concurrent_create_p99_ms": percentile(phase2["latencies"], 99),
        "list_gets": len(list_latencies),
        "users_me_p50_ms": percentile(floor_latencies, 50),
        "errors": error_count,
        "first_errors": errors[:5],
        "server_closed_connection": {
            "phase1": phase1_closed,
            "phase2": phase2["closed_by_server"],
            "phase3": phase3_closed,
        },
        "phase2_cpu_seconds": {
            "gunicorn": round(server_cpu, 2),
            "clients": round(phase2["client_cpu_s"], 2),
            "machine_busy_share": round((busy1 - busy0) / max(1, total1 - total0), 3),
        },
        # CPU time of the gunicorn processes per request: less sensitive than wall time to other load on the machine.
        "server_cpu_ms_per_request": {
            "create_sequential": round(1000 * phase1_cpu / max(1, len(phase1_latencies)), 2),
            "create_concurrent": round(1000 * server_cpu / max(1, len(phase2["latencies"])), 2),
            "list": round(1000 * phase3_cpu / max(1, len(list_latencies) + 1), 2),
            "relation_create": round(1000 * relation_create_cpu / max(1, len(relation_latencies)), 2),
            "relation_list": round(1000 * relation_list_cpu / max(1, len(relation_list_latencies) + 1), 2),
            "answer_save": round(1000 * answer_save_cpu / max(1, len(answer_latencies)), 2),
            "suggestion_accept": round(1000 * accept_cpu / max(1, len(accept_latencies)), 2),
        },
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "setup_seconds": round(setup_s, 2),
        "run_seconds": round(time.monotonic() - run_started, 1),
        "server_log_tail": log[-2000:] if error_count else "",
    }
    config = {
        "documents": args.documents,
        "annotators": ANNOTATORS,
        "spans_per_document_per_annotator": SPANS_PER_DOCUMENT,
        "total_spans": len(plan),
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads": args.threads if args.worker_class == "gthread" else 1,
        "clients": args.clients,
        "quick": args.quick,
        "seed": args.seed,
        "settings": args.settings,
    }
    commit = bench_commit()
    report = {
        "benchmark": "api_bench",
        "commit": commit,
        "machine": machine,
        "config": config,
        "results": {k: round(v, 2) for k, v in results.items()},
        "targets": TARGETS,
        "doccano_1_8_4": DOCCANO_1_8_4,
        "details": details,
    }
    print_report(report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.worker_class == "sync" else f"-{args.worker_class}"
    suffix += "-quick" if args.quick else ""
    out = Path(args.out) if args.out else OUT_DIR / f"api_bench-{db_kind}{suffix}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out}")
    return 1 if error_count else 0


def read_git(*argv):
    """Output of a read-only git command in the repo ('' without git)."""
    try:
        done = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
    except OSError:
        return ""
    return done.stdout.strip()


def print_report(report):
    m, c, r, d = report["machine"], report["config"], report["results"], report["details"]
    print(f"\nmachine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}", end="")
    print(f", kernel {m['kernel']}")
    print(f"database: {m['db']} {m['db_version']}; load average at start {m['load_average_at_start']}")
    threads = f" x {c['threads']} threads" if c["worker_class"] == "gthread" else ""
    print(
        f"server: gunicorn {c['workers']} {c['worker_class']} workers{threads}; "
        f"{c['documents']} documents, {c['total_spans']} spans, {c['clients']} clients; commit {report['commit']}"
    )
    rows = [
        ("span create p50 (sequential)", "create_p50_ms", "ms", "<="),
        ("span create p99 (sequential)", "create_p99_ms", "ms", None),
        (f"span create throughput ({c['clients']} clients)", "spans_per_s", "spans/s", ">="),
        ("list 60 spans p50", "list_p50_ms", "ms", "<="),
        ("list 60 spans p99", "list_p99_ms", "ms", None),
        ("relation create p50 (sequential)", "relation_create_p50_ms", "ms", "<="),
        ("relation create p99 (sequential)", "relation_create_p99_ms", "ms", None),
        ("list 30 relations p50", "relation_list_p50_ms", "ms", "<="),
        ("answer save p50 (sequential)", "answer_save_p50_ms", "ms", "<="),
        ("answer save p99 (sequential)", "answer_save_p99_ms", "ms", None),
        ("suggestion accept p50 (sequential)", "accept_p50_ms", "ms", "<="),
        ("suggestion accept p99 (sequential)", "accept_p99_ms", "ms", None),
    ]
    print(f"\n{'figure':<38}{'value':>12}{'target':>14}{'doccano 1.8.4':>16}  verdict")
    for title, key, unit, sense in rows:
        value = r[key]
        target = report["targets"].get(key)
        doccano = report["doccano_1_8_4"].get(key)
        verdict = ""
        if sense == "<=":
            verdict = "ok" if value <= target else "MISSED"
        elif sense == ">=":
            verdict = "ok" if value >= target else "MISSED"
        target_text = f"{sense} {target:g}" if sense else ""
        doccano_text = f"{doccano:g}" if doccano else ""
        print(f"{title:<38}{value:>9.2f} {unit:<3}{target_text:>13}{doccano_text:>16}  {verdict}")
    cpu = d["phase2_cpu_seconds"]
    print(
        f"\nphase 2: {d['concurrent_creates']} creates in {d['concurrent_seconds']} s, "
        f"p50 {d['concurrent_create_p50_ms']:.2f} ms, p99 {d['concurrent_create_p99_ms']:.2f} ms; "
        f"CPU s: gunicorn {cpu['gunicorn']}, clients {cpu['clients']}, machine busy {cpu['machine_busy_share']:.0%}"
    )
    print(f"floor: GET /users/me/ p50 {d['users_me_p50_ms']:.2f} ms (middleware, token auth, no project query)")
    print(f"gunicorn CPU ms per request: {d['server_cpu_ms_per_request']}")
    print(f"connections closed by the server (no keep-alive): {d['server_closed_connection']}")
    if max(m["load_average_at_start"][0], d["load_average_at_end"][0]) > m["cores"] / 2:
        print(
            f"WARNING: other load on the machine (load average {d['load_average_at_end']} at the end): "
            "wall-clock figures are pessimistic; the CPU ms per request are the steadier figure"
        )
    print(f"errors: {d['errors']} {d['first_errors'] or ''}; setup {d['setup_seconds']} s; run {d['run_seconds']} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://…/slant_bench (created and dropped); default: SQLite")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument(
        "--worker-class", choices=["sync", "gthread"], default="gthread", help="default gthread, as make run"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes in phase 2")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (12 documents)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--settings", default="project.settings", help="DJANGO_SETTINGS_MODULE of the server")
    parser.add_argument("--py-spy", metavar="PATH", help="sample each worker with this py-spy in phases 1 and 3")
    parser.add_argument("--py-spy-idle", action="store_true", help="with --py-spy: sample wall time, not only CPU")
    parser.add_argument("--out", help="JSON file to write (default bench/out/api_bench-<db>.json)")
    args = parser.parse_args(argv)
    if args.quick and args.documents == parser.get_default("documents"):
        args.documents = 12
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

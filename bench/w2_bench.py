#!/usr/bin/env python
"""Workload W2 (issue 18), a real campaign's size: 50,000 invented ~5,000-character articles, 2 annotators who both
submitted every one, 10 spans each per article (1,000,000 spans), 2 relations and 2 answers each per article.
This bench measures where the figures stand at that size, through real HTTP against a gunicorn server it starts
(as `make run` does: 4 gthread workers x 4 threads):

1. the import: the whole workload as one JSONL file through `manage.py import_documents` (issue 18: <= 40 s on
   PostgreSQL); the annotators' submitted assignments are then written in bulk;
2. the figures refresh job (services/figures.py), run in this process after the import, timed alone, and the γ job
   it queues (services/gamma.py: every compared document's γ), timed alone; then GET
   /agreement/ and GET /stats/ as the owner (the first request and the p50 of --requests more; <= 300 ms), and
   the project overview page, all reading the refreshed figures;
3. span create p50 (sequential; 1-8 words, five to a document over forty documents) and p50 of GETs of one
   document's 60 spans as the owner, as W1 (bench/api_bench.py) measures them, then the refresh again (the 41
   documents changed); then, with a real db_worker keeping the figures, the lag of `computed_at` behind edits;
4. the JSONL export of every span, streamed (>= 300,000 spans/s) and the server worker's peak memory growth.

    .venv/bin/python bench/w2_bench.py --database-url postgres://postgres@127.0.0.1:5432/slant_w2_bench
    .venv/bin/python bench/w2_bench.py                       # SQLite in a fresh temp dir
    .venv/bin/python bench/w2_bench.py --documents 5000      # a tenth of W2

The figures are printed as JSON and written to bench/out/w2_bench-<db>.json.
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from agreement_bench import timed
from api_bench import (
    OUT_DIR,
    ROOT,
    VENV_BIN,
    Client,
    Server,
    bench_commit,
    bench_database,
    bench_teardown,
    make_article,
    percentile,
    use_server_database,
)
from dataset_bench import get_export, memory_kib

ANNOTATORS = ("w2-anna", "w2-ben")
SPANS = 10  # per annotator and article
RELATIONS = 2  # per annotator and article
DISTINCT_TEXTS = 1000  # articles are drawn from this many texts (each document has its own external_id)
QUESTIONS = (("Tone", "single", ["pro", "neutral", "anti"]), ("Genre", "single", ["opinion", "reporting", "satire"]))
WORD = re.compile(r"\w+")
TARGETS_MS = {"agreement": 300.0, "stats": 300.0, "overview": 300.0}


def write_workload(path, documents, labels, seed):
    """The W2 JSONL file: each article with both annotators' spans (three in five shared, the rest their own),
    relations between their own spans and answers. Returns the number of spans written."""
    rng = random.Random(seed)
    texts = [make_article(rng, with_emoji=i % 3 == 0) for i in range(DISTINCT_TEXTS)]
    words_of = [[(m.start(), m.end()) for m in WORD.finditer(text)] for text in texts]
    spans_written = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(documents):
            k = i % DISTINCT_TEXTS
            words = words_of[k]
            shared = [_span(rng, words, labels) for _ in range(SPANS)]
            spans, relations, answers, next_id = [], [], [], 1
            for user in ANNOTATORS:
                own = {}
                for drawn in shared:
                    label, start, end = drawn if rng.random() < 0.6 else _span(rng, words, labels)
                    if (label, start, end) in own:
                        continue
                    own[(label, start, end)] = next_id
                    spans.append({"id": next_id, "start": start, "end": end, "label": label, "annotator": user})
                    next_id += 1
                ids = list(own.values())
                for _ in range(RELATIONS):
                    a, b = rng.sample(ids, 2)
                    relations.append({"type": "cites", "from": a, "to": b, "annotator": user})
                for name, _kind, options in QUESTIONS:
                    answers.append({"question": name, "value": rng.choice(options), "annotator": user})
            spans_written += len(spans)
            line = {"external_id": f"w2-{i}", "title": f"W2 article {i}", "source": ("Courier", "Daily", "Wire")[i % 3]}
            line.update(text=texts[k], spans=spans, relations=relations, answers=answers)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return spans_written


def _span(rng, words, labels):
    first = rng.randrange(len(words))
    last = min(len(words) - 1, first + rng.randrange(6))
    return rng.choice(labels), words[first][0], words[last][1]


def w2_project(name):
    """The W2 owner and annotators (users), a framing project named `name` with them as members and QUESTIONS.
    Returns (the owner's member row, the label names)."""
    from django.contrib.auth import get_user_model

    from annotator.access import access_project
    from annotator.services.members import member_add
    from annotator.services.projects import project_create
    from annotator.services.questions import question_create

    User = get_user_model()
    owner = User.objects.create_user("w2-owner")
    for username in ANNOTATORS:
        User.objects.create_user(username)
    project = project_create(user=owner, name=name, label_preset="framing", annotators_per_document=2)
    actor = access_project(owner, project.pk)
    for username in ANNOTATORS:
        member_add(actor=actor, username=username, role="annotator")
    for name_, kind, options in QUESTIONS:
        question_create(member=actor, name=name_, kind=kind, options=options)
    return actor, list(project.labels.order_by("id").values_list("name", flat=True))


def arrange(args, server, data_dir):
    """Users, the project and its questions, then the timed import and the submitted assignments. Returns
    (project id, owner token, the annotators' tokens, session cookie, import seconds, spans)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    from annotator.models import Assignment, AssignmentStatus, Document

    User = get_user_model()
    actor, labels = w2_project("Bench: W2")
    owner, project = actor.user, actor.project
    workload = data_dir / "w2.jsonl"
    print(f"writing {args.documents} documents ...", file=sys.stderr)
    spans = write_workload(workload, args.documents, labels, args.seed)
    print(f"importing {workload.stat().st_size / 2**20:.0f} MiB ...", file=sys.stderr)
    started = time.monotonic()
    server.manage("import_documents", str(project.pk), str(workload), "--format", "jsonl", "--create-labels",
                  "--user", "w2-owner")  # fmt: skip
    import_s = time.monotonic() - started
    print(f"imported in {import_s:.1f} s", file=sys.stderr)
    workload.unlink()
    users = list(User.objects.filter(username__in=ANNOTATORS))
    rows = [
        Assignment(document_id=document_id, user=user, status=AssignmentStatus.SUBMITTED)
        for document_id in Document.objects.filter(project=project).values_list("id", flat=True).iterator()
        for user in users
    ]
    Assignment.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    from django.db import connection

    if connection.vendor == "postgresql":  # as autovacuum would after weeks of submissions (it is off on this server)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE annotator_assignment")
    session = SessionStore()
    session["_auth_user_id"] = str(owner.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = owner.get_session_auth_hash()
    session.create()
    annotator = users[0]
    return (project.pk, Token.objects.create(user=owner).key, Token.objects.create(user=annotator).key,
            Token.objects.create(user=users[1]).key, session.session_key, import_s, spans)  # fmt: skip


def page_ms(client, path, session_key):
    """GET a page with the owner's session cookie; milliseconds to the whole body."""
    client.conn.request("GET", path, headers={"Cookie": f"sessionid={session_key}"})
    started = time.perf_counter()
    response = client.conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}: {body[:300]!r}")
    return elapsed


def freshness(server, client, project_id, token, annotator_token, document_ids, label_id, seconds):
    """How far the figures lag behind the changes while a real worker keeps them (SPEC: `computed_at` never more
    than a minute behind a change): a `manage.py db_worker` runs the refreshes the changes queue, a span is created
    on another document about every second for `seconds`, and GET /agreement/ is polled between them. An edit's lag
    is the time from its response until the first answer computed after it (its `computed_at`, the database time
    the refresh started reading, is later than the response). Returns (lags in seconds, polls)."""
    from datetime import UTC, datetime

    log_path = server.log.parent / "worker.log"
    log = open(log_path, "ab")  # noqa: SIM115 - closed below, with the worker
    worker = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [str(VENV_BIN / "python"), "manage.py", "db_worker", "--no-reload", "--interval", "1"],
        cwd=ROOT,
        env=server.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    path = f"/projects/{project_id}/agreement/"
    edits, polls = [], 0  # edits: [time of its response, lag or None]
    try:
        started = time.monotonic()
        deadline = started + seconds
        next_edit = started
        while time.monotonic() < deadline + 90 and (time.monotonic() < deadline or any(e[2] is None for e in edits)):
            now = time.monotonic()
            if now >= next_edit and now < deadline:
                document_id = document_ids[len(edits) % len(document_ids)]
                body = {"label": label_id, "start": 0, "end": 3 + len(edits) // len(document_ids), "note": "lag"}
                client.json("POST", f"/projects/{project_id}/documents/{document_id}/spans/", body,
                            token=annotator_token, expect=201)  # fmt: skip
                edits.append([datetime.now(UTC), time.monotonic(), None])
                next_edit += 1.0
            answer = client.json("GET", path, token=token)
            polls += 1
            computed_at = datetime.fromisoformat(answer["computed_at"]) if answer["computed_at"] else None
            seen = time.monotonic()
            for edit in edits:
                if edit[2] is None and computed_at is not None and computed_at > edit[0]:
                    edit[2] = seen - edit[1]
            time.sleep(0.25)
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
    missed = [edit for edit in edits if edit[2] is None]
    if missed:
        print(log_path.read_text()[-3000:], server.log.read_text()[-6000:], file=sys.stderr)
        raise SystemExit(
            f"{len(missed)} of {len(edits)} edits never showed in the figures within 90 s: the first at "
            f"{missed[0][0].isoformat()}, the figures last computed at {computed_at and computed_at.isoformat()}"
        )
    return [edit[2] for edit in edits], polls


def _create_words(client, path, token, label_ids, rng, latencies):
    """POST a span of 1-8 words of the document at `path` (its text fetched once per path), its latency added to
    `latencies`; returns the status."""
    text = _TEXTS.get(path)
    if text is None:
        text = _TEXTS[path] = client.json("GET", path.removesuffix("spans/"), token=token)["text"]
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    first = rng.randrange(len(words))
    start, end = words[first][0], words[min(len(words) - 1, first + rng.randrange(8))][1]
    body = {"label": rng.choice(label_ids), "start": start, "end": end, "text": text[start:end]}
    t0 = time.perf_counter()
    status, _ = client.send("POST", path, body, token)
    latencies.append((time.perf_counter() - t0) * 1000)
    return status


_TEXTS = {}


def run(args):
    started = time.monotonic()
    pg, db_kind, data_dir, machine = bench_database(args.database_url, "slant-w2-bench")
    server_args = SimpleNamespace(workers=4, worker_class="gthread", threads=4, settings="project.settings")
    server = Server(server_args, data_dir, args.database_url)
    server.env["GUNICORN_CMD_ARGS"] = "--timeout 600"  # a slow figure is measured, not killed
    results = {}
    try:
        server.manage("migrate", "--noinput", "-v0")
        use_server_database(server, args.database_url)
        project_id, token, annotator_token, other_token, session_key, import_s, spans = arrange(args, server, data_dir)
        results["import_s"] = round(import_s, 1)
        from django.db import connection

        from annotator.services.figures import figures_refresh

        # The figures refresh job a worker would run after the import (services/figures.py), run here, timed alone.
        print("refreshing the figures ...", file=sys.stderr)
        t0 = time.monotonic()
        recomputed = figures_refresh(project_id=project_id)
        results["figures_refresh_s"] = round(time.monotonic() - t0, 1)
        results["figures_refresh_documents"] = len(recomputed)
        print(f"  {len(recomputed)} documents in {results['figures_refresh_s']} s", file=sys.stderr)
        # The γ job that refresh queued (services/gamma.py), run here as a worker would, timed alone.
        from annotator.choices import JobKind
        from annotator.models import Job
        from annotator.services.gamma import gamma_job_run

        job = Job.objects.filter(project_id=project_id, kind=JobKind.GAMMA).order_by("-id").first()
        t0 = time.monotonic()
        if job is not None:
            gamma_job_run(job_id=job.pk)
            job.refresh_from_db()
        results["gamma_job_s"] = round(time.monotonic() - t0, 1)
        results["gamma_job_documents"] = job.done if job is not None else 0
        print(f"  γ job: {results['gamma_job_documents']} documents in {results['gamma_job_s']} s", file=sys.stderr)

        from annotator.models import Document, Label

        ids = Document.objects.filter(project_id=project_id).order_by("id").values_list("id", flat=True)
        document_id = ids[7]
        half = len(ids) // 2
        lag_documents = list(ids[half : half + 100])  # the freshness phase's edits, one document each
        label_ids = list(Label.objects.filter(project_id=project_id).order_by("id").values_list("id", flat=True))
        label_id = label_ids[0]
        create_documents = list(ids[100:140]) or list(ids[:40])
        connection.close()

        server.start()
        client = Client(server.port)
        client.conn.timeout = 1800  # today's whole-project figures take minutes at this size: measure them
        client.json("GET", "/users/me/", token=token)
        for name in ("agreement", "stats"):
            path = f"/projects/{project_id}/{name}/"
            print(f"GET {path} ...", file=sys.stderr)
            first, _ = timed(client, path, token)
            times = [timed(client, path, token)[0] for _ in range(args.requests)]
            print(f"  first {first:.0f} ms, then {times}", file=sys.stderr)
            results[f"{name}_first_ms"] = round(first, 1)
            results[f"{name}_p50_ms"] = round(percentile(times, 50), 1)
        overview = [page_ms(client, f"/projects/{project_id}/", session_key) for _ in range(1 + args.requests)]
        results["overview_first_ms"] = round(overview[0], 1)
        results["overview_p50_ms"] = round(percentile(overview[1:], 50), 1)

        # As W1 (bench/api_bench.py) does them, so that the two compare: creates of 1-8 words, each with its text,
        # five to a document over forty documents; then GETs of one document's 60 spans as the owner.
        rng = random.Random(args.seed)
        creates = []
        for n in range(args.creates):
            path = f"/projects/{project_id}/documents/{create_documents[n // 5 % len(create_documents)]}/spans/"
            status = _create_words(client, path, annotator_token, label_ids, rng, creates)
            if status not in (201, 409):
                raise SystemExit(f"span create answered {status}")
        spans_path = f"/projects/{project_id}/documents/{document_id}/spans/"
        for who in (annotator_token, other_token):  # its 20 spans and 40 more: 60, as W1's document
            made = 0
            while made < 20:
                made += _create_words(client, spans_path, who, label_ids, rng, []) == 201
        listed = client.json("GET", f"{spans_path}?page_size=100", token=token)
        if listed["count"] != 60:
            raise SystemExit(f"the listed document holds {listed['count']} spans, not 60")
        lists = []
        for _ in range(args.creates):
            t0 = time.perf_counter()
            client.json("GET", f"{spans_path}?page_size=100", token=token)
            lists.append((time.perf_counter() - t0) * 1000)
        results["span_create_p50_ms"] = round(percentile(creates, 50), 2)
        results["span_list_p50_ms"] = round(percentile(lists, 50), 2)
        # The refresh after those creates: one document changed, the whole project pooled again.
        t0 = time.monotonic()
        recomputed = figures_refresh(project_id=project_id)
        results["figures_refresh_after_edits_s"] = round(time.monotonic() - t0, 1)
        results["figures_refresh_after_edits_documents"] = len(recomputed)
        connection.close()

        if args.lag_seconds:
            print(f"edits for {args.lag_seconds} s with a worker keeping the figures ...", file=sys.stderr)
            lags, polls = freshness(server, client, project_id, token, annotator_token, lag_documents, label_id,
                                    args.lag_seconds)  # fmt: skip
            results["lag_edits"] = len(lags)
            results["lag_p50_s"] = round(percentile(lags, 50), 1)
            results["lag_max_s"] = round(max(lags), 1)
            print(f"  {len(lags)} edits, lag p50 {results['lag_p50_s']} s, max {results['lag_max_s']} s",
                  file=sys.stderr)  # fmt: skip

        print("export ...", file=sys.stderr)
        peaks = {pid: memory_kib(pid)[0] for pid in server.workers()}
        seconds, body = get_export(client, project_id, token, "format=jsonl")
        exported = sum(len(json.loads(line)["spans"]) for line in body.splitlines() if line)
        growth = max(memory_kib(pid)[0] - peak for pid, peak in peaks.items())
        results["export_spans"] = exported
        results["export_spans_per_s"] = round(exported / seconds)
        results["export_worker_peak_growth_mib"] = round(growth / 1024, 1)
    finally:
        bench_teardown(server, pg, data_dir)

    commit = bench_commit()
    report = {
        "benchmark": "w2_bench",
        "commit": commit,
        "machine": machine,
        "config": {
            "documents": args.documents,
            "annotators": len(ANNOTATORS),
            "spans": spans,
            "requests": args.requests,
            "seed": args.seed,
        },  # fmt: skip
        "results": results,
        "targets_ms": TARGETS_MS,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "run_seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else OUT_DIR / f"w2_bench-{db_kind}-{args.documents}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out}", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://…/slant_w2_bench (created and dropped); default: SQLite")
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=3, help="timed requests after the first (default 3)")
    parser.add_argument("--creates", type=int, default=200, help="span creates and span lists timed (default 200)")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument(
        "--lag-seconds", type=int, default=60, help="edits for this long with a db_worker keeping the figures (0: none)"
    )
    parser.add_argument("--out", help="the JSON file to write (default: bench/out/w2_bench-<db>-<documents>.json)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 500 documents, 20 creates")
    args = parser.parse_args(argv)
    if args.quick:
        args.documents, args.creates, args.lag_seconds = 500, 20, min(args.lag_seconds, 15)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Benchmark of GET /projects/{p}/stats/ through real HTTP, against a gunicorn server this script starts: the
figures the overview page draws, suggestions included (issue 16).

Workload: bench/agreement_bench.py's project (1,000 invented ~5,000-character articles, 3 annotators who
submitted every one, 60,000 spans, 15,000 answers to 5 questions; blind), then 3 sources of suggestions with 20
each a document (60,000 suggestions), each decided by each annotator with a chance of 2 in 5, three in five of
those accepted (about 72,000 decisions), and gold on the first 200 documents (15 gold spans each), which the
sources hit in part (a model more often than the lexicon). Written through the services and bulk inserts in this
process; the server runs as `make run` does (4 gthread workers x 4 threads). Figures:

1. as the owner: the first request (cold caches), then the p50 and max of --requests more;
2. as a blind annotator (their own figures): the p50 of --requests;
3. server CPU ms per request;
4. in-process calls as the owner, the whole selector and the suggestions block alone (when the code has one:
   run this script on an older checkout to compare), as CPU time and as time in queries.

    .venv/bin/python bench/stats_bench.py                      # SQLite in a fresh temp dir
    .venv/bin/python bench/stats_bench.py --database-url postgres://postgres@127.0.0.1:5432/slant_stats_bench
    .venv/bin/python bench/stats_bench.py --quick              # 100 documents

The figures are printed as JSON and written to bench/out/stats_bench-<db>.json.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from agreement_bench import arrange as arrange_project
from agreement_bench import timed
from api_bench import (
    OUT_DIR,
    Client,
    Server,
    bench_commit,
    bench_database,
    bench_teardown,
    percentile,
    use_server_database,
)

SOURCES = {"lexicon:cues": 0.3, "memory:accepted": 0.45, "http:model": 0.6}  # source: share of gold it hits
SUGGESTIONS_PER_DOCUMENT = 20  # per source
GOLD_DOCUMENTS = 200
GOLD_PER_DOCUMENT = 15
DECIDE = 0.4  # each annotator's chance of deciding a suggestion
ACCEPT = 0.6
WORD = re.compile(r"\w+")


def random_span(rng, words, labels):
    first = rng.randrange(len(words))
    last = min(len(words) - 1, first + rng.randrange(6))
    return rng.choice(labels), words[first][0], words[last][1]


def arrange_suggestions(project_id, seed):
    """Gold on the first GOLD_DOCUMENTS, SOURCES' suggestions on every document (a share of each gold document's
    gold among them), the annotators' decisions. Returns (gold spans, suggestions, decisions)."""
    from annotator.models import Assignment, Document, GoldSpan, Label, Suggestion, SuggestionDecision

    rng = random.Random(seed + 16)
    labels = list(Label.objects.filter(project_id=project_id).order_by("id").values_list("id", flat=True))
    documents = list(Document.objects.filter(project_id=project_id).order_by("id").values_list("id", "text"))
    gold, suggestions = [], []
    for n, (document_id, text) in enumerate(documents):
        words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        truth = {random_span(rng, words, labels) for _ in range(GOLD_PER_DOCUMENT)} if n < GOLD_DOCUMENTS else set()
        gold += [GoldSpan(document_id=document_id, label_id=a, start=b, end=c) for a, b, c in truth]
        for source, hits in SOURCES.items():
            made = {span for span in truth if rng.random() < hits}
            while len(made) < SUGGESTIONS_PER_DOCUMENT:
                made.add(random_span(rng, words, labels))
            suggestions += [
                Suggestion(document_id=document_id, label_id=a, start=b, end=c, score=rng.random(), source=source)
                for a, b, c in made
            ]
    GoldSpan.objects.bulk_create(gold, batch_size=2000)
    Suggestion.objects.bulk_create(suggestions, batch_size=2000)
    annotators = sorted(
        set(Assignment.objects.filter(document__project_id=project_id).values_list("user_id", flat=True))
    )
    decisions = [
        SuggestionDecision(suggestion_id=pk, user_id=user, decision="accepted" if rng.random() < ACCEPT else "rejected")
        for pk in Suggestion.objects.filter(document__project_id=project_id).order_by("id").values_list("pk", flat=True)
        for user in annotators
        if rng.random() < DECIDE
    ]
    SuggestionDecision.objects.bulk_create(decisions, batch_size=2000)
    return len(gold), len(suggestions), len(decisions)


def annotator_token(project_id):
    from rest_framework.authtoken.models import Token

    from annotator.models import Member

    member = Member.objects.filter(project_id=project_id, role="annotator").order_by("user__username").first()
    return Token.objects.create(user=member.user).key


def breakdown(project_id, repeats=5):
    """In-process calls as the owner, the median of `repeats`: the whole selector and its suggestions block alone
    (when the code has one), each as this process's CPU milliseconds (SQLite's work included: it runs in this
    process) and as the milliseconds its queries took (PostgreSQL's work is in its server). Not wall time: on a
    shared machine that measures the neighbours too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotator.models import Member
    from annotator.selectors import stats

    member = Member.objects.select_related("project").get(project_id=project_id, role="owner")

    def measure(call):
        cpu, queries = [], []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                call()
                cpu.append((time.process_time() - started) * 1000)
            queries.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
        return {"cpu_ms": round(statistics.median(cpu), 1), "queries_ms": round(statistics.median(queries), 1)}

    stages = {"whole_selector": measure(lambda: stats.project_stats(member=member))}
    if hasattr(stats, "_suggestions"):
        stages["suggestions_block"] = measure(lambda: stats._suggestions(project=member.project, member=member))
    return stages


def run(args):
    started = time.monotonic()
    pg, db_kind, data_dir, machine = bench_database(args.database_url, "slant-stats-bench")
    server_args = SimpleNamespace(workers=4, worker_class="gthread", threads=4, settings="project.settings")
    server = Server(server_args, data_dir, args.database_url)
    try:
        server.manage("migrate", "--noinput", "-v0")
        use_server_database(server, args.database_url)
        print(f"arranging {args.documents} documents ...", file=sys.stderr)
        arrange_started = time.monotonic()
        project_id, owner_token, _, answers, _ = arrange_project(args.documents, args.seed)
        from annotator.models import Span

        spans = Span.objects.filter(document__project_id=project_id).count()  # a repeat the draw made is dropped
        gold, suggestions, decisions = arrange_suggestions(project_id, args.seed)
        blind_token = annotator_token(project_id)
        arrange_s = time.monotonic() - arrange_started
        from django.db import connection

        connection.close()

        server.start()
        client = Client(server.port)
        path = f"/projects/{project_id}/stats/"
        client.json("GET", "/users/me/", token=owner_token)  # the connection, not the endpoint
        cpu0 = server.cpu_seconds()
        first_ms, figures = timed(client, path, owner_token)
        latencies = [timed(client, path, owner_token)[0] for _ in range(args.requests)]
        blind = [timed(client, path, blind_token)[0] for _ in range(args.requests)]
        cpu_ms = (server.cpu_seconds() - cpu0) * 1000 / (1 + 2 * args.requests)
        stages = breakdown(project_id)
    finally:
        bench_teardown(server, pg, data_dir)

    if figures["documents"] != args.documents or figures["spans"] != spans:
        raise SystemExit(f"stats counted {figures['documents']} documents and {figures['spans']} spans")
    counted = figures.get("suggestions")
    if counted is not None and sum(row["suggested"] for row in counted) != suggestions:
        raise SystemExit(f"stats counted {sum(row['suggested'] for row in counted)} suggestions, not {suggestions}")
    commit = bench_commit()
    report = {
        "benchmark": "stats_bench",
        "commit": commit,
        "machine": machine,
        "config": {
            "documents": args.documents,
            "spans": spans,
            "answers": answers,
            "suggestions": suggestions,
            "decisions": decisions,
            "gold_spans": gold,
            "requests": args.requests,
            "server": "gunicorn, 4 gthread workers x 4 threads",
            "seed": args.seed,
        },
        "results": {
            "first_request_ms": round(first_ms, 1),
            "p50_ms": round(percentile(latencies, 50), 1),
            "max_ms": round(max(latencies), 1),
            "blind_annotator_p50_ms": round(percentile(blind, 50), 1),
            "server_cpu_ms_per_request": round(cpu_ms, 1),
        },
        "in_process": stages,
        "suggestions": [
            {key: row[key] for key in ("source", "suggested", "accepted", "rejected", "open", "precision", "recall")}
            for row in counted or []
        ],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "arrange_seconds": round(arrange_s, 1),
        "run_seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else OUT_DIR / f"stats_bench-{db_kind}{'-quick' if args.quick else ''}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out}", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://…/slant_stats_bench (created and dropped); default: SQLite")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=10, help="timed requests after the first (default 10)")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (100 documents)")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--out", help="JSON file to write (default bench/out/stats_bench-<db>.json)")
    args = parser.parse_args(argv)
    if args.quick and args.documents == parser.get_default("documents"):
        args.documents = 100
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Benchmark of GET /projects/{p}/agreement/ through real HTTP, against a gunicorn server this script starts.

Workload (issue 5): 1,000 invented ~5,000-character articles (bench/api_bench.py's generator, emoji in a third),
3 annotators who all submitted every one, 20 spans each per article (60,000 spans, labels of the "framing"
preset): three in five of each annotator's spans copy a shared reading of the article, 15% move its end by a
word, 5% change its label and a fifth are their own. Issue 15 adds 5 document questions (a primary frame of 15,
a tone of 3, a genre of 3, frames multi of 14, a slant scale of 1-5) that every annotator answers on every
article (15,000 answers), four in five answers the shared one, the rest their own. Issue 17 marks every other
article's spans and answers as made under the current codebook version, for ?since_version=<current>. The data
is written through the services and bulk inserts in this process (the endpoint reads it; how it got there does
not matter); the server runs as `make run` does (4 gthread workers x 4 threads) on the same database. Figures:

1. the first request (a worker's first agreement request: cold caches), then the p50 and max of --requests more,
   with and without ?include_unsubmitted=true, and with ?since_version=<current> (half the articles remain), as
   the owner with token auth; target: p50 <= 2 s;
2. server CPU ms per request (steadier than wall time on a busy machine);
3. a breakdown of one in-process call: the queries, tokenisation and the maths.

    .venv/bin/python bench/agreement_bench.py                      # SQLite in a fresh temp dir
    .venv/bin/python bench/agreement_bench.py --database-url postgres://postgres@127.0.0.1:5432/slant_agree_bench
    .venv/bin/python bench/agreement_bench.py --quick              # 100 documents

The figures are printed as JSON and written to bench/out/agreement_bench-<db>.json.
"""

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from api_bench import (
    OUT_DIR,
    Client,
    Server,
    bench_commit,
    bench_database,
    bench_teardown,
    make_article,
    percentile,
    use_server_database,
)

TARGET_P50_MS = 2000.0
ANNOTATORS = 3
SPANS_PER_ANNOTATOR = 20  # per document
WORD = re.compile(r"\w+")
FRAMES = [f"Frame {n}" for n in range(1, 16)]
# Issue 15's agreement workload: (name, kind, options or (min, max)).
QUESTIONS = [
    ("Primary frame", "single", FRAMES),
    ("Tone", "single", ["pro", "neutral", "anti"]),
    ("Genre", "single", ["opinion", "reporting", "satire"]),
    ("Frames", "multi", FRAMES[:14]),
    ("Slant", "scale", (1, 5)),
]


def shared_reading(rng, text, labels):
    """The spans a careful annotator would draw on `text`: (label, first word, last word) of 1-8 words."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    reading = []
    for _ in range(SPANS_PER_ANNOTATOR):
        first = rng.randrange(len(words))
        reading.append((rng.choice(labels), first, min(len(words) - 1, first + rng.randrange(8))))
    return words, reading


def annotator_spans(rng, words, reading, labels):
    """One annotator's 20 spans (label, start, end): mostly the shared reading, some shifted, relabelled or new."""
    spans = []
    for label, first, last in reading:
        roll = rng.random()
        if roll < 0.15:
            last = min(len(words) - 1, max(first, last + rng.choice([-1, 1])))
        elif roll < 0.2:
            label = rng.choice(labels)
        elif roll >= 0.8:
            first = rng.randrange(len(words))
            last = min(len(words) - 1, first + rng.randrange(8))
        spans.append((label, words[first][0], words[last][1]))
    return spans


def draw_answer(rng, kind, options):
    """A random answer to a question of `kind`: one option, a set of one to three, or an integer of the scale."""
    if kind == "single":
        return rng.choice(options)
    if kind == "multi":
        return sorted(rng.sample(options, rng.randint(1, 3)), key=options.index)
    return rng.randint(*options)


def arrange_answers(rng, project, owner, annotators, documents):
    """The QUESTIONS and every annotator's answer to each on every document: four in five the shared answer."""
    from annotator.models import Answer
    from annotator.services.questions import question_create

    questions = []
    for name, kind, options in QUESTIONS:
        bounds = {"min": options[0], "max": options[1]} if kind == "scale" else {"options": options}
        questions.append((question_create(member=owner, name=name, kind=kind, **bounds), kind, options))
    rows = []
    for document in documents:
        for question, kind, options in questions:
            shared = draw_answer(rng, kind, options)
            for user in annotators:
                value = shared if rng.random() < 0.8 else draw_answer(rng, kind, options)
                rows.append(Answer(document_id=document.pk, annotator=user, question=question, value=value))
    Answer.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def arrange(documents, seed):
    """Users, a framing project, its documents (assigned to all 3 annotators, all submitted), 60 spans and 15
    answers each. Returns (project id, owner's token, spans, answers)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from annotator.access import access_project
    from annotator.models import Answer, Assignment, AssignmentStatus, Span
    from annotator.services.documents import document_create_many
    from annotator.services.members import member_add
    from annotator.services.projects import project_create

    rng = random.Random(seed)
    User = get_user_model()
    owner = User.objects.create_user("bench-owner")  # token auth only: no usable password
    annotators = [User.objects.create_user(f"bench-annotator-{n}") for n in range(1, ANNOTATORS + 1)]
    project = project_create(
        user=owner, name="Bench: agreement", label_preset="framing", annotators_per_document=ANNOTATORS
    )
    actor = access_project(owner, project.pk)
    for user in annotators:
        member_add(actor=actor, username=user.username, role="annotator")
    labels = list(project.labels.order_by("id").values_list("id", flat=True))
    created = []
    for start in range(0, documents, 250):
        items = [
            {"text": make_article(rng, with_emoji=i % 3 == 0), "title": f"Bench {i}", "external_id": f"bench-{i}"}
            for i in range(start, min(documents, start + 250))
        ]
        created += document_create_many(member=actor, items=items)
    rows = []
    for document in created:
        words, reading = shared_reading(rng, document.text, labels)
        for user in annotators:
            for label, start, end in annotator_spans(rng, words, reading, labels):
                rows.append(Span(document_id=document.pk, annotator=user, label_id=label, start=start, end=end))
    # An annotator has a span once (a unique rule): a repeat the random draw makes is dropped.
    Span.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    answers = arrange_answers(rng, project, actor, annotators, created)
    # Issue 17: every other document's spans and answers as if re-annotated under the current codebook version
    # (bulk rows carry version 1), so that ?since_version=<current> keeps half of them.
    project.refresh_from_db()
    reworked = [document.pk for document in created[::2]]
    for model in (Span, Answer):
        model.objects.filter(document_id__in=reworked).update(codebook_version=project.codebook_version)
    submitted = Assignment.objects.filter(document__project=project).update(status=AssignmentStatus.SUBMITTED)
    if submitted != documents * ANNOTATORS:
        raise SystemExit(f"{submitted} assignments, expected {documents * ANNOTATORS}")
    return project.pk, Token.objects.create(user=owner).key, len(rows), answers, project.codebook_version


def breakdown(project_id):
    """Seconds each stage of one in-process call takes: the span and assignment queries, the texts, tokenising,
    the maths, the questions' answers and maths (the usernames and labels queries are a few milliseconds)."""
    from annotator.metrics.report import AgreementReport
    from annotator.models import Project
    from annotator.selectors import agreement
    from annotator.text import tokenize

    project = Project.objects.get(pk=project_id)
    marks = [time.perf_counter()]
    annotations = agreement._annotations(project=project, include_unsubmitted=False)
    marks.append(time.perf_counter())
    texts = list(agreement._texts(project=project, include_unsubmitted=False))
    marks.append(time.perf_counter())
    tokens = {document_id: tokenize(text) for document_id, text in texts}
    marks.append(time.perf_counter())
    report = AgreementReport()
    for document_id, by_user in annotations.items():
        report.add(tokens[document_id], by_user)
    report.figures()
    marks.append(time.perf_counter())
    agreement._question_figures(
        project=project, answer_rows=agreement._answer_rows(project=project, include_unsubmitted=False)
    )
    marks.append(time.perf_counter())
    agreement.project_agreement(project=project)
    marks.append(time.perf_counter())
    stages = ["spans_and_assignments", "texts", "tokenize", "maths", "questions", "whole_selector"]
    return {stage: round((b - a) * 1000, 1) for stage, a, b in zip(stages, marks[:-1], marks[1:], strict=True)}


def timed(client, path, token):
    started = time.perf_counter()
    status, raw = client.send("GET", path, token=token)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: {raw[:500]!r}")
    return elapsed, json.loads(raw)


def run(args):
    started = time.monotonic()
    pg, db_kind, data_dir, machine = bench_database(args.database_url, "slant-agreement-bench")
    server_args = SimpleNamespace(workers=4, worker_class="gthread", threads=4, settings="project.settings")
    server = Server(server_args, data_dir, args.database_url)
    try:
        server.manage("migrate", "--noinput", "-v0")
        # This process writes the workload to the server's database, with the server's settings.
        use_server_database(server, args.database_url)
        print(f"arranging {args.documents} documents ...", file=sys.stderr)
        arrange_started = time.monotonic()
        project_id, token, spans, answers, version = arrange(args.documents, args.seed)
        arrange_s = time.monotonic() - arrange_started
        from django.db import connection

        connection.close()

        server.start()
        client = Client(server.port)
        path = f"/projects/{project_id}/agreement/"
        client.json("GET", "/users/me/", token=token)  # the connection, not the endpoint
        cpu0 = server.cpu_seconds()
        first_ms, figures = timed(client, path, token)
        latencies = [timed(client, path, token)[0] for _ in range(args.requests)]
        unsubmitted = [timed(client, path + "?include_unsubmitted=true", token)[0] for _ in range(args.requests)]
        cpu_ms = (server.cpu_seconds() - cpu0) * 1000 / (1 + 2 * args.requests)
        since = [timed(client, f"{path}?since_version={version}", token) for _ in range(args.requests)]
        stages = breakdown(project_id)
    finally:
        bench_teardown(server, pg, data_dir)

    if figures["documents"] != args.documents:
        raise SystemExit(f"the endpoint compared {figures['documents']} documents, expected {args.documents}")
    if [row["documents"] for row in figures["questions"]] != [args.documents] * len(QUESTIONS):
        raise SystemExit(f"the questions compared {figures['questions']}, expected {args.documents} documents each")
    if since[0][1]["documents"] != (args.documents + 1) // 2:
        raise SystemExit(f"since_version kept {since[0][1]['documents']} documents, expected half")
    p50 = percentile(latencies, 50)
    commit = bench_commit()
    report = {
        "benchmark": "agreement_bench",
        "commit": commit,
        "machine": machine,
        "config": {
            "documents": args.documents,
            "annotators": ANNOTATORS,
            "spans": spans,
            "questions": len(QUESTIONS),
            "answers": answers,
            "characters": "~5,000 a document",
            "requests": args.requests,
            "server": "gunicorn, 4 gthread workers x 4 threads",
            "seed": args.seed,
        },
        "results": {
            "first_request_ms": round(first_ms, 1),
            "p50_ms": round(p50, 1),
            "max_ms": round(max(latencies), 1),
            "include_unsubmitted_p50_ms": round(percentile(unsubmitted, 50), 1),
            "since_version_p50_ms": round(percentile([ms for ms, _ in since], 50), 1),
            "since_version_documents": since[0][1]["documents"],
            "server_cpu_ms_per_request": round(cpu_ms, 1),
            "target_p50_ms": TARGET_P50_MS,
            "verdict": "ok" if p50 <= TARGET_P50_MS and first_ms <= TARGET_P50_MS else "MISSED",
        },
        "in_process_breakdown_ms": stages,
        "figures": {
            "documents": figures["documents"],
            "overall": figures["overall"],
            "pairs": figures["pairs"],
            "questions": figures["questions"],
        },
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "arrange_seconds": round(arrange_s, 1),
        "run_seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else OUT_DIR / f"agreement_bench-{db_kind}{'-quick' if args.quick else ''}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out}", file=sys.stderr)
    return 0 if report["results"]["verdict"] == "ok" else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://…/slant_agree_bench (created and dropped); default: SQLite")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=5, help="timed requests after the first (default 5)")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (100 documents)")
    parser.add_argument("--seed", type=int, default=20250105)
    parser.add_argument("--out", help="JSON file to write (default bench/out/agreement_bench-<db>.json)")
    args = parser.parse_args(argv)
    if args.quick and args.documents == parser.get_default("documents"):
        args.documents = 100
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

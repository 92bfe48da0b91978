#!/usr/bin/env python
"""The export alone at workload W2's shape (issue 18: "export of 1,000,000 spans >= 300,000 spans/s streamed with
flat memory"), without w2_bench's 50,000-document import: the rows are written in bulk (bulk_create, a few thousand
a statement), then GET /projects/{p}/export/ is timed through gunicorn.

Workload: --documents invented ~5,000-character articles (W2: 50,000), 2 annotators x 10 spans each per article
(1,000,000 spans at W2), 2 relations and 2 answers per annotator per article. Figures, per export format (jsonl and
csv, the spans table, by default): spans/s from the request to the last byte (best of --repeat), the export's
size and SHA-256, and the gunicorn worker's peak memory growth over the export (VmHWM after the export less VmHWM
before it; the worker first serves a warm-up export of a one-document project, so that its imports are not
counted). The server is 1 sync worker, fresh for each code tree measured.

--root DIR (repeatable) measures the app at DIR instead (a `git archive` of another commit with a .venv beside
it), each in its turn on the same rows: main and a branch back to back, with the load average around each; equal
SHA-256s show that the two wrote the same bytes.

    .venv/bin/python bench/export_bench.py --documents 5000                      # SQLite, 100,000 spans
    .venv/bin/python bench/export_bench.py --database-url postgres://postgres@127.0.0.1:5432/slant_export_bench
    .venv/bin/python bench/export_bench.py --root /tmp/main-tree --root .         # before / after

The figures are printed as JSON and written to bench/out/export_bench-<db>-<documents>.json.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import orjson
from api_bench import (
    OUT_DIR,
    ROOT,
    Client,
    Server,
    bench_commit,
    bench_database,
    bench_teardown,
    make_article,
    use_server_database,
    worker_pids,
)
from dataset_bench import get_export, memory_kib
from w2_bench import ANNOTATORS, DISTINCT_TEXTS, QUESTIONS, RELATIONS, SPANS, WORD  # W2's shape, one copy

BATCH = 500  # documents a transaction while writing the rows
TARGET_SPANS_PER_S = 300_000


def _project(name, owner, users):
    from annotator.access import access_project
    from annotator.services.members import member_add
    from annotator.services.projects import project_create
    from annotator.services.questions import question_create
    from annotator.services.relation_types import relation_type_create

    project = project_create(user=owner, name=name, label_preset="framing", annotators_per_document=2)
    actor = access_project(owner, project.pk)
    for user in users:
        member_add(actor=actor, username=user.username, role="annotator")
    for question, kind, options in QUESTIONS:
        question_create(member=actor, name=question, kind=kind, options=options)
    relation_type_create(member=actor, name="cites")
    return project


def write_rows(project, users, documents, seed):
    """W2's rows in bulk: each article with both annotators' spans (three in five shared), 2 relations between each
    annotator's own spans and an answer to each question. Returns the number of spans written."""
    from django.db import transaction

    from annotator.models import Answer, Document, Label, Question, Relation, RelationType, Span
    from annotator.text import text_hash

    rng = random.Random(seed)
    texts = [make_article(rng, with_emoji=i % 3 == 0) for i in range(DISTINCT_TEXTS)]
    hashes = [text_hash(text) for text in texts]
    words_of = [[(m.start(), m.end()) for m in WORD.finditer(text)] for text in texts]
    labels = list(Label.objects.filter(project=project).order_by("id").values_list("id", flat=True))
    relation_type = RelationType.objects.get(project=project, name="cites")
    questions = [(pk, options) for pk, options in Question.objects.filter(project=project).values_list("id", "options")]

    def draw(words):
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randrange(6))
        return rng.choice(labels), words[first][0], words[last][1]

    spans_written = 0
    for batch_start in range(0, documents, BATCH):
        numbers = range(batch_start, min(documents, batch_start + BATCH))
        with transaction.atomic():
            docs = Document.objects.bulk_create(
                Document(
                    project=project, text=texts[i % DISTINCT_TEXTS], text_hash=hashes[i % DISTINCT_TEXTS],
                    external_id=f"w2-{i}", title=f"W2 article {i}", source=("Courier", "Daily", "Wire")[i % 3],
                )
                for i in numbers
            )  # fmt: skip
            spans, owners = [], []
            for i, doc in zip(numbers, docs, strict=True):
                words = words_of[i % DISTINCT_TEXTS]
                shared = [draw(words) for _ in range(SPANS)]
                for user in users:
                    own = set()
                    for drawn in shared:
                        label, start, end = drawn if rng.random() < 0.6 else draw(words)
                        if (label, start, end) in own:
                            continue
                        own.add((label, start, end))
                        spans.append(Span(document=doc, annotator=user, label_id=label, start=start, end=end))
                        owners.append((doc, user))
            Span.objects.bulk_create(spans, batch_size=5000)
            spans_written += len(spans)
            mine = {}
            for span, key in zip(spans, owners, strict=True):
                mine.setdefault(key, []).append(span.pk)
            relations = []
            for (doc, user), ids in mine.items():
                for a, b in rng.sample([(a, b) for a in ids[:4] for b in ids[:4] if a != b], RELATIONS):
                    relations.append(
                        Relation(document=doc, annotator=user, type=relation_type, from_span_id=a, to_span_id=b)
                    )
            Relation.objects.bulk_create(relations, batch_size=5000)
            Answer.objects.bulk_create(
                (
                    Answer(document=doc, annotator=user, question_id=pk, value=rng.choice(options))
                    for doc in docs
                    for user in users
                    for pk, options in questions
                ),
                batch_size=5000,
            )
        print(f"  {numbers.stop} documents, {spans_written} spans", file=sys.stderr)
    return spans_written


def arrange(documents, seed):
    """Users, the measured project and a one-document warm-up project. Returns (project id, warm-up project id,
    owner token, spans)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    User = get_user_model()
    owner = User.objects.create_user("export-owner")
    users = [User.objects.create_user(username) for username in ANNOTATORS]
    warm = _project("Bench: warm-up", owner, users)
    write_rows(warm, users, 1, seed)
    project = _project("Bench: export W2", owner, users)
    started = time.monotonic()
    spans = write_rows(project, users, documents, seed)
    print(f"rows written in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return project.pk, warm.pk, Token.objects.create(user=owner).key, spans


class TreeServer(Server):
    """gunicorn (1 sync worker) serving the app of the code tree at `root`."""

    def __init__(self, root, data_dir, database_url):
        super().__init__(SimpleNamespace(workers=1, worker_class="sync", settings="project.settings"), data_dir,
                         database_url)  # fmt: skip
        self.root = Path(root).resolve()
        self.env["GUNICORN_CMD_ARGS"] = "--timeout 900"  # a slow figure is measured, not killed

    def start(self):
        cmd = [str(self.root / ".venv" / "bin" / "gunicorn"), "project.wsgi", "--bind", f"127.0.0.1:{self.port}",
               "--workers", "1", "--worker-class", "sync", "--log-level", "warning"]  # fmt: skip
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
                cmd, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            if worker_pids(self.proc.pid):
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                except OSError:
                    pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not start within 60 s")


def count(fmt, body):
    """The spans in an export's body: a JSONL line's spans, a CSV's rows below the header."""
    if fmt == "jsonl":
        return sum(len(orjson.loads(line)["spans"]) for line in body.splitlines() if line)
    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))) - 1


def measure(root, args, data_dir, project_id, warm_id, token):
    server = TreeServer(root, data_dir, args.database_url)
    server.start()
    figures = {"root": str(server.root), "commit": _commit(server.root), "load_average_before": _load()}
    try:
        client = Client(server.port)
        client.conn.timeout = 1800
        (pid,) = server.workers()
        for fmt in args.formats:
            get_export(client, warm_id, token, f"format={fmt}")
        for fmt in args.formats:
            runs = []
            for _ in range(args.repeat):
                before = memory_kib(pid)[0]
                seconds, body = get_export(client, project_id, token, f"format={fmt}")
                runs.append((seconds, memory_kib(pid)[0] - before))
            spans = count(fmt, body)
            best = min(seconds for seconds, _ in runs)
            figures[fmt] = {
                "spans": spans,
                "mib": round(len(body) / 2**20, 1),
                "sha256": hashlib.sha256(body).hexdigest(),
                "seconds": [round(seconds, 2) for seconds, _ in runs],
                "spans_per_s": round(spans / best),
                "worker_peak_mib": round(memory_kib(pid)[0] / 1024, 1),
                "worker_peak_growth_mib": round(max(growth for _, growth in runs) / 1024, 1),
            }
            del body
            print(f"  {fmt}: {figures[fmt]}", file=sys.stderr)
    finally:
        server.stop()
    figures["load_average_after"] = _load()
    return figures


def _load():
    return [round(x, 2) for x in os.getloadavg()]


def _commit(root):
    if root == ROOT:
        return bench_commit()
    stamp = root / "COMMIT"
    return stamp.read_text().strip() if stamp.exists() else str(root)


def run(args):
    started = time.monotonic()
    roots = [Path(root).resolve() for root in args.root] or [ROOT]
    pg, db_kind, data_dir, machine = bench_database(args.database_url, "slant-export-bench")
    server = Server(SimpleNamespace(workers=1, worker_class="sync", settings="project.settings"), data_dir,
                    args.database_url)  # fmt: skip
    measured = []
    try:
        server.manage("migrate", "--noinput", "-v0")
        use_server_database(server, args.database_url)
        project_id, warm_id, token, spans = arrange(args.documents, args.seed)
        from django.db import connection

        connection.close()
        for root in roots:
            print(f"export from {root} ...", file=sys.stderr)
            measured.append(measure(root, args, data_dir, project_id, warm_id, token))
    finally:
        bench_teardown(server, pg, data_dir)
    report = {
        "benchmark": "export_bench",
        "commit": bench_commit(),
        "machine": machine,
        "config": {
            "documents": args.documents,
            "annotators": len(ANNOTATORS),
            "spans": spans,
            "relations": args.documents * len(ANNOTATORS) * RELATIONS,
            "answers": args.documents * len(ANNOTATORS) * len(QUESTIONS),
            "repeat": args.repeat,
            "server": "gunicorn, 1 sync worker",
            "seed": args.seed,
        },  # fmt: skip
        "target_spans_per_s": TARGET_SPANS_PER_S,
        "trees": measured,
        "load_average_at_end": _load(),
        "run_seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"export_bench-{db_kind}-{args.documents}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out}", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://…/slant_export_bench (created and dropped); default: SQLite")
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--formats", type=lambda text: text.split(","), default=["jsonl", "csv"])
    parser.add_argument("--repeat", type=int, default=2, help="exports timed per format (the best counts)")
    parser.add_argument("--root", action="append", default=[], help="the code tree to serve (repeatable)")
    parser.add_argument("--seed", type=int, default=20261206)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

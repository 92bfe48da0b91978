#!/usr/bin/env python
"""Benchmark of codebook changes on a project with many spans (issue 17: a change on a project with 1,000,000
spans takes ≤ 50 ms: no rewrite of spans; a label merge moving 100,000 spans takes ≤ 5 s on PostgreSQL).

Workload: one project (label preset "framing", its relation types and questions), 1,000 documents and --spans spans
(default 1,000,000) written by one raw INSERT … SELECT generate_series (the ORM would take minutes), all under the
label that is then renamed. Figures: p50/p99 of --changes label renames through services.labels.label_update (each
makes one codebook version in its transaction: the change, its audit event, the snapshot, the version row, its
audit event), then of --changes guideline edits, each timed from the call to its commit. Then --merges label merges
through services.labels.label_merge, each of a fresh label holding --merge-spans spans (another annotator's each
time, so none copies a span merged before) into the label with the 1,000,000: p50 and the slowest, from the call to
its commit.

    .venv/bin/python bench/codebook_bench.py --database-url postgres://postgres@127.0.0.1:5432/codebook_bench
    .venv/bin/python bench/codebook_bench.py --database-url … --quick   # 200,000 spans, 11 changes

The database named is created and dropped (its name must contain "bench"). The figures are printed as JSON.
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 50.0
MERGE_TARGET_S = 5.0


def admin(url, sql):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def insert_spans(document_ids, annotator_id, label_id, count):
    """`count` spans spread over `document_ids`, one statement; every Span column is named (a new one stops it)."""
    from django.db import connection

    from annotator.models import Span

    qn = connection.ops.quote_name
    first, n = min(document_ids), len(document_ids)
    assert document_ids == list(range(first, first + n)), "documents with consecutive ids"
    expressions = {
        "document_id": f"{first} + i %% {n}",
        "annotator_id": str(annotator_id),
        "label_id": str(label_id),
        "start": f"i / {n}",
        "end": f"i / {n} + 1",
        "note": "''",
        "review_status": "'pending'",
        "review_comment": "''",
        "reviewed_by_id": "NULL",
        "reviewed_at": "NULL",
        "version": "1",
        "codebook_version": "1",
        "origin": "NULL",
        "created_at": "now()",
        "updated_at": "now()",
    }
    columns = [field for field in Span._meta.concrete_fields if not field.primary_key]
    missing = {field.attname for field in columns} - expressions.keys()
    assert not missing, f"say what the bench writes in {missing}"
    names = ", ".join(qn(field.column) for field in columns)
    values = ", ".join(expressions[field.attname] for field in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(Span._meta.db_table)} ({names}) "  # noqa: S608 (names from the model)
            f"SELECT {values} FROM generate_series(0, %s) AS i",
            [count - 1],
        )
        cursor.execute(f"ANALYZE {qn(Span._meta.db_table)}")


def run(args):
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("SLANT_DATA_DIR", tempfile.mkdtemp(prefix="codebook-bench-"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from annotator.access import access_project
    from annotator.models import CodebookVersion, Label, Span
    from annotator.services.documents import document_create_many
    from annotator.services.labels import label_merge, label_update
    from annotator.services.members import member_add
    from annotator.services.projects import project_create, project_update

    User = get_user_model()
    owner = User.objects.create_user("owner")  # no usable password: nobody signs in
    annotator = User.objects.create_user("annotator")
    project = project_create(user=owner, name="Codebook bench", label_preset="framing")
    member = access_project(owner, project.pk)
    member_add(actor=member, username=annotator.username, role="annotator")
    started = time.perf_counter()
    documents = []
    for batch in range(0, 1000, 500):
        items = [{"text": f"Document {batch + i}: " + "word " * 400} for i in range(500)]
        documents += document_create_many(member=access_project(owner, project.pk), items=items)
    label = project.labels.order_by("id").first()
    insert_spans(sorted(d.pk for d in documents), annotator.pk, label.pk, args.spans)
    built = time.perf_counter() - started
    spans = Span.objects.filter(document__project=project).count()

    renames, edits = [], []
    for index in range(args.changes):
        member = access_project(owner, project.pk)
        began = time.perf_counter()
        label_update(member=member, label=label, name=f"Attribution {index}")
        renames.append((time.perf_counter() - began) * 1000)
    for index in range(args.changes):
        member = access_project(owner, project.pk)
        began = time.perf_counter()
        project_update(member=member, guidelines=f"Mark every quote (edit {index}).")
        edits.append((time.perf_counter() - began) * 1000)
    versions = CodebookVersion.objects.filter(project=project).count()
    untouched = Span.objects.filter(document__project=project, codebook_version=1).count()
    merges, moved = [], []
    for index in range(args.merges):
        source = Label.objects.create(project=project, name=f"Merged away {index}")
        writer = User.objects.create_user(f"merge_annotator_{index}")
        insert_spans(sorted(d.pk for d in documents), writer.pk, source.pk, args.merge_spans)
        member = access_project(owner, project.pk)
        began = time.perf_counter()
        _, counts, _ = label_merge(member=member, label=source, into=label.pk)
        merges.append(time.perf_counter() - began)
        moved.append(counts["spans"])
    return {
        "bench": "codebook",
        "config": {
            "spans": spans,
            "changes": args.changes,
            "merges": args.merges,
            "merge_spans": args.merge_spans,
            "build_s": round(built, 1),
        },
        "results": {
            "codebook_change_p50_ms": round(statistics.median(renames), 2),
            "rename_p99_ms": round(percentile(renames, 99), 2),
            "guidelines_p50_ms": round(statistics.median(edits), 2),
            "versions": versions,
            "spans_untouched": untouched == spans,
            "merge_p50_s": round(statistics.median(merges), 2) if merges else None,
            "merge_max_s": round(max(merges), 2) if merges else None,
            "merge_spans_moved": moved,
        },
        "targets": {"codebook_change_p50_ms": TARGET_MS, "merge_p50_s": MERGE_TARGET_S},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://…/<name with bench> (created, dropped)")
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=51)
    parser.add_argument("--merges", type=int, default=3, help="label merges to time")
    parser.add_argument("--merge-spans", type=int, default=100_000, help="spans of each label merged away")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (200,000 spans, 11 changes)")
    parser.add_argument("--out", help="also write the JSON to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.spans, args.changes = min(args.spans, 200_000), min(args.changes, 11)
    name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
        raise SystemExit(f"--database-url must name a database like codebook_bench (it is dropped), not {name!r}")
    admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(args.database_url, f'CREATE DATABASE "{name}"')
    try:
        report = run(args)
    finally:
        from django.db import connections

        connections.close_all()
        admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    text = json.dumps(report, indent=2)
    print("\n" + text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()

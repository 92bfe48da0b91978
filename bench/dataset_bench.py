#!/usr/bin/env python
"""Benchmark of dataset imports and exports through the HTTP API, against gunicorn servers this script starts.

Workload (issue 4, "Performance"): invented ~5 KB news articles (emoji and non-ASCII names in some), in JSON Lines.

1. import: POST /projects/{p}/imports/ of 10,000 documents without spans (51 MiB), wall time of the request
   (best of --repeat runs, 2 by default, each into a new project; every run is in the JSON);
2. import: 10,000 documents carrying 20 spans each (200,000 spans, annotators named in the file, `text` given
   so that every check runs; 77 MiB), wall time, best of the runs;
3. export: GET /projects/{p}/export/?format=jsonl of 100,020 spans over 1,667 documents (60 a document, 20 from
   each of 3 annotators: the density of api_bench's 12,000 spans over 200 documents), spans/s from the request
   to its last byte, best of 2; and the export server's peak memory for it against a 10,020-span export.
   Each of the two memory exports runs in a fresh gunicorn (1 sync worker) that first serves a warm-up export
   of a one-document project; the figure is the worker's VmHWM (peak resident set, /proc/<pid>/status) after
   the export, and the growth over its VmHWM before it. csv and conll (one annotator) exports are timed too.

Each import also reports the CPU seconds of gunicorn and (PostgreSQL) of the database's server processes, and how
busy the whole machine was: on a shared machine the wall time is only as good as the load beside it.
The import server runs as `make run` does (4 gthread workers x 4 threads) with SLANT_IMPORT_MAX_MB=200, since
the files pass the default 50 MB limit.

    .venv/bin/python bench/dataset_bench.py                      # SQLite in a fresh temp dir
    .venv/bin/python bench/dataset_bench.py --database-url postgres://postgres@127.0.0.1:5432/slant_dsbench
    .venv/bin/python bench/dataset_bench.py --quick              # a small smoke run (a tenth of the sizes)

The figures are printed and written to bench/out/dataset_bench-<db>.json.
"""

import argparse
import csv
import io
import json
import os
import random
import re
import secrets
import shutil
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

from api_bench import (
    API,
    OUT_DIR,
    Client,
    PostgresDatabase,
    Server,
    bench_commit,
    bench_database,
    machine_busy,
    process_cpu_seconds,
)
from api_bench import make_article as api_make_article

TARGETS = {"import_documents_s": 2.0, "import_spans_s": 4.0, "export_spans_per_s": 50_000.0, "export_memory_ratio": 1.2}
# Issue 4, measured on this machine: 1,000 documents (5 MB JSONL) imported; 12,000 spans exported.
REFERENCES = {
    "doccano 1.8.4": {"import_1000_documents_s": 0.97, "export_12000_spans_s": 1.76},
    "Label Studio 1.23.2": {"import_1000_documents_s": 0.29, "export_12000_spans_s": "0.63-0.90"},
}

ANNOTATORS = 3
IMPORT_DOCUMENTS = 10_000
IMPORT_SPANS_PER_DOCUMENT = 20
EXPORT_SPANS = 100_000
SMALL_EXPORT_SPANS = 10_000
EXPORT_SPANS_PER_ANNOTATOR = 20  # per document
DOC_BYTES = 5000
MIB = 1024 * 1024


# --------------------------------------------------------------------------------------------------------------
# Original prose: invented places, institutions and people; some names carry accents, some sentences an emoji.

PLACES = ["Valdoria", "Mährenfeld", "São Tobel", "the Kjærholm fjord", "Eastbrook", "Port Aubel", "Łomna Wielka"]
PEOPLE = [
    "spokeswoman Zoë Ferrant",
    "deputy minister Oren Talbot",
    "analyst Priya Vennam",
    "councillor Mateo Ruíz",
    "professor Åsa Lindqvist",
    "union organiser Kwame Asante",
    "mayor Beatrix Hölm",
    "economist Jiří Dvořánek",
]
BODIES = ["the harbour authority", "the regional assembly", "the ministry of water", "the transport regulator"]
VERBS = ["said", "told reporters", "wrote in a statement", "argued", "insisted", "warned", "claimed", "noted"]
CLAIMS = [
    "the new ferry schedule would cut waiting times by a third",
    "the budget for flood defences had been quietly halved",
    "talks with the neighbouring province were making steady progress",
    "no decision on the toll road would be taken before spring",
    "the drought had already cost growers a season of income",
    "the café owners on the quay had not been consulted",
    "the grid could not absorb another winter of record demand",
]
REACTIONS = [
    "Residents gathered outside the town hall on {day}, some carrying hand-painted signs.",
    "Critics say the plan favours large operators over family businesses in {place}.",
    "Officials in {place} declined to comment on the timing of the announcement.",
    "A petition opposing the change has gathered several thousand signatures in {place}.",
    "Traders in {place} called the proposal naïve but welcomed the consultation.",
]
APPEALS = [
    "Independent reporting like this depends on readers: consider supporting our newsroom.",
    "We believe the public deserves a full account of how this decision was made.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
EMOJI = ["📰", "🌍", "⚡", "🚢", "🇪🇺", "👩\u200d🌾", "💧"]
WORD = re.compile(r"\w+")


VOCABULARY = {
    "people": PEOPLE + BODIES, "verbs": VERBS, "claims": CLAIMS, "reactions": REACTIONS, "appeals": APPEALS,
    "days": DAYS, "places": PLACES, "emoji": EMOJI,
}  # fmt: skip


def make_article(rng, with_emoji, size=DOC_BYTES):
    """An invented news article of about `size` UTF-8 bytes (api_bench's generator, this bench's accented words)."""
    return api_make_article(
        rng, with_emoji, size, vocabulary=VOCABULARY, measure=lambda text: len(text.encode()), emoji_share=0.2
    )


def make_spans(rng, text, count, labels, annotators):
    """`count` spans of 1-8 whole words, each with its text, a label and one of `annotators` (cycled)."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    spans, drawn = [], set()
    while len(spans) < count:
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randrange(8))
        start, end = words[first][0], words[last][1]
        span = {
            "start": start,
            "end": end,
            "label": rng.choice(labels),
            "text": text[start:end],
            "annotator": annotators[len(spans) % len(annotators)],
        }
        key = (span["annotator"], span["label"], start, end)
        if key not in drawn:  # an annotator's span is stored once; the import would skip a repeat
            drawn.add(key)
            spans.append(span)
    return spans


def jsonl_file(rng, documents, prefix, spans_per_document=0, labels=(), annotators=()):
    """A JSON Lines file of `documents` invented articles, with `spans_per_document` spans on each."""
    lines = []
    for i in range(documents):
        text = make_article(rng, with_emoji=i % 3 == 0)
        line = {
            "external_id": f"{prefix}-{i}",
            "title": f"Article {i} from {rng.choice(PLACES)}",
            "source": rng.choice(["The Marren Courier", "Eastbrook Daily", "Valdoria Wire"]),
            "published_at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:30:00+00:00",
            "language": "en",
            "text": text,
        }
        if spans_per_document:
            line["spans"] = make_spans(rng, text, spans_per_document, labels, annotators)
        lines.append(json.dumps(line, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode()


# --------------------------------------------------------------------------------------------------------------
# HTTP: multipart upload and a streamed download on the stdlib's http.client.


def multipart(fields, filename, content):
    boundary = f"----slant-bench-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/x-ndjson\r\n\r\n".encode()
    )
    parts += [content, f"\r\n--{boundary}--\r\n".encode()]
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def timed_import(server, pg, client, project_id, token, filename, content):
    """POST the file as an import; returns (seconds, counts, details: the CPU seconds of the gunicorn processes
    and of the PostgreSQL sessions on the benchmark's database, and the share of the whole machine's CPU time that
    was busy meanwhile, whoever used it)."""
    load = os.getloadavg()[0]
    busy0, total0 = machine_busy()
    cpu0 = server.cpu_seconds()
    db0 = pg.backend_cpu() if pg else {}
    peaks0 = {pid: memory_kib(pid)[0] for pid in server.workers()}
    seconds, counts = post_import(client, project_id, token, filename, content)
    db1 = pg.backend_cpu() if pg else {}
    busy1, total1 = machine_busy()
    # The worker that took the import is the one whose peak resident set grew most (0 if none passed its peak).
    growth = max(memory_kib(pid)[0] - peak for pid, peak in peaks0.items())
    details = {
        "file_mib": round(len(content) / MIB, 1),
        "counts": counts,
        "worker_peak_growth_mib": round(growth / 1024, 1),
        "gunicorn_cpu_s": round(server.cpu_seconds() - cpu0, 2),
        "machine_busy_share": round((busy1 - busy0) / max(1, total1 - total0), 2),
        "load_average_before": round(load, 2),
    }
    if pg:
        details["postgres_cpu_s"] = round(sum(cpu - db0.get(pid, 0.0) for pid, cpu in db1.items()), 2)
    return seconds, counts, details


class BenchDatabase(PostgresDatabase):
    def backend_cpu(self):
        """{pid: CPU seconds} of the server processes of the sessions on the benchmark's database."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            pids = [pid for (pid,) in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name])]
        return {pid: process_cpu_seconds(pid) for pid in pids}


def post_import(client, project_id, token, filename, content, create_labels=False):
    """POST the file as an import; returns (seconds, counts)."""
    content_type, body = multipart({"format": "jsonl", "create_labels": str(create_labels).lower()}, filename, content)
    headers = {"Authorization": f"Token {token}", "Content-Type": content_type, "Accept": "application/json"}
    # A fresh connection, opened before the clock starts: the server drops idle keep-alive ones after 2 s.
    client.conn.close()
    client.conn.connect()
    started = time.perf_counter()
    client.conn.request("POST", f"{API}/projects/{project_id}/imports/", body=body, headers=headers)
    response = client.conn.getresponse()
    raw = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 201:
        raise SystemExit(f"import {filename} answered {response.status}: {raw[:1000]!r}")
    return elapsed, json.loads(raw)


def get_export(client, project_id, token, query):
    """GET an export and read it to the end; returns (seconds to the last byte, the body)."""
    client.conn.close()
    client.conn.connect()
    started = time.perf_counter()
    client.conn.request(
        "GET", f"{API}/projects/{project_id}/export/?{query}", headers={"Authorization": f"Token {token}"}
    )
    response = client.conn.getresponse()
    chunks = []
    while chunk := response.read(256 * 1024):
        chunks.append(chunk)
    elapsed = time.perf_counter() - started
    body = b"".join(chunks)
    if response.status != 200:
        raise SystemExit(f"export {query} answered {response.status}: {body[:1000]!r}")
    return elapsed, body


def jsonl_spans(body):
    return sum(len(json.loads(line)["spans"]) for line in body.splitlines() if line)


def memory_kib(pid):
    """(VmHWM, VmRSS) of a process in KiB: its peak resident set so far, and its resident set now."""
    values = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0])
    return values["VmHWM"], values["VmRSS"]


# --------------------------------------------------------------------------------------------------------------


def server_for(args, data_dir, workers, worker_class):
    options = SimpleNamespace(settings=args.settings, workers=workers, worker_class=worker_class, threads=4)
    server = Server(options, data_dir, args.database_url)
    server.env["SLANT_IMPORT_MAX_MB"] = "200"
    # A sync worker that runs longer than gunicorn's 30 s timeout is killed; let a slow run finish and be measured.
    server.env["GUNICORN_CMD_ARGS"] = "--timeout 600"
    return server


def set_up(client, owner_password):
    """Three annotators (users), and the owner's token."""
    token = client.json("POST", "/auth/token/", {"username": "bench-owner", "password": owner_password})["token"]
    annotators = [f"bench-annotator-{n}" for n in range(1, ANNOTATORS + 1)]
    for username in annotators:
        client.json("POST", "/users/", {"username": username, "password": secrets.token_urlsafe(16)}, token, expect=201)
    return token, annotators


def new_project(client, token, name, annotators):
    """A project with the framing preset and the annotators as members; returns (id, label names)."""
    body = {"name": name, "label_preset": "framing", "annotators_per_document": ANNOTATORS}
    p = client.json("POST", "/projects/", body, token, expect=201)["id"]
    members = [{"username": name, "role": "annotator"} for name in annotators]
    client.json("POST", f"/projects/{p}/members/", members, token, expect=201)
    labels = client.json("GET", f"/projects/{p}/labels/?page_size=1000", token=token)["results"]
    return p, [label["name"] for label in labels]


def run(args):
    run_started = time.monotonic()
    rng = random.Random(args.seed)
    scale = 10 if args.quick else 1
    import_documents = IMPORT_DOCUMENTS // scale
    per_document = ANNOTATORS * EXPORT_SPANS_PER_ANNOTATOR
    big_documents = -(-EXPORT_SPANS // scale // per_document)
    small_documents = -(-SMALL_EXPORT_SPANS // scale // per_document)
    pg, db_kind, data_dir, machine = bench_database(args.database_url, "slant-dsbench", database=BenchDatabase)
    owner_password = secrets.token_urlsafe(16)
    server = server_for(args, data_dir, workers=4, worker_class="gthread")
    servers = [server]
    results, details = {}, {}
    try:
        server.manage("migrate", "--noinput", "-v0")
        server.manage(
            "createsuperuser", "--noinput", "--username", "bench-owner", "--email", "bench-owner@example.com",
            DJANGO_SUPERUSER_PASSWORD=owner_password,
        )  # fmt: skip
        server.start()
        client = Client(server.port)
        client.conn.timeout = 900
        token, annotators = set_up(client, owner_password)

        print("writing the files ...", file=sys.stderr)
        p_warm, labels = new_project(client, token, "Bench: warm-up", annotators)
        p_big, _ = new_project(client, token, "Bench: export 100k", annotators)
        p_small, _ = new_project(client, token, "Bench: export 10k", annotators)
        docs_file = jsonl_file(rng, import_documents, "plain")
        spans_file = jsonl_file(rng, import_documents, "spans", IMPORT_SPANS_PER_DOCUMENT, labels, annotators)
        spans_each = [EXPORT_SPANS_PER_ANNOTATOR * ANNOTATORS, labels, annotators]
        big_file = jsonl_file(rng, big_documents, "big", *spans_each)
        small_file = jsonl_file(rng, small_documents, "small", *spans_each)
        warm_file = jsonl_file(rng, 1, "warm", *spans_each)
        # Warm every worker (codec and service modules, URL resolver, database connection) with a one-document
        # import, stored the first time and skipped (same external_id) after.
        for _ in range(4 * 4):
            post_import(client, p_warm, token, "warm.jsonl", warm_file)

        total = import_documents * IMPORT_SPANS_PER_DOCUMENT
        imports = (
            ("import_documents", f"{import_documents} documents", docs_file, "documents", import_documents),
            ("import_spans", f"{import_documents} documents, {total} spans", spans_file, "spans", total),
        )
        for key, title, content, counted, expected in imports:
            runs = []
            for n in range(1, args.repeat + 1):
                print(f"{key} {n}: {title} ({len(content) / MIB:.1f} MiB) ...", file=sys.stderr)
                project_id, _ = new_project(client, token, f"Bench: {key} {n}", annotators)
                seconds, counts, run_details = timed_import(
                    server, pg, client, project_id, token, f"{key}.jsonl", content
                )
                if counts[counted]["stored"] != expected:
                    raise SystemExit(f"{key} stored {counts}")
                runs.append({"seconds": round(seconds, 3), **run_details})
            # Best of the runs: other processes on the machine only ever add time.
            results[f"{key}_s"] = min(run["seconds"] for run in runs)
            details[key] = runs

        print("building the export projects ...", file=sys.stderr)
        setup = {}
        for name, project_id, content in (("big", p_big, big_file), ("small", p_small, small_file)):
            seconds, counts = post_import(client, project_id, token, f"{name}.jsonl", content)
            setup[name] = {"seconds": round(seconds, 2), **counts["spans"], "documents": counts["documents"]["stored"]}
        details["export_projects_imported"] = setup
        client.close()
        server.stop()

        exports = {}
        for name, project_id in (("small", p_small), ("big", p_big)):
            print(f"export {name}: fresh server ...", file=sys.stderr)
            server = server_for(args, data_dir, workers=1, worker_class="sync")
            servers.append(server)
            server.start()
            [worker] = server.workers()
            client = Client(server.port)
            client.conn.timeout = 900
            get_export(client, p_warm, token, "format=jsonl")
            peak_before, rss_before = memory_kib(worker)
            seconds, body = get_export(client, project_id, token, "format=jsonl")
            peak_after, _ = memory_kib(worker)
            spans = jsonl_spans(body)
            entry = {
                "documents": body.count(b"\n"),
                "spans": spans,
                "mib": round(len(body) / MIB, 1),
                "seconds": [round(seconds, 3)],
                "worker_peak_mib": round(peak_after / 1024, 1),
                "worker_peak_before_mib": round(peak_before / 1024, 1),
                "worker_rss_before_mib": round(rss_before / 1024, 1),
                "worker_peak_growth_mib": round((peak_after - peak_before) / 1024, 1),
            }
            del body
            seconds, _ = get_export(client, project_id, token, "format=jsonl")
            entry["seconds"].append(round(seconds, 3))
            entry["spans_per_s"] = round(spans / min(entry["seconds"]))
            if name == "big":
                for fmt, query in (("csv", "format=csv"), ("conll", f"format=conll&annotator={annotators[0]}")):
                    seconds, body = get_export(client, project_id, token, query)
                    entry[fmt] = {"seconds": round(seconds, 3), "mib": round(len(body) / MIB, 1)}
                    if fmt == "csv":
                        entry[fmt]["spans"] = sum(1 for _ in csv.reader(io.StringIO(body.decode()))) - 1
                        entry[fmt]["spans_per_s"] = round(entry[fmt]["spans"] / seconds)
                    else:
                        entry[fmt]["spans"] = spans // ANNOTATORS
                        entry[fmt]["spans_per_s"] = round(spans / ANNOTATORS / seconds)
                    del body
            exports[name] = entry
            client.close()
            server.stop()
        details["exports"] = exports
        results["export_spans_per_s"] = exports["big"]["spans_per_s"]
        results["export_memory_ratio"] = exports["big"]["worker_peak_mib"] / exports["small"]["worker_peak_mib"]
        details["export_memory_growth_mib"] = {
            name: exports[name]["worker_peak_growth_mib"] for name in ("small", "big")
        }
    finally:
        for each in servers:
            each.stop()
        if pg:
            pg.drop()
        log = server.log.read_text(errors="replace") if server.log.exists() else ""
        shutil.rmtree(data_dir, ignore_errors=True)

    details["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    details["run_seconds"] = round(time.monotonic() - run_started, 1)
    details["server_log_tail"] = log[-2000:] if "Traceback" in log else ""
    config = {
        "import_documents": import_documents,
        "import_spans_per_document": IMPORT_SPANS_PER_DOCUMENT,
        "document_bytes": DOC_BYTES,
        "export_spans_per_document": per_document,
        "export_documents": {"big": big_documents, "small": small_documents},
        "import_server": "gunicorn 4 gthread workers x 4 threads, SLANT_IMPORT_MAX_MB=200",
        "export_server": "gunicorn 1 sync worker, fresh for each of the two memory exports",
        "import_runs": args.repeat,
        "quick": args.quick,
        "seed": args.seed,
    }
    commit = bench_commit()
    report = {
        "benchmark": "dataset_bench",
        "commit": commit,
        "machine": machine,
        "config": config,
        "results": {k: round(v, 3) for k, v in results.items()},
        "targets": TARGETS,
        "references": REFERENCES,
        "details": details,
    }
    print_report(report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else OUT_DIR / f"dataset_bench-{db_kind}{'-quick' if args.quick else ''}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {out}")
    return 0


def print_report(report):
    m, c, r, d = report["machine"], report["config"], report["results"], report["details"]
    print(f"\nmachine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}")
    print(f"database: {m['db']} {m['db_version']}; load average at start {m['load_average_at_start']}; "
          f"commit {report['commit']}")  # fmt: skip
    n = c["import_documents"]
    big, small = d["exports"]["big"], d["exports"]["small"]
    rows = [
        (f"import {n} documents", "import_documents_s", "s", "<="),
        (f"import {n} documents + {n * c['import_spans_per_document']} spans", "import_spans_s", "s", "<="),
        (f"export {big['spans']} spans (jsonl)", "export_spans_per_s", "spans/s", ">="),
        (f"peak memory {big['spans']} / {small['spans']} spans", "export_memory_ratio", "x", "<="),
    ]
    print(f"\n{'figure':<50}{'value':>12}{'target':>14}  verdict")
    for title, key, unit, sense in rows:
        value, target = r[key], report["targets"][key]
        ok = value <= target if sense == "<=" else value >= target
        print(f"{title:<50}{value:>10.2f} {unit:<8}{sense} {target:<9g}  {'ok' if ok else 'MISSED'}")
    print()
    for name in ("import_documents", "import_spans"):
        for e in d[name]:
            postgres = f", PostgreSQL {e['postgres_cpu_s']} s" if "postgres_cpu_s" in e else ""
            print(
                f"{name}: {e['file_mib']} MiB in {e['seconds']} s; CPU: gunicorn {e['gunicorn_cpu_s']} s{postgres}; "
                f"worker peak memory +{e['worker_peak_growth_mib']} MiB; "
                f"machine busy {e['machine_busy_share']:.0%} (load average {e['load_average_before']} before)"
            )
    for entry in (small, big):
        print(
            f"export jsonl: {entry['documents']} documents, {entry['spans']} spans, {entry['mib']} MiB in "
            f"{entry['seconds']} s; worker peak {entry['worker_peak_mib']} MiB "
            f"(before the export {entry['worker_peak_before_mib']} MiB, growth {entry['worker_peak_growth_mib']} MiB)"
        )
    for fmt in ("csv", "conll"):
        e = big[fmt]
        print(f"export {fmt}: {e['spans']} spans, {e['mib']} MiB in {e['seconds']} s ({e['spans_per_s']} spans/s)")
    print(f"export projects imported: {d['export_projects_imported']}")
    print(f"run {d['run_seconds']} s; load average at end {d['load_average_at_end']}")
    if d["server_log_tail"]:
        print(f"server log:\n{d['server_log_tail']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://…/slant_dsbench (created and dropped); default: SQLite")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (a tenth of the sizes)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each import, the best counts (default 2)")
    parser.add_argument("--seed", type=int, default=20250404)
    parser.add_argument("--settings", default="project.settings", help="DJANGO_SETTINGS_MODULE of the server")
    parser.add_argument("--out", help="JSON file to write (default bench/out/dataset_bench-<db>.json)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

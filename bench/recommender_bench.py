#!/usr/bin/env python
"""CPU time of the lexicon recommender over a whole job (issue 16: 2,000 phrases over 10,000 documents of 5,000
characters in ≤ 15 s of job time). Pure by default: generated text, no database. The matcher is built once, as a
job builds it, and that build is counted.

    .venv/bin/python bench/recommender_bench.py [--quick] [--regex] [--worker] [--database-url URL] [--out FILE]

--regex also times a single compiled alternation regex of the same phrases (what the matcher does not use) over
a tenth of the documents, scaled up.

--worker also runs the same job for real: the documents stored in a fresh database (SQLite in a temporary data
dir, or the PostgreSQL database --database-url names, created and dropped: its name must contain "bench"), the
recommender configured and run through the services, and `manage.py db_worker --batch` doing the job; it reports
the job's own time (started_at to finished_at: matching, writing every suggestion with its document's progress
and audit event, one transaction per document) and the worker process's wall time, start-up included.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.recommenders.lexicon import Lexicon  # noqa: E402

TARGET_S = 15.0


def vocabulary(rng, size=6000):
    """Invented words (Latin letters with some accents and a few Cyrillic ones), news-like in their lengths."""
    letters = "abcdefghijklmnopqrstuvwxyzéöü"
    cyrillic = "абвгдежзиклмнопрстуфхцчшы"
    words = set()
    while len(words) < size:
        alphabet = cyrillic if rng.random() < 0.1 else letters
        words.add("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 10))))
    return sorted(words)


def document(rng, words, length):
    parts, size = [], 0
    while size < length:
        word = rng.choice(words)
        if rng.random() < 0.08:
            word = word.capitalize()
        tail = rng.choice([" ", " ", " ", " ", " ", ", ", ". ", "\n"])
        parts.append(word + tail)
        size += len(word) + len(tail)
    return "".join(parts)[:length]


def entries(rng, words, count, labels=8):
    """`count` phrases of one to three words from the vocabulary, so they do occur in the documents."""
    chosen = set()
    while len(chosen) < count:
        chosen.add(" ".join(rng.choice(words) for _ in range(rng.choice([1, 1, 2, 3]))))
    return [{"label": 1 + i % labels, "phrase": phrase} for i, phrase in enumerate(sorted(chosen))]


def worker_job(config, texts, database_url=None):
    """The job run by a real worker on a fresh database: {job_s, worker_wall_s, suggestions, status, errors}."""
    data_dir = Path(tempfile.mkdtemp(prefix="slant-recommender-bench-"))
    env = {**os.environ, "SLANT_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "project.settings"}
    env.pop("DATABASE_URL", None)
    database = None
    if database_url:
        sys.path.insert(0, str(ROOT / "bench"))
        from api_bench import PostgresDatabase

        database = PostgresDatabase(database_url)
        database.create()
        env["DATABASE_URL"] = database_url
    python = [sys.executable, str(ROOT / "manage.py")]
    try:
        subprocess.run([*python, "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603 (our manage.py)
        os.environ.update({key: env[key] for key in ("SLANT_DATA_DIR", "DJANGO_SETTINGS_MODULE")})
        if database_url:
            os.environ["DATABASE_URL"] = database_url
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.db import connections

        from annotator.access import access_project
        from annotator.models import Job, Suggestion
        from annotator.services.documents import document_create_many
        from annotator.services.labels import label_create
        from annotator.services.projects import project_create
        from annotator.services.recommenders import recommender_create, recommender_run
        from annotator.tasks import run_recommender_job

        owner = get_user_model().objects.create_user("bench-owner")
        project = project_create(user=owner, name="Recommender bench")
        member = access_project(owner, project.pk)
        labels = {n: label_create(member=member, name=f"Label {n}").pk for n in {e["label"] for e in config["entries"]}}
        for first in range(0, len(texts), 500):
            chunk = texts[first : first + 500]
            document_create_many(
                member=member, items=[{"text": text, "external_id": f"b{first + i}"} for i, text in enumerate(chunk)]
            )
        entries = [{"label": labels[e["label"]], "phrase": e["phrase"]} for e in config["entries"]]
        recommender = recommender_create(member=member, name="bench", kind="lexicon", config={"entries": entries})
        job = recommender_run(
            member=member, recommender=recommender, enqueue=lambda job_id: run_recommender_job.enqueue(job_id).id
        )
        connections.close_all()
        started = time.monotonic()
        worker = [*python, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"]
        subprocess.run(worker, env=env, cwd=ROOT, check=True)  # noqa: S603 (our manage.py)
        wall = time.monotonic() - started
        job = Job.objects.get(pk=job.pk)
        return {
            "job_s": round((job.finished_at - job.started_at).total_seconds(), 2),
            "worker_wall_s": round(wall, 2),
            "suggestions": Suggestion.objects.count(),
            "status": job.status,
            "errors": len(job.errors),
            "database": connections["default"].vendor,
        }
    finally:
        from django.db import connections

        connections.close_all()
        if database is not None:
            database.drop()
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 documents instead of 10,000")
    parser.add_argument("--regex", action="store_true", help="also time one alternation regex, for comparison")
    parser.add_argument("--worker", action="store_true", help="also run the job through a real db_worker")
    parser.add_argument("--database-url", help="with --worker: postgres://…/slant_recbench (created, dropped)")
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)
    rng = random.Random(16)
    words = vocabulary(rng)
    phrases, count, length = 2000, 1000 if args.quick else 10_000, 5000
    config = {"entries": entries(rng, words, phrases), "case_sensitive": False}
    documents = [document(rng, words, length) for _ in range(count)]

    started = time.process_time()
    lexicon = Lexicon(config)
    built = time.process_time() - started
    suggestions = sum(len(lexicon.suggest(text)) for text in documents)
    job = time.process_time() - started

    report = {
        "bench": "recommender",
        "config": {"phrases": phrases, "documents": count, "characters": length, "quick": args.quick},
        "results": {"lexicon_job_s": round(job, 2), "build_s": round(built, 3), "suggestions": suggestions},
        "targets": {"lexicon_job_s": TARGET_S},
    }
    if args.regex:
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(e["phrase"]) for e in config["entries"]) + r")(?!\w)", re.IGNORECASE
        )
        sample = documents[: max(1, count // 10)]
        started = time.process_time()
        for text in sample:
            list(pattern.finditer(text))
        report["results"]["regex_job_s_scaled"] = round((time.process_time() - started) * count / len(sample), 2)
    if args.worker:
        run = worker_job(config, documents, args.database_url)
        report["results"].update({f"worker_{key}": value for key, value in run.items()})
        report["targets"]["worker_job_s"] = TARGET_S
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()

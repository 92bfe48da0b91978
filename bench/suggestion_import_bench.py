#!/usr/bin/env python
"""Time of an import of predictions as suggestions (POST …/imports/ with layer=suggestions, through the service the
endpoint calls): 2,000 invented articles of about 5,000 characters already in a project, a JSON Lines file giving
each 20 predicted spans (40,000 suggestions, scores and two sources), then the same file again (every suggestion
skipped), then a Label Studio export of the same predictions into a fresh project. Figures are wall seconds of
each import in this process, on a fresh SQLite database in a temp dir or on --database-url.

    .venv/bin/python bench/suggestion_import_bench.py [--quick] [--database-url postgres://…/slant_sugg_bench]
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(database_url):
    data_dir = tempfile.mkdtemp(prefix="slant-sugg-bench-")
    os.environ["SLANT_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    return data_dir


WORDS = ("minister", "harbour", "council", "strike", "talks", "vote", "envoy", "reporters", "statement", "residents",
         "ferry", "ceasefire", "union", "spokesman", "markets", "according", "said", "told", "warned", "denied")


def article(rng, number, length=5000):
    parts, size = [f"Report {number}: 👍🏽 the {rng.choice(WORDS)} story."], 30
    while size < length:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize() + ". "
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:length]


def predicted(rng, text, labels, count=20):
    spans = []
    for index in range(count):
        start = rng.randrange(0, len(text) - 40)
        spans.append({"start": start, "end": start + rng.randint(5, 40), "label": labels[index % len(labels)],
                      "score": round(rng.random(), 3), "source": "bench-model:v1" if index % 2 else "bench-model:v2"})
    return spans  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 documents instead of 2,000")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (flushed first)")
    args = parser.parse_args(argv)
    data_dir = setup(args.database_url)
    try:
        report = run(200 if args.quick else 2000)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(report, indent=2))


def add_documents(member, texts):
    """The articles `texts` in the member's project, external ids b-0, b-1 …, 500 at a time."""
    from annotator.services.documents import document_create_many

    for start in range(0, len(texts), 500):
        items = [{"text": text, "external_id": f"b-{start + i}"} for i, text in enumerate(texts[start : start + 500])]
        document_create_many(member=member, items=items)


def run(count):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotator.access import access_project
    from annotator.services.projects import project_create
    from annotator.services.suggestion_imports import suggestion_import_file

    rng = random.Random(16)
    owner = get_user_model().objects.create_user("bench-owner", password="unused-bench-password")  # noqa: S106
    project = project_create(user=owner, name="Suggestion import bench", label_preset="framing")
    member = access_project(owner, project.pk)
    labels = list(project.labels.order_by("id").values_list("name", flat=True))
    texts = [article(rng, number) for number in range(count)]
    add_documents(member, texts)
    lines = [{"external_id": f"b-{i}", "text": text, "spans": predicted(rng, text, labels)}
             for i, text in enumerate(texts)]  # fmt: skip
    content = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()

    def timed(**kwargs):
        started = time.perf_counter()
        counts = suggestion_import_file(member=member, **kwargs)
        return round(time.perf_counter() - started, 2), counts

    first_s, first = timed(data=content, format="jsonl", filename="bench.jsonl")
    again_s, again = timed(data=content, format="jsonl", filename="bench.jsonl")

    fresh = project_create(user=owner, name="Suggestion import bench, Label Studio", label_preset="framing")
    fresh_member = access_project(owner, fresh.pk)
    add_documents(fresh_member, texts)
    tasks = [{"id": i, "data": {"text": line["text"], "external_id": line["external_id"]}, "predictions": [
        {"model_version": "bench-ls", "score": 0.5, "result": [
            {"from_name": "label", "to_name": "text", "type": "labels", "score": span["score"],
             "value": {"start": span["start"], "end": span["end"], "labels": [span["label"]]}}
            for span in line["spans"]]}]} for i, line in enumerate(lines)]  # fmt: skip
    ls_content = json.dumps(tasks, ensure_ascii=False).encode()
    started = time.perf_counter()
    ls_counts = suggestion_import_file(member=fresh_member, data=ls_content, format="labelstudio", filename="ls.json")
    ls_s = round(time.perf_counter() - started, 2)

    return {
        "bench": "suggestion_import",
        "database": connection.vendor,
        "config": {"documents": count, "predictions_per_document": 20, "jsonl_mb": round(len(content) / 2**20, 1),
                   "labelstudio_mb": round(len(ls_content) / 2**20, 1)},  # fmt: skip
        "results": {
            "jsonl_first_import_s": first_s,
            "jsonl_first_counts": first,
            "jsonl_reimport_s": again_s,
            "jsonl_reimport_counts": again,
            "labelstudio_import_s": ls_s,
            "labelstudio_counts": ls_counts,
            "suggestions_per_s": round(first["suggestions"]["stored"] / first_s) if first_s else None,
        },
    }


if __name__ == "__main__":
    main()

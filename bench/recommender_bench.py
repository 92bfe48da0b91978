#!/usr/bin/env python
"""CPU time of the lexicon recommender over a whole job (issue 16: 2,000 phrases over 10,000 documents of 5,000
characters in ≤ 15 s of job time; matching is part of it, the database writes come later). Pure: generated text,
no database. The matcher is built once, as a job builds it, and that build is counted.

    .venv/bin/python bench/recommender_bench.py [--quick] [--regex] [--out FILE]

--regex also times a single compiled alternation regex of the same phrases (what the matcher does not use) over
a tenth of the documents, scaled up.
"""

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 documents instead of 10,000")
    parser.add_argument("--regex", action="store_true", help="also time one alternation regex, for comparison")
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
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()

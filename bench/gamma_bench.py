#!/usr/bin/env python
"""CPU time of annotator.metrics.gamma per document (issue 18: does γ fit in a request, or must it run in a job and
be cached per document?). In process, no database.

A realistic document: 2 or 3 annotators × 20 spans of 5 labels over 5,000 characters, the annotators mostly
agreeing (each keeps a shared span, sometimes with its ends moved by a few characters or another label, drops
one in ten, adds their own). For each annotator count, --documents such documents: γ overall and per label
(document_gamma: 1 + 5 continua), and γ overall alone; p50, p90 and the worst document, and the total.

    .venv/bin/python bench/gamma_bench.py                  # 1,000 documents of each kind
    .venv/bin/python bench/gamma_bench.py --documents 100
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.metrics.gamma import continuum_gamma, document_gamma, units_of  # noqa: E402

LABELS = ["Actor", "Claim", "Cue", "Quote", "Source"]


def drawn(rng, annotators, spans=20, length=5000):
    """Annotators (names) who mostly agree on `spans` spans of 5 labels over `length` characters: each keeps a span
    (sometimes with its ends moved or another label), drops it, or adds one of their own. Also the realistic
    continua of bench/gamma_reference.py, whose pygamma figures the tests compare with."""
    truth = []
    for _ in range(spans):
        start = rng.randrange(length - 80)
        truth.append((rng.choice(LABELS), start, start + rng.randint(5, 80)))
    result = {}
    for annotator in annotators:
        kept = []
        for label, start, end in truth:
            roll = rng.random()
            if roll < 0.1:
                continue
            if roll < 0.3:
                start, end = max(0, start + rng.randint(-6, 6)), end + rng.randint(-6, 6)
                end = max(end, start + 1)
            if rng.random() < 0.1:
                label = rng.choice(LABELS)
            kept.append((label, start, end))
        while len(kept) < spans:
            start = rng.randrange(length - 80)
            kept.append((rng.choice(LABELS), start, start + rng.randint(5, 80)))
        result[annotator] = kept
    return result


def document(rng, annotators, spans=20, length=5000):
    return drawn(rng, [f"annotator{n}" for n in range(annotators)], spans, length)


def percentile(sorted_values, share):
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def timed(function, documents):
    times = []
    for by_annotator in documents:
        started = time.process_time()
        function(by_annotator)
        times.append((time.process_time() - started) * 1000)
    times.sort()
    return (
        f"p50 {percentile(times, 0.5):.1f} ms, p90 {percentile(times, 0.9):.1f} ms, worst {times[-1]:.0f} ms, "
        f"total {sum(times) / 1000:.1f} s CPU"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    for annotators in (2, 3):
        rng = random.Random(annotators)
        documents = [document(rng, annotators) for _ in range(args.documents)]
        print(f"{annotators} annotators × 20 spans, {args.documents} documents:")
        print(f"  overall and 5 labels: {timed(document_gamma, documents)}")
        print(f"  overall only:         {timed(lambda d: continuum_gamma(units_of(d)), documents)}", flush=True)

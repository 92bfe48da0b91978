#!/usr/bin/env python
"""CPU time of annotator.metrics.gamma per document (issue 18: does γ fit in a request, or must it run in a job and
be cached per document?). In process, no database.

A realistic document: 2 or 3 annotators × 20 spans of 5 labels over 5,000 characters, the annotators mostly
agreeing (each keeps a shared span, sometimes with its ends moved by a few characters or another label, drops
one in ten, adds their own). For each annotator count, --documents such documents: γ overall and per label
(document_gamma: 1 + 5 continua), and γ overall alone; p50, p90 and the worst document, and the total. Also
2 annotators × 10 spans: the background refresh's usual document.

With --against a git revision, its annotator/metrics/gamma.py is timed too, on the same documents, just before
this tree's (the machine is shared: only figures taken back to back compare).

    .venv/bin/python bench/gamma_bench.py                  # 1,000 documents of each kind
    .venv/bin/python bench/gamma_bench.py --documents 100 --against main
"""

import argparse
import importlib.util
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.metrics import gamma  # noqa: E402

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


def revision(name):
    """annotator/metrics/gamma.py as it is at git revision `name`, as a module."""
    source = subprocess.run(  # noqa: S603 (a revision named on our own command line)
        ["git", "show", f"{name}:annotator/metrics/gamma.py"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(f"gamma_{name}", loader=None))
    sys.modules[module.__name__] = module  # for its dataclass
    exec(compile(source, f"{name}:annotator/metrics/gamma.py", "exec"), module.__dict__)  # noqa: S102
    return module


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--against", help="a git revision whose gamma.py to time first (e.g. main)")
    args = parser.parse_args()
    versions = ([(args.against, revision(args.against))] if args.against else []) + [("this tree", gamma)]
    width = max(len(name) for name, _ in versions)
    for annotators, spans in ((2, 20), (2, 10), (3, 20)):
        rng = random.Random(annotators * 100 + spans)
        documents = [document(rng, annotators, spans) for _ in range(args.documents)]
        print(f"{annotators} annotators × {spans} spans, {args.documents} documents:")
        for name, module in versions:
            print(f"  {name:{width}}  overall and 5 labels: {timed(module.document_gamma, documents)}", flush=True)
        for name, module in versions:
            overall = timed(lambda d, m=module: m.continuum_gamma(m.units_of(d)), documents)
            print(f"  {name:{width}}  overall only:         {overall}", flush=True)

#!/usr/bin/env python
"""CPU time of annotator.metrics.relations on one document with 1,000 relations per annotator (issue 14: well under
a second). Best of five, in process; no database.

1. realistic: a cue joined to a source or content within 150 characters of a 50,000-character article; the other
   annotator keeps 70% of them and widens the rest's to end by a few characters;
2. dense, the worst case: every relation from one cue to one of 1,000 mutually overlapping sources, so each of A's
   relations matches each of B's (a million candidate pairs).

    .venv/bin/python bench/relations_metric_bench.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.metrics.relations import End, Relation, relation_f1  # noqa: E402

RELATIONS = 1000


def realistic(rng):
    a = []
    for _ in range(RELATIONS):
        cue = rng.randrange(49_800)
        kind = rng.choice(["source", "content"])
        start = max(0, cue + rng.randint(-150, 150))
        to_end = End(kind.capitalize(), start, start + rng.randint(5, 80))
        a.append(Relation(kind, End("Cue", cue, cue + rng.randint(3, 8)), to_end))
    b = [
        r if rng.random() < 0.7 else r._replace(to_end=End(r.to_end.label, r.to_end.start + 2, r.to_end.end + 3))
        for r in a
    ]
    rng.shuffle(b)
    return a, b


def dense():
    a = [Relation("source", End("Cue", 0, 4), End("Source", 10 + i % 50, 200 + i)) for i in range(RELATIONS)]
    return a, list(reversed(a))


def best_ms(a, b):
    times = []
    for _ in range(5):
        started = time.process_time()
        relation_f1(a, b)
        times.append((time.process_time() - started) * 1000)
    return min(times)


if __name__ == "__main__":
    for name, (a, b) in (("realistic", realistic(random.Random(0))), ("dense", dense())):
        print(f"{name}: {len(a)} x {len(b)} relations, F1 {relation_f1(a, b)}, {best_ms(a, b):.1f} ms CPU")

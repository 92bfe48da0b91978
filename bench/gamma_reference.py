#!/usr/bin/env python
"""Reference γ figures from pygamma-agreement 0.5.9 for tests/unit/test_metrics_gamma.py, stored in
tests/unit/golden/gamma_reference.json with the continua they were computed on.

pygamma is not one of Slant's dependencies (its install is ~800 MB: cvxpy, cvxopt, numba/llvmlite, pandas,
pyannote), so run this by hand in a throwaway venv when the cases or the package change:

    python3 -m venv /tmp/gamma-venv && /tmp/gamma-venv/bin/pip install pygamma-agreement==0.5.9
    /tmp/gamma-venv/bin/python bench/gamma_reference.py          # ~30 minutes of CPU

For each continuum (overall, and restricted to each label: Slant's per-label γ) it records pygamma's observed
disorder (its exact best alignment), γ with pygamma's defaults but its sampler drawn until γ is known to ±0.008
instead of 30 times (the figure pygamma's 30-sample runs scatter around), and the range of --runs runs with the
defaults as they are (seeds 0, 1, …), to show how far pygamma strays from itself. Where pygamma refuses a
continuum (fewer than two annotators, no units) the error is recorded instead.
"""

import argparse
import json
import logging
import math
import random
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from pyannote.core import Segment
from pygamma_agreement import CombinedCategoricalDissimilarity, Continuum, StatisticalContinuumSampler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gamma_bench import drawn  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "tests" / "unit" / "golden" / "gamma_reference.json"


def realistic(seed, annotators, spans=20, length=5000):
    """bench/gamma_bench.py's drawn continuum, from its own seed."""
    return drawn(random.Random(seed), annotators, spans, length)


CASES = {
    "two_overlapping": {
        "alice": [("X", 0, 10), ("Y", 20, 30)],
        "bob": [("X", 1, 10), ("X", 22, 35)],
    },
    "two_several_labels": {
        "alice": [("Source", 0, 6), ("Cue", 18, 22), ("Quote", 23, 60), ("Source", 70, 85), ("Cue", 90, 95)],
        "bob": [("Source", 0, 17), ("Cue", 18, 22), ("Quote", 25, 60), ("Actor", 70, 85), ("Claim", 120, 140)],
    },
    "two_nested_within_annotator": {
        "alice": [("Quote", 10, 60), ("Source", 12, 20), ("Cue", 21, 25)],
        "bob": [("Quote", 10, 58), ("Source", 12, 20), ("Source", 40, 45)],
    },
    "three_overlapping": {
        "alice": [("A", 0, 10), ("B", 12, 20), ("A", 30, 42)],
        "bob": [("A", 2, 11), ("B", 12, 22), ("B", 30, 40)],
        "carol": [("A", 0, 9), ("A", 14, 21), ("A", 31, 41), ("B", 50, 55)],
    },
    "three_one_empty": {
        "alice": [("A", 0, 10), ("B", 12, 20)],
        "bob": [("A", 1, 10), ("B", 12, 21)],
        "carol": [],
    },
    "four_small": {
        "alice": [("A", 0, 10), ("B", 20, 30)],
        "bob": [("A", 0, 12), ("B", 21, 30)],
        "carol": [("A", 1, 10), ("A", 20, 30)],
        "dave": [("A", 0, 10)],
    },
    "two_one_empty": {
        "alice": [("A", 0, 10), ("B", 20, 30), ("A", 40, 45)],
        "bob": [],
    },
    "two_identical": {
        "alice": [("A", 0, 10), ("B", 20, 30), ("A", 25, 40)],
        "bob": [("A", 0, 10), ("B", 20, 30), ("A", 25, 40)],
    },
    "three_identical": {
        "alice": [("A", 5, 10), ("B", 20, 30)],
        "bob": [("A", 5, 10), ("B", 20, 30)],
        "carol": [("A", 5, 10), ("B", 20, 30)],
    },
    "one_span_each_shifted": {"alice": [("A", 10, 20)], "bob": [("A", 12, 22)]},
    "one_span_each_other_label": {"alice": [("A", 10, 20)], "bob": [("B", 10, 20)]},
    "one_annotator": {"alice": [("A", 0, 10), ("B", 20, 30)]},
    "no_spans": {"alice": [], "bob": []},
    "realistic_two": realistic(1, ["alice", "bob"]),
    "realistic_three": realistic(2, ["alice", "bob", "carol"]),
}


def continuum(by_annotator, label=None):
    result = Continuum()
    for annotator, spans in by_annotator.items():
        result.add_annotator(annotator)
        for name, start, end in spans:
            if label is None or name == label:
                result.add(annotator, Segment(start, end), name)
    return result


def figures(by_annotator, label, args):
    """pygamma's figures for one continuum, or the error it raises. The expected disorder is compute_gamma's
    own (the mean best-alignment disorder of StatisticalContinuumSampler's continua), drawn until the 95% interval
    of γ is within ±--half-width (at least 30 continua and 2,000 units, at most --samples continua)."""
    dissimilarity = CombinedCategoricalDissimilarity()
    reference = continuum(by_annotator, label)
    try:
        observed = float(reference.get_best_alignment(dissimilarity).disorder)
        sampler = StatisticalContinuumSampler()
        sampler.init_sampling(reference)
    except AssertionError as error:
        return {"error": f"AssertionError: {error}".strip()}
    if observed == 0:
        gamma, half_width, disorders = 1.0, 0.0, []
    else:
        np.random.seed(0)
        # At least 2,000 units drawn too: 30 samples of a tiny continuum can all have the same disorder.
        disorders, wanted = [], max(30, math.ceil(2000 / reference.num_units))
        while len(disorders) < wanted:
            disorders.extend(
                float(sampler.sample_from_continuum.get_best_alignment(dissimilarity).disorder)
                for _ in range(wanted - len(disorders))
            )
            expected = float(np.mean(disorders))
            spread = observed / expected**2 * float(np.std(disorders))
            half_width = 1.96 * spread / len(disorders) ** 0.5
            wanted = min(args.samples, math.ceil((1.96 * spread / args.half_width) ** 2))
        gamma = 1 - observed / expected
    defaults = []
    for seed in range(args.runs):
        np.random.seed(seed)
        defaults.append(float(reference.compute_gamma().gamma))
    return {
        "observed": observed,
        "gamma": gamma,
        "half_width": half_width,
        "samples": len(disorders),
        "defaults": [min(defaults), max(defaults)],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=6000, help="most samples for a reference γ (6,000)")
    parser.add_argument("--half-width", type=float, default=0.008, help="95%% interval wanted for γ (±0.008)")
    parser.add_argument("--runs", type=int, default=3, help="runs with pygamma's defaults as they are (3)")
    parser.add_argument("--out", type=Path, default=OUT, help="the fixture to update")
    parser.add_argument("--only", nargs="*", help="these cases only (the file keeps the others)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # "CBC solver not installed. Using GLPK." for every alignment
    stored = json.loads(args.out.read_text()) if args.out.exists() else {"cases": {}}
    for name, by_annotator in CASES.items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        labels = sorted({span[0] for spans in by_annotator.values() for span in spans})
        stored["cases"][name] = {
            "annotations": {annotator: [list(span) for span in spans] for annotator, spans in by_annotator.items()},
            "overall": figures(by_annotator, None, args),
            "labels": {label: figures(by_annotator, label, args) for label in labels},
        }
        print(f"{name}: {stored['cases'][name]['overall']} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        stored["made_by"] = (
            f"bench/gamma_reference.py, pygamma-agreement {version('pygamma-agreement')}, --samples {args.samples} "
            f"--half-width {args.half_width} --runs {args.runs}"
        )
        stored["cases"] = dict(sorted(stored["cases"].items()))
        args.out.write_text(json.dumps(stored, indent=1) + "\n")  # after each case: a long run keeps its work


if __name__ == "__main__":
    main()

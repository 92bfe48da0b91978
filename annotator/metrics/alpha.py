"""Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"): agreement of any
number of coders on units, some values missing, as 1 - observed / expected disagreement over the coincidence
matrix. Equal to the `krippendorff` package's alpha (tests/unit/test_metrics.py checks both on random data)."""

from collections import Counter
from itertools import permutations


def _distance(level, counts):
    """δ(c, k) for a level of measurement; `counts` are the values' totals n_c (ordinal needs them)."""
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: float(c - k) ** 2
    if level == "ratio":
        return lambda c, k: ((c - k) / (c + k)) ** 2 if c + k else 0.0
    if level == "ordinal":
        ranked = sorted(counts)
        rank = {value: i for i, value in enumerate(ranked)}
        below = [0]  # below[i]: Σ n_g over the values ranked before i
        for value in ranked:
            below.append(below[-1] + counts[value])

        def ordinal(c, k):
            low, high = sorted((rank[c], rank[k]))
            return (below[high + 1] - below[low] - (counts[c] + counts[k]) / 2) ** 2

        return ordinal
    raise ValueError(f"Unknown level of measurement {level!r}.")


def krippendorff_alpha(data, level="nominal"):
    """Alpha of `data`: one row per coder, one column per unit, None for a missing value. Units with fewer
    than two values are not pairable and are left out. None when nothing varies (expected disagreement 0)."""
    return unit_alpha(([value for value in unit if value is not None] for unit in zip(*data, strict=True)), level)


def unit_alpha(units, level="nominal"):
    """Alpha of `units`, each the list of the values its coders gave (the missing ones left out): the same
    figure as krippendorff_alpha, for callers that hold their data unit by unit rather than coder by coder."""
    coincidences = Counter()
    for values in units:
        if len(values) < 2:
            continue
        for c, k in permutations(values, 2):
            coincidences[c, k] += 1 / (len(values) - 1)
    counts = Counter()
    for (c, _), o in coincidences.items():
        counts[c] += o
    n = sum(counts.values())
    delta = _distance(level, counts)
    observed = sum(o * delta(c, k) for (c, k), o in coincidences.items())
    expected = sum(counts[c] * counts[k] * delta(c, k) for c in counts for k in counts) / (n - 1) if n > 1 else 0
    if not expected:
        return None
    return 1 - observed / expected


def binary_alpha(units):
    """Nominal alpha of 0/1 values from a histogram: `units` maps (coders, ones) to how many units had that
    many coders of whom that many gave 1. The closed form of krippendorff_alpha for two values:
    1 - (n - 1) · Σ_u n0_u n1_u / (m_u - 1) / (n_0 · n_1). None when nothing varies."""
    ones = zeros = 0
    disagreement = 0.0
    for (coders, k), count in units.items():
        if coders < 2 or not count:
            continue
        ones += k * count
        zeros += (coders - k) * count
        disagreement += count * k * (coders - k) / (coders - 1)
    if not ones or not zeros:
        return None
    return 1 - (ones + zeros - 1) * disagreement / (ones * zeros)

"""Span F1 between two annotators A and B, each a list of (label, start, end) spans of one document."""

from collections import Counter
from dataclasses import dataclass


def merge(intervals):
    """The union of half-open (start, end) intervals as sorted, disjoint intervals (touching ones joined)."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def covered_share(spans, cover):
    """Σ over `spans` ((start, end) of one label, sorted) of the share of its characters that `cover` covers:
    the other annotator's spans of that label, merged (merge()).

    Each span earns at most 1, the share of its characters covered, so the other annotator's spans that
    overlap one another count once: where they don't, this is SPEC's Σ_a Σ_b |a∩b| / |a| exactly."""
    total = 0.0
    first = 0  # the first part of `cover` that ends after the current span starts; it only moves forward
    for start, end in spans:
        while first < len(cover) and cover[first][1] <= start:
            first += 1
        covered, i = 0, first
        while i < len(cover) and cover[i][0] < end:
            covered += min(end, cover[i][1]) - max(start, cover[i][0])
            i += 1
        total += covered / (end - start)
    return total


def exact_matches(a, b):
    """Spans of A and B with the same label, start and end, each span matched at most once."""
    distinct_a, distinct_b = set(a), set(b)
    if len(distinct_a) == len(a) and len(distinct_b) == len(b):  # no duplicates: the common case, and quicker
        return len(distinct_a & distinct_b)
    return sum((Counter(a) & Counter(b)).values())


@dataclass
class SpanTally:
    """The sums span F1 pools over documents and pairs (micro average): add comparisons, then read figures.

    `covered_a` is Σ over A's spans of the share of its characters B's spans of its label cover; `covered_b`
    the same for B. P = covered_a / |A|, R = covered_b / |B| (SemEval-2020 Task 11)."""

    matches: int = 0
    size_a: int = 0
    size_b: int = 0
    covered_a: float = 0.0
    covered_b: float = 0.0

    def add(self, a, b):
        """Add the comparison of A's and B's spans ((label, start, end)) of one document; returns self."""
        self.matches += exact_matches(a, b)
        self.size_a += len(a)
        self.size_b += len(b)
        for label in {span[0] for span in a} & {span[0] for span in b}:
            a_label = sorted((start, end) for lab, start, end in a if lab == label)
            b_label = sorted((start, end) for lab, start, end in b if lab == label)
            self.covered_a += covered_share(a_label, merge(b_label))
            self.covered_b += covered_share(b_label, merge(a_label))
        return self

    def __iadd__(self, other):
        self.matches += other.matches
        self.size_a += other.size_a
        self.size_b += other.size_b
        self.covered_a += other.covered_a
        self.covered_b += other.covered_b
        return self

    @property
    def f1_exact(self):
        """2·matches / (|A| + |B|); None when neither side has a span."""
        total = self.size_a + self.size_b
        return 2 * self.matches / total if total else None

    @property
    def precision(self):
        return self.covered_a / self.size_a if self.size_a else None

    @property
    def recall(self):
        return self.covered_b / self.size_b if self.size_b else None

    @property
    def f1_overlap(self):
        """2PR / (P + R); 0 when one side has spans and the other none; None when neither has any."""
        if not self.size_a and not self.size_b:
            return None
        if not self.size_a or not self.size_b:
            return 0.0
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def span_f1(a, b):
    """(exact F1, overlap P, overlap R, overlap F1) of A's and B's spans of one document (None where undefined)."""
    tally = SpanTally().add(a, b)
    return tally.f1_exact, tally.precision, tally.recall, tally.f1_overlap

"""Relation F1 between annotators (SPEC "Agreement", `relations`): exact and overlap, matches one-to-one.

A relation is Relation(type, from_end, to_end), an end being the span it points at as End(label, start, end)
(code point offsets, half-open). Two relations match when their types are equal and each end matches the same
end of the other: exactly (label, start and end equal) or, for overlap, with the same label and at least one
shared character. Each relation matches at most one of the other side's (a maximum bipartite matching, not a
greedy one), and F1 = 2·matches / (|A| + |B|).
"""

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple


class End(NamedTuple):
    """The span a relation points at: its label and its half-open code point range."""

    label: object
    start: int
    end: int


class Relation(NamedTuple):
    """A relation of `type` from one span to another; `from_end` and `to_end` are End (or (label, start, end))."""

    type: object
    from_end: End
    to_end: End


def overlaps(x, y):
    """Whether two ends have the same label and share a character ([0, 5) and [5, 9) share none)."""
    return x[0] == y[0] and x[1] < y[2] and y[1] < x[2]


def exact_matches(a, b):
    """How many of A's relations match one of B's exactly, one-to-one: equality is all-or-nothing, so the
    maximum matching pairs off equal relations (duplicates count as often as both sides have them)."""
    return sum((Counter(a) & Counter(b)).values())


def exact_holders(by_annotator):
    """For each annotator's relations (by position), how many annotators, that one included, have a relation equal
    to it: the same type and both ends exactly alike (exact_matches' notion). 1: nobody else drew it."""
    holders = Counter(relation for relations in by_annotator.values() for relation in set(relations))
    return {annotator: [holders[relation] for relation in relations] for annotator, relations in by_annotator.items()}


def overlap_candidates(a, b):
    """For each of A's relations (by position), the positions of B's it matches by overlap.

    B is indexed by (type, from label, to label) and, within that, sorted by the from end's start: a candidate
    starts before A's from end ends and after A's from start minus the longest from end of its group, so a
    document's thousand relations are compared with a handful each rather than with all of the other side's:
    2 ms CPU for 1,000 against 1,000, 60 ms where every one overlaps every other (bench/relations_metric_bench.py)."""
    groups = defaultdict(list)  # (type, from label, to label) -> [(from start, from end, to start, to end, j)]
    for j, (kind, (from_label, *from_range), (to_label, *to_range)) in enumerate(b):
        groups[kind, from_label, to_label].append((*from_range, *to_range, j))
    index = {}
    for key, rows in groups.items():
        rows.sort()
        index[key] = (rows, [row[0] for row in rows], max(row[1] - row[0] for row in rows))
    candidates = []
    for kind, (from_label, from_start, from_stop), (to_label, to_start, to_stop) in a:
        rows, starts, longest = index.get((kind, from_label, to_label), ((), (), 0))
        low, high = bisect_right(starts, from_start - longest), bisect_left(starts, from_stop)
        # The labels are the group's; what is left of overlaps() for both ends is comparing the ranges.
        candidates.append(
            [j for _, stop, start, end, j in rows[low:high] if stop > from_start and start < to_stop and end > to_start]
        )
    return candidates


def maximum_matching(candidates):
    """The size of a maximum matching in a bipartite graph given as, for each left vertex, the right vertices
    it may match (any hashable ids). Hopcroft–Karp after a greedy start: O(E·√V), iterative (no recursion)."""
    match_left = [None] * len(candidates)
    match_right = {}
    for u, options in enumerate(candidates):
        for v in options:
            if v not in match_right:
                match_left[u], match_right[v] = v, u
                break
    while True:
        # Layers of left vertices by the length of the shortest alternating path from a free one.
        free = [u for u, v in enumerate(match_left) if v is None and candidates[u]]
        depth = dict.fromkeys(free, 0)
        queue, reached_free_right = list(free), False
        for u in queue:
            for v in candidates[u]:
                w = match_right.get(v)
                if w is None:
                    reached_free_right = True
                elif w not in depth:
                    depth[w] = depth[u] + 1
                    queue.append(w)
        if not reached_free_right:
            return len(match_right)
        for root in free:
            _augment(root, candidates, depth, match_left, match_right)


def _augment(root, candidates, depth, match_left, match_right):
    """Look for an augmenting path from free left vertex `root` along the layers of `depth`; flip it if found."""
    stack, chosen = [(root, iter(candidates[root]))], []  # chosen[i]: the right vertex taken from stack[i]
    while stack:
        u, options = stack[-1]
        for v in options:
            w = match_right.get(v)
            if w is None:
                chosen.append(v)
                for (x, _), y in zip(stack, chosen, strict=True):
                    match_left[x], match_right[y] = y, x
                return True
            if depth.get(w) == depth[u] + 1:
                chosen.append(v)
                stack.append((w, iter(candidates[w])))
                break
        else:
            depth[u] = None  # a dead end: no other path of this phase goes through it
            stack.pop()
            if chosen:
                chosen.pop()
    return False


def overlap_matches(a, b):
    """How many of A's relations match one of B's by overlap, one-to-one (a maximum matching)."""
    return maximum_matching(overlap_candidates(a, b))


@dataclass
class RelationTally:
    """The sums relation F1 pools over documents and pairs (micro average): add comparisons, then read figures."""

    exact: int = 0
    overlap: int = 0
    size_a: int = 0
    size_b: int = 0

    def add(self, a, b):
        """Add the comparison of A's and B's relations of one document; returns self."""
        self.exact += exact_matches(a, b)
        self.overlap += overlap_matches(a, b)
        self.size_a += len(a)
        self.size_b += len(b)
        return self

    def __iadd__(self, other):
        self.exact += other.exact
        self.overlap += other.overlap
        self.size_a += other.size_a
        self.size_b += other.size_b
        return self

    def _f1(self, matches):
        total = self.size_a + self.size_b
        return 2 * matches / total if total else None

    @property
    def f1_exact(self):
        """2·exact matches / (|A| + |B|): 0 when one side has relations and the other none, None when neither has."""
        return self._f1(self.exact)

    @property
    def f1_overlap(self):
        """2·overlap matches / (|A| + |B|), with the same 0 and None."""
        return self._f1(self.overlap)


def relation_f1(a, b):
    """(exact F1, overlap F1) of A's and B's relations of one document (None where neither has any)."""
    tally = RelationTally().add(a, b)
    return tally.f1_exact, tally.f1_overlap


def relation_agreement(documents):
    """SPEC's `relations` figures over `documents`, each {annotator: [Relation, …]} with an entry, relations or
    none, for each of its annotators (one with fewer than two is not compared).

    Returns {"overall": {f1_exact, f1_overlap}, "types": [{type, f1_exact, f1_overlap}], "pairs": [{a, b,
    f1_exact, f1_overlap}]}: types in id order, those any compared annotator used; pairs (a < b) in order, those
    that shared a compared document. `overall` and each type pool every pair over every document, each pair its
    documents: matches and sizes are summed first, F1 taken last (micro average). None: nothing to rest on."""
    tallies = defaultdict(RelationTally)  # (pair, type) -> sums; matches never cross types, so these add up
    pairs = set()
    for annotations in documents:
        document_pairs, document_tallies = relation_tallies(annotations)
        pairs |= document_pairs
        for key, tally in document_tallies.items():
            tallies[key] += tally
    return relation_figures(pairs, tallies)


def relation_tallies(annotations):
    """One document's share of relation_agreement: (its pairs of annotators, {(pair, type): RelationTally}), both
    empty with fewer than two annotators. Integer sums: any documents' shares add up to relation_agreement's."""
    coders = sorted(annotations)
    if len(coders) < 2:
        return set(), {}
    grouped = {coder: defaultdict(list) for coder in coders}  # coder -> type -> relations
    for coder in coders:
        for relation in annotations[coder]:
            grouped[coder][relation[0]].append(relation)
    types = {kind for relations in grouped.values() for kind in relations}
    pairs, tallies = set(), {}
    for pair in combinations(coders, 2):
        pairs.add(pair)
        a, b = grouped[pair[0]], grouped[pair[1]]
        for kind in types:
            if kind in a or kind in b:
                tallies[pair, kind] = RelationTally().add(a.get(kind, ()), b.get(kind, ()))
    return pairs, tallies


def relation_figures(pairs, tallies):
    """relation_agreement's answer from pooled `tallies` {(pair, type): RelationTally} and the compared `pairs`."""
    by_type, by_pair, overall = defaultdict(RelationTally), {pair: RelationTally() for pair in pairs}, RelationTally()
    for (pair, kind), tally in tallies.items():
        by_type[kind] += tally
        by_pair[pair] += tally
        overall += tally
    return {
        "overall": _figures(overall),
        "types": [{"type": kind, **_figures(by_type[kind])} for kind in sorted(by_type)],
        "pairs": [{"a": a, "b": b, **_figures(by_pair[a, b])} for a, b in sorted(by_pair)],
    }


def _figures(tally):
    return {"f1_exact": tally.f1_exact, "f1_overlap": tally.f1_overlap}

"""γ (Mathet, Widlöcher and Métivier 2015, "The Unified and Holistic Method Gamma (γ) for Inter-Annotator Agreement
Measure and Alignment", Computational Linguistics 41(3)), as pygamma-agreement 0.5.9 computes it by default.

A continuum is {annotator: [(label, start, end), …]} (half-open offsets, one entry per compared annotator, spans or
none). γ = 1 − observed / expected disorder, 1 when the observed disorder is 0:

- a unit's dissimilarity to another is α·positional + β·categorical, positional = ((|Δstart| + |Δend|) /
  (length₁ + length₂))²·Δ∅, categorical = Δ∅ for different labels, 0 for the same (α = β = Δ∅ = 1);
- a unitary alignment takes at most one unit of each annotator; its disorder is the mean over all annotator pairs
  of the pair's dissimilarity, Δ∅ for a pair where either unit is missing;
- the observed disorder is the least, over partitions of the units into unitary alignments, of the sum of their
  disorders divided by the mean number of units per annotator: an assignment problem for two annotators
  (scipy's linear_sum_assignment), an integer program over the unitary alignments that could be optimal for more
  (scipy.optimize.milp, HiGHS) — both exact, as pygamma's integer program is;
- the expected disorder is the mean observed disorder of continua drawn like pygamma's default
  StatisticalContinuumSampler: per annotator a normal number of units, normal gaps and lengths, labels by their
  frequency, with the reference's means and standard deviations. pygamma draws 30 such continua, which moves γ
  of a small continuum by up to ±0.05 from run to run (0.49 to 0.58 over three seeds for 6 spans of 3 labels);
  here at least 30 (and 2,000 units) are drawn, and more (up to 20,000) until the 95% interval of γ is within
  ±0.01, from a fixed seed, so a figure is reproducible and within 0.02 of what pygamma's runs scatter around.
  Each round's continua are drawn at once (StatisticalSampler.draw: each quantity for all of them in one numpy
  call) and solved together (drawn_disorders: the same exact optima as best_disorder, in whole-array steps), some
  15 to 50 times cheaper than one by one (bench/gamma_bench.py --against main).

A label's γ is γ of the continuum restricted to that label's units, every compared annotator kept (pygamma's own
γ-k measures only the categorical part). None where pygamma fails: fewer than two annotators, no units, or an
expected disorder of 0.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp
from scipy.sparse import csc_array, csr_array
from scipy.sparse.csgraph import connected_components

ALPHA = 1.0  # weight of the positional dissimilarity (pygamma's CombinedCategoricalDissimilarity default)
BETA = 1.0  # weight of the categorical dissimilarity
DELTA_EMPTY = 1.0  # dissimilarity of a unit to a missing one
MIN_SAMPLES = 30  # pygamma's n_samples
# ... and at least this many units drawn: a tiny continuum's sampled disorders are mostly equal with rare lower ones,
# and 30 of them (one unit each) can show no spread at all and stop the drawing with γ 0.02 off.
MIN_UNITS = 2000
MAX_SAMPLES = 20_000  # bounds the work on tiny continua, whose γ swings most: ±0.0125 at worst seen
HALF_WIDTH = 0.01  # draw samples until the 95% interval of γ is this narrow (or MAX_SAMPLES are drawn)
SEED = 0
SEGMENT_PRECISION = 1e-6  # pyannote.core's: a sampled unit shorter than this is drawn again


def units_of(by_annotator, label=None):
    """The continuum as one (units, 3) array per annotator, in annotator order: start, end, label index (labels
    sorted); only `label`'s units if given. Duplicates within an annotator count once (pygamma keeps a set)."""
    labels = sorted({span[0] for spans in by_annotator.values() for span in spans if label is None or span[0] == label})
    index = {name: i for i, name in enumerate(labels)}
    arrays = []
    for annotator in sorted(by_annotator, key=str):
        rows = sorted({(start, end, index[name]) for name, start, end in by_annotator[annotator] if name in index})
        arrays.append(np.array(rows, dtype=float).reshape(-1, 3))
    return arrays


def dissimilarities(a, b):
    """The combined dissimilarity of each unit of `a` (rows) to each unit of `b` (columns)."""
    moves = np.abs(a[:, None, 0] - b[None, :, 0]) + np.abs(a[:, None, 1] - b[None, :, 1])
    lengths = (a[:, 1] - a[:, 0])[:, None] + (b[:, 1] - b[:, 0])[None, :]
    positional = (moves / lengths) ** 2 * DELTA_EMPTY
    categorical = (a[:, None, 2] != b[None, :, 2]) * DELTA_EMPTY
    return ALPHA * positional + BETA * categorical


def best_disorder(units):
    """The observed disorder of a continuum of two or more annotators with at least one unit."""
    annotators, total = len(units), sum(len(u) for u in units)
    cost = two_annotator_cost(*units) if annotators == 2 else alignment_cost(units)
    return cost * annotators / total


def two_annotator_cost(a, b):
    """The least sum of unitary disorders for two annotators. A pair costs its dissimilarity d, a lone unit Δ∅:
    starting from every unit alone, pairing two saves 2Δ∅ − d, so the best alignment is the assignment that saves
    most, pairs that would save nothing left alone."""
    alone = DELTA_EMPTY * (len(a) + len(b))
    if not len(a) or not len(b):
        return alone
    savings = np.minimum(dissimilarities(a, b) - 2 * DELTA_EMPTY, 0.0)
    rows, columns = linear_sum_assignment(savings)
    return alone + savings[rows, columns].sum()


def candidate_alignments(units):
    """The unitary alignments that may be in a best alignment, as (unit index per annotator, the annotator's
    unit count standing for "none"; their disorders). One of k units that costs more than those k units alone
    (k·Δ∅) never is, which bounds the sum of its pair dissimilarities by n·C(n, 2)·Δ∅ while it is built up
    annotator by annotator (pygamma's criterion, section 5.1.1 of the paper), and by k·C(n, 2)·Δ∅ less the
    missing pairs' Δ∅ once complete."""
    n = len(units)
    pairs = n * (n - 1) // 2
    sizes = np.array([len(u) for u in units])
    padded = {}  # (a, b): dissimilarities with a zero row and column for "none"
    for b in range(1, n):
        for a in range(b):
            matrix = np.zeros((sizes[a] + 1, sizes[b] + 1))
            matrix[: sizes[a], : sizes[b]] = dissimilarities(units[a], units[b])
            padded[a, b] = matrix
    chosen = np.arange(sizes[0] + 1)[:, None]
    sums = np.zeros(len(chosen))
    for b in range(1, n):
        grown = sums[:, None] + sum(padded[a, b][chosen[:, a]] for a in range(b))
        rows, columns = np.nonzero(grown <= n * pairs * DELTA_EMPTY)
        chosen, sums = np.column_stack([chosen[rows], columns]), grown[rows, columns]
    present = (chosen != sizes).sum(axis=1)
    disorders = (sums + (pairs - present * (present - 1) / 2) * DELTA_EMPTY) / pairs
    keep = (present >= 1) & (disorders <= present * DELTA_EMPTY + 1e-9)
    return chosen[keep], disorders[keep]


def alignment_cost(units):
    """The least sum of unitary disorders for any number of annotators: each unit in exactly one chosen unitary
    alignment. The units fall apart into groups no candidate alignment bridges (units far apart); each group is
    solved on its own, exactly: a lone unit is alone, a small group by search, a large one as a 0/1 integer
    program (HiGHS), whose ~5 ms set-up would otherwise dominate (bench/gamma_bench.py)."""
    chosen, disorders = candidate_alignments(units)
    sizes = np.array([len(u) for u in units])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    present = chosen != sizes
    ids = [(offsets[row] + chosen[i, row]).tolist() for i, row in enumerate(present)]  # each candidate's units
    parent = list(range(int(sizes.sum())))  # union-find: scipy's connected_components costs more on small ones

    def root(unit):
        while parent[unit] != unit:
            parent[unit] = unit = parent[parent[unit]]
        return unit

    for row in ids:
        for other in row[1:]:
            parent[root(other)] = root(row[0])
    groups = {}
    for candidate, row in enumerate(ids):
        groups.setdefault(root(row[0]), []).append(candidate)
    cost = 0.0
    for candidates in groups.values():
        if len(candidates) == 1:
            cost += disorders[candidates[0]]
        else:
            cost += exact_cover_cost([ids[c] for c in candidates], disorders[candidates])
    return cost


SEARCH_LIMIT = 12  # units in a group solved by search; larger groups go to HiGHS


def exact_cover_cost(candidates, costs):
    """The least total cost of candidates (arrays of unit ids) covering each of their units exactly once."""
    units = sorted({unit for row in candidates for unit in row})
    local = {unit: i for i, unit in enumerate(units)}
    if len(units) > SEARCH_LIMIT:
        rows = [local[unit] for row in candidates for unit in row]
        columns = [c for c, row in enumerate(candidates) for _ in row]
        matrix = csc_array((np.ones(len(rows)), (rows, columns)), shape=(len(units), len(candidates)))
        result = milp(
            costs,
            constraints=LinearConstraint(matrix, 1, 1),
            integrality=np.ones(len(costs)),
            bounds=Bounds(0, 1),
            options={"mip_rel_gap": 1e-9},
        )
        if result.x is None:
            raise RuntimeError(f"HiGHS found no alignment: {result.message}")
        return float(costs[result.x > 0.5].sum())
    masks = [sum(1 << local[unit] for unit in row) for row in candidates]
    by_unit = [[] for _ in units]
    share = [math.inf] * len(units)  # the least share of a candidate's cost one unit can carry: a lower bound
    for c in sorted(range(len(masks)), key=lambda c: costs[c]):
        for unit in range(len(units)):
            if masks[c] >> unit & 1:
                by_unit[unit].append(c)
                share[unit] = min(share[unit], costs[c] / masks[c].bit_count())
    full, best = (1 << len(units)) - 1, [math.inf]

    def search(covered, cost):
        if covered == full:
            best[0] = min(best[0], cost)
            return
        rest = full & ~covered
        if cost + sum(share[u] for u in range(len(units)) if rest >> u & 1) >= best[0] - 1e-12:
            return
        first = (rest & -rest).bit_length() - 1
        for c in by_unit[first]:
            if not masks[c] & covered:
                search(covered | masks[c], cost + costs[c])

    search(0, 0.0)
    return float(best[0])


class StatisticalSampler:
    """pygamma's StatisticalContinuumSampler: continua like the reference in number of units per annotator, gap
    between an annotator's consecutive units (and before the first, if positive), unit length and label share."""

    def __init__(self, units):
        counts = [len(u) for u in units]
        gaps = [0.0]
        for u in units:
            if len(u):
                gaps.extend(u[1:, 0] - u[:-1, 1])
                if u[0, 0] > 0:
                    gaps.append(u[0, 0])
        everything = np.concatenate(units)
        lengths = everything[:, 1] - everything[:, 0]
        self.annotators = len(units)
        self.count = (np.mean(counts), np.std(counts))
        self.gap = (np.mean(gaps), np.std(gaps))
        self.length = (np.mean(lengths), np.std(lengths))
        self.label_shares = np.bincount(everything[:, 2].astype(int)) / len(everything)

    def draw(self, rng, samples):
        """`samples` random continua at once, as a Drawn; none is empty (the first annotator gets one unit at
        least). Each unit is drawn as pygamma draws it, all of a kind in one call: counts, gaps, lengths (again
        while shorter than SEGMENT_PRECISION), labels."""
        counts = np.abs(np.trunc(rng.normal(*self.count, size=(samples, self.annotators)))).astype(int)
        counts[:, 0] = np.maximum(counts[:, 0], 1)
        valid = np.arange(counts.max()) < counts[..., None]  # (samples, annotators, most units)
        total = int(counts.sum())
        gaps = rng.normal(*self.gap, size=total)
        lengths = np.abs(rng.normal(*self.length, size=total))
        while (short := lengths < SEGMENT_PRECISION).any():
            lengths[short] = np.abs(rng.normal(*self.length, size=short.sum()))
        labels = rng.choice(len(self.label_shares), size=total, p=self.label_shares)
        steps, lengths_padded = np.zeros(valid.shape), np.ones(valid.shape)
        steps[valid], lengths_padded[valid] = gaps + lengths, lengths
        ends = np.cumsum(steps, axis=2)  # each annotator's units one after the other, as pygamma places them
        padded_labels = np.full(valid.shape, -1)
        padded_labels[valid] = labels
        return Drawn(counts, valid, ends - lengths_padded, ends, padded_labels)

    def sample(self, rng):
        """One random continuum, as units_of() gives it."""
        return self.draw(rng, 1).continua()[0]


@dataclass(frozen=True)
class Drawn:
    """Sampled continua padded to one shape (samples, annotators, most units): counts (samples, annotators), which
    places hold a unit, and each unit's start, end and label index (padding: a unit of length 1 and label -1)."""

    counts: np.ndarray
    valid: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    labels: np.ndarray

    def continua(self):
        """Each sampled continuum as units_of() gives it (in drawing order, not sorted)."""
        return [
            [
                np.column_stack([self.starts[s, a, :n], self.ends[s, a, :n], self.labels[s, a, :n]]).astype(float)
                for a, n in enumerate(row)
            ]
            for s, row in enumerate(self.counts)
        ]

    def part(self, rows):
        """The continua `rows` (a slice or indices), padded to their own most units."""
        most = max(1, int(self.counts[rows].max()))
        return Drawn(
            *(
                array[rows][..., :most] if array.ndim == 3 else array[rows]
                for array in (self.counts, self.valid, self.starts, self.ends, self.labels)
            )
        )


CHUNK = 1_000_000  # dissimilarities computed at once when solving sampled continua: bounds the memory


def drawn_disorders(drawn):
    """best_disorder() of each continuum of a Drawn, solved together: the same exact optima, in a few numpy calls
    for all of them and a solver call only where units compete."""
    samples, annotators, most = drawn.valid.shape
    per_chunk = max(1, CHUNK // (most + 1) ** annotators)  # bounds the candidate alignments grown at once too
    if samples > per_chunk:
        return np.concatenate(
            [drawn_disorders(drawn.part(slice(i, i + per_chunk))) for i in range(0, samples, per_chunk)]
        )
    cost = two_annotator_costs(drawn) if annotators == 2 else alignment_costs(drawn)
    return cost * annotators / drawn.counts.sum(axis=1)


def pair_dissimilarities(drawn, a, b):
    """dissimilarities() of annotator a's units to b's in each sampled continuum: (samples, units of a, of b)."""
    moves = np.abs(drawn.starts[:, a, :, None] - drawn.starts[:, b, None, :])
    moves += np.abs(drawn.ends[:, a, :, None] - drawn.ends[:, b, None, :])
    length_a, length_b = drawn.ends[:, a] - drawn.starts[:, a], drawn.ends[:, b] - drawn.starts[:, b]
    positional = (moves / (length_a[:, :, None] + length_b[:, None, :])) ** 2 * DELTA_EMPTY
    categorical = (drawn.labels[:, a, :, None] != drawn.labels[:, b, None, :]) * DELTA_EMPTY
    return ALPHA * positional + BETA * categorical


def two_annotator_costs(drawn):
    """two_annotator_cost() of each two-annotator continuum of a Drawn. Where no unit could save by pairing with
    two others (most sampled continua: their units are scattered), the best assignment takes every saving pair;
    elsewhere linear_sum_assignment decides as for one continuum."""
    savings = np.minimum(pair_dissimilarities(drawn, 0, 1) - 2 * DELTA_EMPTY, 0.0)
    savings[~(drawn.valid[:, 0, :, None] & drawn.valid[:, 1, None, :])] = 0.0
    saving = savings < 0
    contested = (saving.sum(axis=2) > 1).any(axis=1) | (saving.sum(axis=1) > 1).any(axis=1)
    saved = savings.sum(axis=(1, 2))
    for s in np.flatnonzero(contested):
        rows, columns = linear_sum_assignment(savings[s])
        saved[s] = savings[s][rows, columns].sum()
    return DELTA_EMPTY * drawn.counts.sum(axis=1) + saved


def alignment_costs(drawn):
    """alignment_cost() of each continuum of a Drawn: the candidate unitary alignments of all continua grown
    together (candidate_alignments' bound), split into groups no candidate bridges, each group's exact cover by
    covering_costs()."""
    samples, annotators, most = drawn.valid.shape
    pairs = annotators * (annotators - 1) // 2
    none = most  # the index standing for "no unit of this annotator"
    padded = {}
    for b in range(1, annotators):
        for a in range(b):
            matrix = np.zeros((samples, most + 1, most + 1))
            matrix[:, :most, :most] = pair_dissimilarities(drawn, a, b)
            padded[a, b] = matrix
    choices = np.arange(most + 1)
    allowed = (choices < drawn.counts[..., None]) | (choices == none)  # (samples, annotators, most + 1)
    sample, first = np.nonzero(allowed[:, 0])
    chosen, sums = first[:, None], np.zeros(len(first))
    for b in range(1, annotators):
        grown = sums[:, None] + sum(padded[a, b][sample, chosen[:, a]] for a in range(b))
        rows, columns = np.nonzero(allowed[sample, b] & (grown <= annotators * pairs * DELTA_EMPTY))
        sample, chosen, sums = sample[rows], np.column_stack([chosen[rows], columns]), grown[rows, columns]
    present = chosen != none
    count = present.sum(axis=1)
    disorders = (sums + (pairs - count * (count - 1) / 2) * DELTA_EMPTY) / pairs
    keep = (count >= 1) & (disorders <= count * DELTA_EMPTY + 1e-9)
    sample, chosen, present, count, disorders = sample[keep], chosen[keep], present[keep], count[keep], disorders[keep]
    ids = (sample[:, None] * annotators + np.arange(annotators)) * most + np.minimum(chosen, most - 1)
    lead = ids[np.arange(len(ids)), present.argmax(axis=1)]  # each candidate's first unit
    units = samples * annotators * most
    linking = count >= 2  # a lone unit's candidate joins nothing
    ends = ids[linking][present[linking]]
    links = csr_array((np.ones(len(ends)), (np.repeat(lead[linking], count[linking]), ends)), shape=(units, units))
    groups, group = connected_components(links, directed=False)
    group_sample = np.empty(groups, dtype=int)
    group_sample[group] = np.repeat(np.arange(samples), annotators * most)
    cost = covering_costs(groups, group, drawn, ids, present, disorders, group[lead])
    return np.bincount(group_sample, weights=cost, minlength=samples)


COVER_LIMIT = 24  # units in a group whose cover covering_costs() searches; larger ones go to exact_cover_cost()


def covering_costs(groups, group, drawn, ids, present, costs, candidate_group):
    """exact_cover_cost() of every group at once: the least cost of covering each of the group's units exactly
    once by candidates (their unit ids `ids` where `present`). Units are numbered within their group from left to
    right and covers grown a candidate at a time, always with one holding the group's first uncovered unit, the
    cheapest way to each covered set kept: a dynamic programme over the sets reachable, few as units are local."""
    unit_ids = np.flatnonzero(drawn.valid.reshape(-1))
    unit_group = group[unit_ids]
    order = np.lexsort((drawn.starts.reshape(-1)[unit_ids], unit_group))
    local = np.zeros(group.size, dtype=np.int64)
    ranked = unit_group[order]
    local[unit_ids[order]] = np.arange(len(order)) - np.searchsorted(ranked, ranked)
    size = np.bincount(unit_group, minlength=groups)
    masks = np.where(present, np.left_shift(1, local[ids]), 0).sum(axis=1)
    cost = np.zeros(groups)  # 0 for a group of padding, with no candidate
    cost[candidate_group] = np.inf
    alone = size[candidate_group] == 1  # a group of one unit, whose only candidate is that unit alone
    cost[candidate_group[alone]] = costs[alone]
    large = size[candidate_group] > COVER_LIMIT
    if large.any():
        members = np.flatnonzero(large)
        members = members[np.argsort(candidate_group[members], kind="stable")]
        starts = np.flatnonzero(np.diff(candidate_group[members], prepend=-1))
        for chunk in np.split(members, starts[1:]):
            cost[candidate_group[chunk[0]]] = exact_cover_cost(
                [ids[c][present[c]].tolist() for c in chunk], costs[chunk]
            )
    searched = ~alone & ~large
    masks, costs, candidate_group = masks[searched], costs[searched], candidate_group[searched]
    key = candidate_group * 64 + lowest_bit(masks)
    by_key = np.argsort(key, kind="stable")
    key, masks, costs = key[by_key], masks[by_key], costs[by_key]
    full = np.left_shift(np.int64(1), size) - 1
    state_group = np.unique(candidate_group)
    state_mask, state_cost = np.zeros(len(state_group), dtype=np.int64), np.zeros(len(state_group))
    while len(state_group):
        done = state_mask == full[state_group]
        np.minimum.at(cost, state_group[done], state_cost[done])
        state_group, state_mask, state_cost = state_group[~done], state_mask[~done], state_cost[~done]
        wanted = state_group * 64 + lowest_bit(full[state_group] & ~state_mask)
        low, high = np.searchsorted(key, wanted, "left"), np.searchsorted(key, wanted, "right")
        state = np.repeat(np.arange(len(wanted)), high - low)
        candidate = np.arange(len(state)) - np.repeat(np.cumsum(high - low) - (high - low), high - low)
        candidate += low[state]
        fits = (state_mask[state] & masks[candidate]) == 0
        state, candidate = state[fits], candidate[fits]
        state_group, state_mask = state_group[state], state_mask[state] | masks[candidate]
        state_cost = state_cost[state] + costs[candidate]
        order = np.lexsort((state_cost, state_mask, state_group))  # the cheapest way to each covered set first
        first = np.ones(len(order), dtype=bool)
        first[1:] = (np.diff(state_group[order]) != 0) | (np.diff(state_mask[order]) != 0)
        keep = order[first]
        state_group, state_mask, state_cost = state_group[keep], state_mask[keep], state_cost[keep]
    return cost


def lowest_bit(values):
    """The index of each (positive) value's lowest set bit."""
    return np.frexp((values & -values).astype(float))[1] - 1


def continuum_gamma(units, *, seed=SEED):
    """γ of a continuum given as units_of() gives it; None with fewer than two annotators, no units, or an
    expected disorder of 0 (pygamma raises or divides by zero there)."""
    if len(units) < 2 or not any(len(u) for u in units):
        return None
    observed = best_disorder(units)
    if observed == 0:
        return 1.0
    sampler, rng = StatisticalSampler(units), np.random.default_rng(seed)
    disorders, wanted = np.empty(0), max(MIN_SAMPLES, math.ceil(MIN_UNITS / sum(len(u) for u in units)))
    while True:
        disorders = np.concatenate([disorders, drawn_disorders(sampler.draw(rng, wanted - len(disorders)))])
        expected = float(np.mean(disorders))
        if expected == 0:
            return None
        # γ's standard error, from that of the mean of the samples' disorders (the delta method).
        spread = observed / expected**2 * float(np.std(disorders))
        wanted = min(MAX_SAMPLES, math.ceil((1.96 * spread / HALF_WIDTH) ** 2))
        if wanted <= len(disorders):
            return 1 - observed / expected


@dataclass(frozen=True)
class DocumentGamma:
    """A document's γ over all its units and per label, and the spans each rests on (the pooling weights)."""

    overall: float | None
    spans: int
    labels: dict = field(default_factory=dict)  # label -> (γ or None, spans)


def document_gamma(by_annotator, *, seed=SEED):
    """γ of one document {annotator: [(label, start, end), …]}, one entry per compared annotator (spans or none):
    overall and for each label any annotator used."""
    labels = sorted({span[0] for spans in by_annotator.values() for span in spans})
    per_label = {}
    for label in labels:
        units = units_of(by_annotator, label)
        per_label[label] = (continuum_gamma(units, seed=seed), sum(len(u) for u in units))
    units = units_of(by_annotator)
    return DocumentGamma(continuum_gamma(units, seed=seed), sum(len(u) for u in units), per_label)


def weighted_mean(figures):
    """The mean of (γ, spans) pairs weighted by spans, those with γ None left out; None when nothing is left."""
    figures = [(gamma, spans) for gamma, spans in figures if gamma is not None and spans > 0]
    weight = sum(spans for _, spans in figures)
    return sum(gamma * spans for gamma, spans in figures) / weight if weight else None


def pooled_gamma(documents):
    """The project's γ from DocumentGamma's: overall and per label, each the mean over documents weighted by their
    number of spans (of that label, for a label)."""
    documents = list(documents)
    labels = sorted({label for document in documents for label in document.labels})
    return (
        weighted_mean((document.overall, document.spans) for document in documents),
        {label: weighted_mean(d.labels[label] for d in documents if label in d.labels) for label in labels},
    )


def gamma_block(documents, *, pending=0):
    """What an agreement answer takes of γ (with_gamma): {"overall", "labels": {label as text: γ}, "pending"}
    pooled from DocumentGamma's (in a fixed order, so that equal inputs give equal figures), `pending` documents
    left out or counted at an older value."""
    overall, labels = pooled_gamma(documents)
    return {"overall": overall, "labels": {str(label): value for label, value in labels.items()}, "pending": pending}


def no_gamma(*, pending=0):
    """The γ block of an answer with no γ yet, `pending` documents waiting for theirs."""
    return {"overall": None, "labels": {}, "pending": pending}


def with_gamma(answer, block):
    """The agreement answer (SPEC "Agreement") with γ from `block` (gamma_block) in `overall`, in each label and as
    `gamma_pending`."""
    labels = block["labels"]
    return {
        **answer,
        "overall": {**answer["overall"], "gamma": block["overall"]},
        "labels": [{**row, "gamma": labels.get(str(row["label"]))} for row in answer["labels"]],
        "gamma_pending": block["pending"],
    }

"""annotator/metrics/gamma.py: γ against pygamma-agreement 0.5.9's figures (tests/unit/golden/gamma_reference.json,
made by bench/gamma_reference.py), the alignment against brute force, the sampler drawing all its continua at once
against one drawn unit by unit as pygamma does, and properties any γ must have."""

import json
import random
from itertools import combinations, product
from pathlib import Path

import numpy as np
import pytest

from annotator.metrics import gamma
from annotator.metrics.gamma import (
    SEGMENT_PRECISION,
    DocumentGamma,
    StatisticalSampler,
    alignment_cost,
    best_disorder,
    continuum_gamma,
    document_gamma,
    drawn_disorders,
    pooled_gamma,
    two_annotator_cost,
    units_of,
    weighted_mean,
)

REFERENCE = json.loads((Path(__file__).parent / "golden" / "gamma_reference.json").read_text())
FIGURES = [
    pytest.param(name, label, figures, id=f"{name}-{label or 'overall'}")
    for name, case in REFERENCE["cases"].items()
    for label, figures in [(None, case["overall"]), *case["labels"].items()]
]
TOLERANCE = 0.02  # SPEC: Slant's γ matches pygamma-agreement's within 0.02


def annotations(name):
    return {
        annotator: [tuple(span) for span in spans]
        for annotator, spans in REFERENCE["cases"][name]["annotations"].items()
    }


class TestAgainstPygamma:
    @pytest.mark.parametrize(("name", "label", "figures"), FIGURES)
    def test_observed_disorder_is_pygammas(self, name, label, figures):
        units = units_of(annotations(name), label)
        if "error" in figures:
            assert len(units) < 2 or not any(len(u) for u in units)
        else:
            assert best_disorder(units) == pytest.approx(figures["observed"], abs=1e-5)  # pygamma works in float32

    @pytest.mark.parametrize(("name", "label", "figures"), FIGURES)
    def test_gamma_is_pygammas(self, name, label, figures):
        """Within 0.02 of pygamma's γ drawn with many samples; where even 6,000 left pygamma's own figure less
        certain than ±0.01 (tiny continua, whose γ swings with every sample), within its 95% interval too."""
        value = continuum_gamma(units_of(annotations(name), label))
        if "error" in figures:
            assert value is None
        else:
            assert value == pytest.approx(figures["gamma"], abs=max(TOLERANCE, figures["half_width"] + 0.01))

    @pytest.mark.parametrize(("name", "label", "figures"), FIGURES)
    def test_other_seeds_give_gamma_within_tolerance_of_each_other(self, name, label, figures):
        """The sampling's own spread: the drawing stops once γ's 95% interval is ±0.01 (samples permitting)."""
        if "error" in figures:
            return
        values = [continuum_gamma(units_of(annotations(name), label), seed=seed) for seed in (0, 1, 2)]
        assert max(values) - min(values) <= TOLERANCE

    def test_a_document_gives_each_label_its_own_continuum(self):
        by_annotator = annotations("two_several_labels")
        result = document_gamma(by_annotator)
        case = REFERENCE["cases"]["two_several_labels"]
        assert result.overall == pytest.approx(case["overall"]["gamma"], abs=TOLERANCE)
        assert set(result.labels) == set(case["labels"]) == {"Actor", "Claim", "Cue", "Quote", "Source"}
        for label, (value, spans) in result.labels.items():
            figures = case["labels"][label]
            assert value == pytest.approx(figures["gamma"], abs=max(TOLERANCE, figures["half_width"] + 0.01))
            assert spans == sum(span[0] == label for spans in by_annotator.values() for span in spans)
        assert result.spans == 10


def positional(u, v):
    return ((abs(u[1] - v[1]) + abs(u[2] - v[2])) / (u[2] - u[1] + v[2] - v[1])) ** 2


def unitary_disorder(block, annotators):
    """The mean over annotator pairs of the pair's dissimilarity, 1 where either is missing (the paper's)."""
    total = 0.0
    for a, b in combinations(range(annotators), 2):
        u, v = block.get(a), block.get(b)
        total += 1.0 if u is None or v is None else positional(u, v) + (u[0] != v[0])
    return total / (annotators * (annotators - 1) / 2)


def brute_force_disorder(spans_by_annotator):
    """The least disorder over every partition of the units into unitary alignments, tried one by one."""
    annotators = len(spans_by_annotator)
    units = [(a, span) for a, spans in enumerate(spans_by_annotator) for span in spans]

    def best(remaining):
        if not remaining:
            return 0.0
        (first_annotator, first), rest = remaining[0], remaining[1:]
        result = float("inf")
        others = [[None] + [i for i, (a, _) in enumerate(rest) if a == other] for other in range(annotators)]
        others[first_annotator] = [None]
        for picks in product(*others):
            chosen = {i for i in picks if i is not None}
            block = {first_annotator: first} | {rest[i][0]: rest[i][1] for i in chosen}
            left = [unit for i, unit in enumerate(rest) if i not in chosen]
            result = min(result, unitary_disorder(block, annotators) + best(left))
        return result

    return best(units) * annotators / len(units)


def random_continuum(rng, annotators, most=3, labels="AB", length=60):
    result = {}
    for annotator in range(annotators):
        spans = set()
        for _ in range(rng.randint(0, most)):
            start = rng.randrange(length)
            spans.add((rng.choice(labels), start, start + rng.randint(1, 15)))
        result[f"annotator{annotator}"] = sorted(spans)
    if not any(result.values()):
        result["annotator0"] = [("A", 0, 5)]
    return result


class TestAlignment:
    @pytest.mark.parametrize("annotators", [2, 3, 4])
    def test_best_disorder_is_the_least_over_every_partition(self, annotators):
        rng = random.Random(annotators)
        for _ in range(25):
            by_annotator = random_continuum(rng, annotators, most=3 if annotators < 4 else 2)
            spans = [sorted(by_annotator[a]) for a in sorted(by_annotator)]
            assert best_disorder(units_of(by_annotator)) == pytest.approx(brute_force_disorder(spans), abs=1e-9)

    def test_search_and_highs_agree_on_large_groups(self, monkeypatch):
        """Groups up to SEARCH_LIMIT units are searched; forcing every group through HiGHS gives the same cost."""
        rng = random.Random(7)
        for _ in range(20):
            units = units_of(random_continuum(rng, 3, most=8, labels="ABC", length=80))
            searched = alignment_cost(units)
            monkeypatch.setattr(gamma, "SEARCH_LIMIT", 0)
            assert alignment_cost(units) == pytest.approx(searched, abs=1e-9)
            monkeypatch.undo()

    def test_two_annotators_by_assignment_as_by_the_general_program(self):
        rng = random.Random(2)
        for _ in range(30):
            a, b = units_of(random_continuum(rng, 2, most=8, length=80))
            assert two_annotator_cost(a, b) == pytest.approx(alignment_cost([a, b]), abs=1e-9)

    def test_a_far_pair_stays_apart(self):
        """Two units of the same label far apart cost more paired (d = 36) than alone (1 each)."""
        units = units_of({"alice": [("A", 0, 5)], "bob": [("A", 30, 35)]})
        assert best_disorder(units) == 2.0


def one_at_a_time(sampler, rng):
    """A continuum drawn as pygamma's StatisticalContinuumSampler draws it: annotator by annotator, unit by unit."""
    units = []
    for annotator in range(sampler.annotators):
        count = abs(int(rng.normal(*sampler.count)))
        if annotator == 0:
            count = max(1, count)
        rows, last = [], 0.0
        for _ in range(count):
            gap, length = rng.normal(*sampler.gap), abs(rng.normal(*sampler.length))
            while length < SEGMENT_PRECISION:
                length = abs(rng.normal(*sampler.length))
            label = rng.choice(len(sampler.label_shares), p=sampler.label_shares)
            rows.append((last + gap, last + gap + length, label))
            last += gap + length
        units.append(np.array(rows, dtype=float).reshape(-1, 3))
    return units


def statistics(continua):
    """Units per annotator, gap to the annotator's previous unit (or to 0), unit length, label, sampled disorder."""
    counts, gaps, lengths, labels = [], [], [], []
    for units in continua:
        for u in units:
            counts.append(len(u))
            gaps.extend(np.diff(np.concatenate([[0.0], u[:, 1]]))[: len(u)] - (u[:, 1] - u[:, 0]))
            lengths.extend(u[:, 1] - u[:, 0])
            labels.extend(u[:, 2])
    return {"counts": counts, "gaps": gaps, "lengths": lengths, "labels": labels}


SAMPLED = [  # (case, label): continua whose sampled continua the batched code must solve as best_disorder() does
    ("realistic_two", None),
    ("realistic_two", "Quote"),
    ("two_several_labels", None),
    ("realistic_three", None),
    ("realistic_three", "Cue"),
    ("three_overlapping", None),
    ("four_small", None),
    ("three_one_empty", "A"),
]


class TestSampling:
    @pytest.mark.parametrize(("name", "label"), SAMPLED)
    def test_each_sampled_disorder_is_that_continuums_best_disorder(self, name, label):
        drawn = StatisticalSampler(units_of(annotations(name), label)).draw(np.random.default_rng(1), 300)
        expected = [best_disorder(units) for units in drawn.continua()]
        assert drawn_disorders(drawn) == pytest.approx(expected, abs=1e-9)

    @pytest.mark.parametrize(("name", "label"), [("realistic_two", None), ("realistic_three", None)])
    def test_solving_in_chunks_keeps_each_sample_in_its_place(self, name, label, monkeypatch):
        drawn = StatisticalSampler(units_of(annotations(name), label)).draw(np.random.default_rng(2), 40)
        whole = drawn_disorders(drawn)
        monkeypatch.setattr(gamma, "CHUNK", 1)  # one continuum per chunk
        assert drawn_disorders(drawn) == pytest.approx(whole, abs=1e-12)

    def test_large_groups_are_covered_as_by_exact_cover_cost(self, monkeypatch):
        drawn = StatisticalSampler(units_of(annotations("realistic_three"))).draw(np.random.default_rng(3), 30)
        programmed = drawn_disorders(drawn)
        monkeypatch.setattr(gamma, "COVER_LIMIT", 1)  # every group of two units or more by search or HiGHS
        assert drawn_disorders(drawn) == pytest.approx(programmed, abs=1e-9)

    @pytest.mark.parametrize(("name", "label"), [("realistic_two", "Quote"), ("realistic_three", None)])
    def test_continua_are_drawn_as_pygamma_draws_them(self, name, label):
        """Drawn all at once or unit by unit, the continua agree in the mean of each drawn quantity and of their
        disorder, within 4.5 standard errors of the difference."""
        sampler = StatisticalSampler(units_of(annotations(name), label))
        samples = 1500
        batched = sampler.draw(np.random.default_rng(4), samples).continua()
        rng = np.random.default_rng(5)
        single = [one_at_a_time(sampler, rng) for _ in range(samples)]
        ours, theirs = statistics(batched), statistics(single)
        for key in ours:
            a, b = np.array(ours[key]), np.array(theirs[key])
            error = np.hypot(a.std() / len(a) ** 0.5, b.std() / len(b) ** 0.5)
            assert abs(a.mean() - b.mean()) <= 4.5 * error + 1e-9, key
        assert np.mean(ours["gaps"]) == pytest.approx(
            sampler.gap[0], abs=4.5 * sampler.gap[1] / len(ours["gaps"]) ** 0.5
        )
        shares = np.bincount(np.array(ours["labels"], dtype=int), minlength=len(sampler.label_shares))
        assert shares / shares.sum() == pytest.approx(sampler.label_shares, abs=0.02)
        a, b = drawn_disorders(sampler.draw(np.random.default_rng(6), samples)), [best_disorder(u) for u in single]
        assert abs(np.mean(a) - np.mean(b)) <= 4.5 * np.hypot(np.std(a), np.std(b)) / samples**0.5

    def test_no_sampled_continuum_is_empty(self):
        sampler = StatisticalSampler(units_of({"alice": [("A", 0, 10)], "bob": []}))
        drawn = sampler.draw(np.random.default_rng(7), 2000)
        assert (drawn.counts.sum(axis=1) >= 1).all()
        assert (drawn.ends - drawn.starts)[drawn.valid].min() >= SEGMENT_PRECISION


@pytest.mark.usefixtures("quick")
class TestDegenerate:
    def test_one_annotator_has_no_gamma(self):
        assert document_gamma({"alice": [("A", 0, 5)]}) == DocumentGamma(None, 1, {"A": (None, 1)})

    def test_no_spans_have_no_gamma(self):
        assert document_gamma({"alice": [], "bob": []}) == DocumentGamma(None, 0, {})

    def test_no_annotators_have_no_gamma(self):
        assert document_gamma({}) == DocumentGamma(None, 0, {})

    @pytest.mark.parametrize("annotators", [2, 3])
    def test_identical_spans_agree_fully(self, annotators):
        spans = [("A", 0, 5), ("B", 3, 9), ("A", 20, 31)]
        result = document_gamma({f"annotator{i}": spans for i in range(annotators)})
        assert result == DocumentGamma(1.0, 3 * annotators, {"A": (1.0, 2 * annotators), "B": (1.0, annotators)})

    def test_one_identical_span_each_agrees_fully(self):
        assert continuum_gamma(units_of({"alice": [("A", 3, 9)], "bob": [("A", 3, 9)]})) == 1.0

    def test_an_annotator_without_spans_makes_gamma_negative(self):
        value = continuum_gamma(units_of({"alice": [("A", 0, 10), ("B", 20, 30)], "bob": []}))
        assert value < 0

    def test_a_duplicate_span_counts_once(self):
        once = units_of({"alice": [("A", 0, 10)], "bob": [("A", 1, 10)]})
        twice = units_of({"alice": [("A", 0, 10), ("A", 0, 10)], "bob": [("A", 1, 10)]})
        assert continuum_gamma(twice) == continuum_gamma(once)


@pytest.fixture
def quick(monkeypatch):
    """Properties hold whatever the precision: a few hundred samples at most keep these tests fast."""
    monkeypatch.setattr(gamma, "MAX_SAMPLES", 200)


@pytest.mark.usefixtures("quick")
class TestProperties:
    @pytest.mark.parametrize("annotators", [2, 3])
    def test_identical_annotations_give_one(self, annotators):
        rng = random.Random(annotators)
        for _ in range(10):
            spans = random_continuum(rng, 1, most=6)["annotator0"]
            assert continuum_gamma(units_of({f"annotator{i}": spans for i in range(annotators)})) == 1.0

    def test_symmetric_in_annotators(self):
        rng = random.Random(3)
        for _ in range(3):
            by_annotator = random_continuum(rng, 3, most=5)
            renamed = dict(zip(["zoe", "yann", "xavier"], by_annotator.values(), strict=True))
            assert continuum_gamma(units_of(renamed)) == pytest.approx(
                continuum_gamma(units_of(by_annotator)), abs=1e-9
            )

    def test_at_most_one(self):
        rng = random.Random(4)
        for _ in range(10):
            value = continuum_gamma(units_of(random_continuum(rng, 2, most=5)))
            assert value is not None and -np.inf < value <= 1

    def test_agreement_ranks_above_disagreement(self):
        close = {"alice": [("A", 0, 10), ("B", 20, 30)], "bob": [("A", 1, 10), ("B", 20, 31)]}
        far = {"alice": [("A", 0, 10), ("B", 20, 30)], "bob": [("B", 5, 14), ("A", 40, 48)]}
        assert continuum_gamma(units_of(close)) > 0.5 > continuum_gamma(units_of(far))

    def test_reproducible_from_the_seed(self):
        units = units_of(
            {
                "alice": [("A", 0, 10), ("B", 12, 20), ("A", 30, 42)],
                "bob": [("A", 2, 11), ("B", 12, 22), ("B", 30, 40)],
                "carol": [("A", 0, 9), ("A", 14, 21), ("A", 31, 41), ("B", 50, 55)],
            }
        )
        assert continuum_gamma(units, seed=5) == continuum_gamma(units, seed=5)
        assert continuum_gamma(units, seed=5) != continuum_gamma(units, seed=6)
        assert continuum_gamma(units, seed=5) == pytest.approx(continuum_gamma(units, seed=6), abs=TOLERANCE)


class TestPooling:
    def test_documents_weigh_by_their_spans(self):
        assert weighted_mean([(0.5, 10), (1.0, 30)]) == 0.875

    def test_documents_without_gamma_are_left_out(self):
        assert weighted_mean([(0.5, 10), (None, 30), (0.2, 0)]) == 0.5

    def test_nothing_to_rest_on_is_none(self):
        assert weighted_mean([(None, 4)]) is None
        assert weighted_mean([]) is None

    def test_labels_weigh_by_their_own_spans(self):
        documents = [
            DocumentGamma(0.5, 10, {"A": (0.2, 2), "B": (0.8, 8)}),
            DocumentGamma(1.0, 30, {"A": (1.0, 30)}),
            DocumentGamma(None, 1, {"A": (None, 1)}),
        ]
        overall, labels = pooled_gamma(documents)
        assert overall == 0.875
        assert labels == {"A": pytest.approx((0.2 * 2 + 1.0 * 30) / 32), "B": 0.8}

"""annotator/metrics: every measure against published figures, hand-worked cases, and a slow reference
implementation of SPEC's "Agreement" definitions on random data."""

import math
import random
from itertools import combinations

import krippendorff
import pytest

from annotator.metrics.alpha import binary_alpha, krippendorff_alpha
from annotator.metrics.kappa import binary_kappa, cohen_kappa
from annotator.metrics.report import agreement_report, document_disagreement
from annotator.metrics.spans import SpanTally, merge, span_f1
from annotator.metrics.units import coverage_counts, covered_tokens, intersection_length
from annotator.text import tokenize

_ = None  # a missing value

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]
# The same paper, section A: binary data, two observers, no missing values.
KRIPPENDORFF_2011_BINARY = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]
# The 3 coders x 15 units example of Wikipedia's "Krippendorff's alpha" article and the krippendorff package.
WIKIPEDIA = [
    [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
    [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
    [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
]
# Cohen (1960), table 1: two judges, three categories, 200 units.
COHEN_1960 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]


class TestKrippendorffAlpha:
    @pytest.mark.parametrize(
        ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
    )
    def test_the_published_four_coder_example_with_missing_values(self, level, published):
        assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(published, abs=5e-4)

    def test_the_published_binary_example(self):
        assert krippendorff_alpha(KRIPPENDORFF_2011_BINARY) == pytest.approx(0.095, abs=5e-4)

    @pytest.mark.parametrize(("level", "documented"), [("nominal", 0.691), ("interval", 0.811)])
    def test_the_wikipedia_example(self, level, documented):
        assert krippendorff_alpha(WIKIPEDIA, level) == pytest.approx(documented, abs=5e-4)

    def test_perfect_agreement_is_one(self):
        assert krippendorff_alpha([[1, 2, 3, _], [1, 2, 3, 4], [_, 2, 3, 4]]) == 1.0

    def test_nothing_to_rest_on_is_none(self):
        assert krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None  # one value only: no expected disagreement
        assert krippendorff_alpha([[1, _, 2], [_, 3, _]]) is None  # no unit has two values
        assert krippendorff_alpha([[], []]) is None

    def test_an_unknown_level_is_refused(self):
        with pytest.raises(ValueError, match="level"):
            krippendorff_alpha(KRIPPENDORFF_2011, "cyclic")

    @pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
    @pytest.mark.parametrize("seed", range(12))
    def test_equals_the_krippendorff_package_on_random_data(self, level, seed):
        rng = random.Random(seed)
        coders, units, values = rng.randint(2, 6), rng.randint(2, 40), rng.randint(2, 6)
        data = [[rng.randint(1, values) if rng.random() > 0.3 else _ for _u in range(units)] for _c in range(coders)]
        if len({v for row in data for v in row if v is not None}) < 2:
            pytest.skip("the package refuses data with a single value")

        ours = krippendorff_alpha(data, level)

        theirs = krippendorff.alpha(
            reliability_data=[[math.nan if v is None else v for v in row] for row in data], level_of_measurement=level
        )
        if math.isnan(theirs):
            assert ours is None
        else:
            assert ours == pytest.approx(theirs, abs=1e-9)

    @pytest.mark.parametrize("seed", range(20))
    def test_the_binary_closed_form_equals_the_coincidence_matrix(self, seed):
        rng = random.Random(seed)
        coders, units = rng.randint(2, 5), rng.randint(1, 60)
        data = [[rng.randint(0, 1) if rng.random() > 0.4 else _ for _u in range(units)] for _c in range(coders)]
        histogram = {}
        for unit in zip(*data, strict=True):
            values = [v for v in unit if v is not None]
            key = (len(values), sum(values))
            histogram[key] = histogram.get(key, 0) + 1

        fast = binary_alpha(histogram)

        slow = krippendorff_alpha(data)
        assert (fast is None) == (slow is None)
        if slow is not None:
            assert fast == pytest.approx(slow, abs=1e-9)

    def test_the_binary_closed_form_gives_the_published_binary_example(self):
        # 4 units where the observers disagree, 3 where both gave 0 ... as (coders, ones) -> units.
        histogram = {(2, 1): 4, (2, 0): 5, (2, 2): 1}

        assert binary_alpha(histogram) == pytest.approx(0.095, abs=5e-4)


class TestCohenKappa:
    def test_the_published_three_category_table(self):
        assert cohen_kappa(COHEN_1960) == pytest.approx(0.492, abs=5e-4)

    def test_perfect_agreement_is_one(self):
        assert cohen_kappa([[3, 0], [0, 7]]) == 1.0

    def test_agreement_no_better_than_chance_is_zero(self):
        assert binary_kappa(both=0, only_a=5, only_b=0, neither=5) == 0.0  # B always said 0

    def test_systematic_disagreement_is_negative(self):
        assert binary_kappa(both=0, only_a=5, only_b=5, neither=0) == -1.0

    def test_nothing_to_rest_on_is_none(self):
        assert binary_kappa(both=0, only_a=0, only_b=0, neither=12) is None  # both always 0: kappa is 0/0
        assert cohen_kappa([[0, 0], [0, 0]]) is None

    def test_a_hand_worked_binary_table(self):
        # po = 12/14; both raters gave 1 to 5 of 14 units: pe = (25 + 81) / 196; kappa = 62/90.
        assert binary_kappa(both=4, only_a=1, only_b=1, neither=8) == pytest.approx(62 / 90)


class TestSpanF1:
    def test_the_published_overlap_example(self):
        gold = [("x", 10, 20), ("x", 30, 40)]
        predicted = [("x", 15, 25), ("x", 30, 40), ("x", 50, 55)]

        exact, precision, recall, overlap = span_f1(predicted, gold)

        assert (precision, recall, overlap) == pytest.approx((0.5, 0.75, 0.6))
        assert exact == pytest.approx(2 * 1 / 5)

    def test_identical_annotations_agree_fully(self):
        spans = [("x", 0, 5), ("y", 3, 9), ("x", 20, 30)]

        assert span_f1(spans, list(reversed(spans))) == (1.0, 1.0, 1.0, 1.0)

    def test_the_same_stretch_with_another_label_is_no_match(self):
        assert span_f1([("x", 0, 5)], [("y", 0, 5)]) == (0.0, 0.0, 0.0, 0.0)

    def test_one_side_without_spans_scores_zero_and_neither_side_none(self):
        assert span_f1([("x", 0, 5)], []) == (0.0, 0.0, None, 0.0)
        assert span_f1([], [("x", 0, 5)]) == (0.0, None, 0.0, 0.0)
        assert span_f1([], []) == (None, None, None, None)

    def test_a_span_earns_at_most_its_whole_length_from_overlapping_spans_of_the_other(self):
        # B's two spans of the label overlap each other inside A's: A's span is covered once, not 1.3 times.
        a = [("x", 0, 10)]
        b = [("x", 0, 10), ("x", 2, 5)]

        exact, precision, recall, overlap = span_f1(a, b)

        assert (precision, recall, overlap) == (1.0, 1.0, 1.0)
        assert exact == pytest.approx(2 / 3)

    def test_a_duplicated_span_matches_once(self):
        exact, *_ = span_f1([("x", 0, 5), ("x", 0, 5)], [("x", 0, 5)])

        assert exact == pytest.approx(2 / 3)

    def test_partial_overlap_earns_the_covered_share(self):
        _, precision, recall, overlap = span_f1([("x", 0, 10)], [("x", 5, 25)])

        assert (precision, recall) == pytest.approx((0.5, 0.25))
        assert overlap == pytest.approx(2 * 0.5 * 0.25 / 0.75)

    def test_documents_pool_before_dividing(self):
        tally = SpanTally().add([("x", 0, 4)], [("x", 0, 4)]).add([("x", 0, 4), ("x", 9, 12)], [])

        assert tally.f1_exact == pytest.approx(2 * 1 / 4)
        assert (tally.precision, tally.recall) == pytest.approx((1 / 3, 1.0))


class TestTokenUnits:
    TEXT = "The envoy said, 👍🏽 talks would resume."

    def test_a_span_covers_every_token_it_touches_a_character_of(self):
        tokens = tokenize(self.TEXT)  # The envoy said , 👍🏽 talks would resume .
        start = self.TEXT.index("nvoy")

        assert covered_tokens(tokens, [(start, start + 2)]) == [(1, 2)]  # "nv" of "envoy"
        assert covered_tokens(tokens, [(start, self.TEXT.index("talks") + 1)]) == [(1, 6)]

    def test_white_space_alone_covers_no_token(self):
        tokens = tokenize(self.TEXT)

        assert covered_tokens(tokens, [(3, 4)]) == []

    def test_touching_and_overlapping_spans_merge(self):
        tokens = tokenize(self.TEXT)

        assert covered_tokens(tokens, [(0, 3), (4, 9), (10, 12), (28, 33)]) == [
            (0, 3),
            (6, 8),
        ]  # "ld re" touches would and resume

    def test_a_span_over_the_skin_tone_alone_covers_the_whole_emoji_one_unit(self):
        tokens = tokenize(self.TEXT)
        tone = self.TEXT.index("🏽")

        assert covered_tokens(tokens, [(tone, tone + 1)]) == [(4, 5)]
        assert tokens[4] == (tone - 1, tone + 1)

    def test_intersections_and_coverage_counts(self):
        a, b, c = [(0, 4), (10, 12)], [(2, 11)], [(3, 5)]

        assert intersection_length(a, b) == 3
        assert intersection_length(a, []) == 0
        assert coverage_counts([a, b, c]) == {1: 8, 2: 3, 3: 1}  # 3 of them cover index 3 only
        assert merge([(5, 7), (0, 2), (2, 3), (6, 9)]) == [(0, 3), (5, 9)]

    @pytest.mark.parametrize("seed", range(10))
    def test_covered_tokens_equals_checking_every_token(self, seed):
        rng = random.Random(seed)
        text = "".join(rng.choice(["word", " ", "  ", ",", "é", "👍🏽", "\n", "x1_"]) for _ in range(80))
        tokens = tokenize(text)
        spans = [(s, s + rng.randint(1, 12)) for s in (rng.randrange(len(text)) for _ in range(6))]
        spans = [(s, min(e, len(text))) for s, e in spans]

        runs = covered_tokens(tokens, spans)

        naive = {i for i, (ts, te) in enumerate(tokens) for s, e in spans if ts < e and s < te}
        assert {i for a, b in runs for i in range(a, b)} == naive


# A document for hand-worked figures: 7 tokens (The envoy said talks would resume .), labels X and Y.
TEXT = "The envoy said talks would resume."
THE_ENVOY, ENVOY_SAID, TALKS_WOULD_RESUME = (0, 9), (4, 14), (15, 33)


def doc(annotations, text=TEXT):
    return tokenize(text), annotations


class TestAgreementReport:
    def test_a_hand_worked_pair(self):
        alice = [("X", *THE_ENVOY), ("Y", *TALKS_WOULD_RESUME)]
        bob = [("X", *ENVOY_SAID), ("Y", *TALKS_WOULD_RESUME)]

        figures = agreement_report([doc({"alice": alice, "bob": bob})])

        assert figures["documents"] == 1
        assert figures["overall"] == pytest.approx(
            {
                "span_f1_exact": 0.5,  # one exact match among 2 + 2 spans
                # P = (5/9 + 1) / 2, R = (5/10 + 1) / 2
                "span_f1_overlap": 42 / 55,
                # 14 units (7 tokens x 2 labels): both 1 on 4, alice alone 1, bob alone 1, both 0 on 8
                "cohen_kappa": 62 / 90,
                # n = 28 values, 10 ones and 18 zeros, 2 units disagree: 1 - 27 * 2 / (18 * 10)
                "krippendorff_alpha": 0.7,
            }
        )
        assert set(figures["labels"]) == {"X", "Y"}
        assert figures["labels"]["X"] == pytest.approx(
            {
                "documents": 1,
                "span_f1_exact": 0.0,
                "span_f1_overlap": 10 / 19,  # P 5/9, R 1/2
                "cohen_kappa": 0.3,  # 7 units: po 5/7, pe 29/49
                "krippendorff_alpha": 0.35,  # 1 - 13 * 2 / (10 * 4)
            }
        )
        assert figures["labels"]["Y"] == {
            "documents": 1,
            "span_f1_exact": 1.0,
            "span_f1_overlap": 1.0,
            "cohen_kappa": 1.0,
            "krippendorff_alpha": 1.0,
        }
        assert list(figures["pairs"]) == [("alice", "bob")]
        assert figures["pairs"]["alice", "bob"] == pytest.approx(
            {"documents": 1, "span_f1_exact": 0.5, "span_f1_overlap": 42 / 55, "cohen_kappa": 62 / 90}
        )

    def test_identical_annotations_agree_fully_everywhere(self):
        spans = [("X", *THE_ENVOY), ("Y", *ENVOY_SAID), ("Y", *TALKS_WOULD_RESUME)]

        figures = agreement_report([doc({"a": spans, "b": list(spans), "c": list(spans)})] * 3)

        assert set(figures["overall"].values()) == {1.0}
        assert [set(row.values()) for row in figures["labels"].values()] == [{3, 1.0}, {3, 1.0}]
        assert [set(row.values()) for row in figures["pairs"].values()] == [{3, 1.0}] * 3

    def test_annotators_with_no_spans_leave_nothing_to_rest_on(self):
        figures = agreement_report([doc({"a": [], "b": []})])

        assert figures == {
            "documents": 1,
            "overall": dict.fromkeys(["span_f1_exact", "span_f1_overlap", "cohen_kappa", "krippendorff_alpha"]),
            "labels": {},
            "pairs": {
                ("a", "b"): {"documents": 1, "span_f1_exact": None, "span_f1_overlap": None, "cohen_kappa": None}
            },
        }

    def test_no_documents_is_all_none(self):
        figures = agreement_report([])

        assert figures["documents"] == 0
        assert set(figures["overall"].values()) == {None}
        assert figures["labels"] == figures["pairs"] == {}

    def test_a_document_with_one_annotator_is_not_compared(self):
        figures = agreement_report([doc({"a": [("X", *THE_ENVOY)]})])

        assert figures["documents"] == 0
        assert figures["labels"] == {}

    def test_one_sided_annotations_score_zero_not_none(self):
        figures = agreement_report([doc({"a": [("X", *THE_ENVOY)], "b": []})])

        pair = figures["pairs"]["a", "b"]
        assert (pair["span_f1_exact"], pair["span_f1_overlap"], pair["cohen_kappa"]) == (0.0, 0.0, 0.0)
        # 14 values: two 1s, both in units where the other coder gave 0: 1 - 13 * 2 / (12 * 2)
        assert figures["labels"]["X"]["krippendorff_alpha"] == pytest.approx(1 - 13 * 2 / 24)

    def test_a_label_only_one_pair_used_counts_only_that_pair_in_its_kappa_mean(self):
        # c and d never use Y: their kappa on Y is 0/0 and stays out of Y's mean over pairs.
        same = [("X", *THE_ENVOY)]
        documents = [
            doc({"a": same + [("Y", *TALKS_WOULD_RESUME)], "b": same + [("Y", *TALKS_WOULD_RESUME)]}),
            doc({"c": same, "d": same}),
        ]

        figures = agreement_report(documents)

        assert figures["labels"]["Y"]["documents"] == 1
        assert figures["labels"]["Y"]["cohen_kappa"] == 1.0
        assert figures["labels"]["X"]["documents"] == 2
        assert set(figures["pairs"]) == {("a", "b"), ("c", "d")}  # pairs that shared no document are absent
        assert figures["pairs"]["c", "d"]["cohen_kappa"] == 1.0  # units for X and Y, agreeing on every one

    def test_a_label_used_by_one_annotator_only(self):
        documents = [doc({"a": [("X", *THE_ENVOY), ("Y", *ENVOY_SAID)], "b": [("X", *THE_ENVOY)]})]

        figures = agreement_report(documents)

        assert figures["labels"]["Y"] == pytest.approx(
            {
                "documents": 1,
                "span_f1_exact": 0.0,
                "span_f1_overlap": 0.0,
                "cohen_kappa": 0.0,
                "krippendorff_alpha": 1 - 13 * 2 / (12 * 2),
            }
        )
        assert figures["labels"]["X"]["span_f1_exact"] == 1.0
        assert figures["overall"]["span_f1_exact"] == pytest.approx(2 * 1 / 3)

    def test_pairs_are_oriented_by_annotator_and_pooled_over_every_pair(self):
        wide, narrow = [("X", 0, 14)], [("X", *THE_ENVOY)]

        figures = agreement_report([doc({"b": narrow, "a": wide, "c": wide})])

        # (a, b): a's wide span is 9/14 covered (P), b's narrow one fully (R); (a, c) agree; (b, c) mirror (a, b).
        assert figures["pairs"]["a", "b"]["span_f1_overlap"] == pytest.approx(2 * (9 / 14) / (9 / 14 + 1))
        p, r = (9 / 14 + 1 + 1) / 3, (1 + 1 + 9 / 14) / 3
        assert figures["overall"]["span_f1_overlap"] == pytest.approx(2 * p * r / (p + r))
        assert figures["overall"]["span_f1_exact"] == pytest.approx(2 * 1 / 6)


def document_disagreement_examples():
    same = [("X", *THE_ENVOY)]
    return [
        ({"a": same, "b": same}, 1.0),
        ({"a": same, "b": [("X", *ENVOY_SAID)]}, 0.0),
        ({"a": same, "b": same, "c": []}, (1.0 + 0.0 + 0.0) / 3),
        ({"a": [], "b": []}, None),
        ({"a": same}, None),
    ]


class TestDocumentDisagreement:
    @pytest.mark.parametrize(("annotations", "expected"), document_disagreement_examples())
    def test_mean_exact_span_f1_over_pairs(self, annotations, expected):
        assert document_disagreement(annotations) == (pytest.approx(expected) if expected is not None else None)


# ---------------------------------------------------------------------------------------------------------------
# A slow reference: SPEC's definitions spelled out unit by unit, character by character.


def reference_report(documents):
    """SPEC's figures the long way: per-character coverage, every (document, token, label) unit enumerated."""
    compared = [(tokens, annotations) for tokens, annotations in documents if len(annotations) >= 2]
    labels = sorted({label for _, annotations in compared for spans in annotations.values() for label, *_ in spans})
    coders = sorted({coder for _, annotations in compared for coder in annotations})

    def value(spans, label, token):
        return int(any(lab == label and s < token[1] and token[0] < e for lab, s, e in spans))

    def span_sums(pairs, label_filter):
        matches = size_a = size_b = 0
        covered_a = covered_b = 0.0
        for a, b in pairs:
            for _, annotations in compared:
                if a not in annotations or b not in annotations:
                    continue
                sa = [s for s in annotations[a] if s[0] in label_filter]
                sb = [s for s in annotations[b] if s[0] in label_filter]
                matches += sum(min(sa.count(s), sb.count(s)) for s in set(sa))
                size_a, size_b = size_a + len(sa), size_b + len(sb)
                for mine, theirs, add_to in ((sa, sb, "a"), (sb, sa, "b")):
                    for label, s, e in mine:
                        chars = {i for lab, ts, te in theirs if lab == label for i in range(ts, te)}
                        share = len(chars & set(range(s, e))) / (e - s)
                        if add_to == "a":
                            covered_a += share
                        else:
                            covered_b += share
        exact = 2 * matches / (size_a + size_b) if size_a + size_b else None
        if not size_a and not size_b:
            overlap = None
        elif not size_a or not size_b:
            overlap = 0.0
        else:
            p, r = covered_a / size_a, covered_b / size_b
            overlap = 2 * p * r / (p + r) if p + r else 0.0
        return exact, overlap

    def kappa(a, b, label_filter):
        rows = [[0, 0], [0, 0]]
        for tokens, annotations in compared:
            if a in annotations and b in annotations:
                for label in label_filter:
                    for token in tokens:
                        rows[1 - value(annotations[a], label, token)][1 - value(annotations[b], label, token)] += 1
        return cohen_kappa(rows)

    def alpha(label_filter):
        data = {coder: [] for coder in coders}
        for tokens, annotations in compared:
            for label in label_filter:
                for token in tokens:
                    for coder in coders:
                        spans = annotations.get(coder)
                        data[coder].append(None if spans is None else value(spans, label, token))
        return krippendorff_alpha(list(data.values()))

    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    pairs = [
        (a, b)
        for a, b in combinations(coders, 2)
        if any(a in annotations and b in annotations for _, annotations in compared)
    ]
    pair_rows = {}
    for a, b in pairs:
        exact, overlap = span_sums([(a, b)], set(labels))
        pair_rows[a, b] = {
            "documents": sum(a in ann and b in ann for _, ann in compared),
            "span_f1_exact": exact,
            "span_f1_overlap": overlap,
            "cohen_kappa": kappa(a, b, labels),
        }
    label_rows = {}
    for label in labels:
        exact, overlap = span_sums(pairs, {label})
        label_rows[label] = {
            "documents": sum(any(s[0] == label for spans in ann.values() for s in spans) for _, ann in compared),
            "span_f1_exact": exact,
            "span_f1_overlap": overlap,
            "cohen_kappa": mean(kappa(a, b, [label]) for a, b in pairs),
            "krippendorff_alpha": alpha([label]),
        }
    exact, overlap = span_sums(pairs, set(labels))
    return {
        "documents": len(compared),
        "overall": {
            "span_f1_exact": exact,
            "span_f1_overlap": overlap,
            "cohen_kappa": mean(row["cohen_kappa"] for row in pair_rows.values()),
            "krippendorff_alpha": alpha(labels),
        },
        "labels": label_rows,
        "pairs": pair_rows,
    }


def random_documents(rng):
    """A few short documents, each annotated by two to four of five annotators who draw overlapping, nested,
    duplicated and one-sided spans of three labels (some annotators draw nothing)."""
    documents = []
    for _ in range(rng.randint(1, 4)):
        text = " ".join(rng.choice(["talks", "resume", ",", "envoy", "said", "👍🏽", "x"]) for _ in range(30))
        tokens = tokenize(text)
        annotations = {}
        for coder in rng.sample("abcde", rng.randint(2, 4)):
            spans = []
            for _ in range(rng.choice([0, 1, 3, 6])):
                start = rng.randrange(len(text) - 1)
                spans.append((rng.choice("XYZ"), start, min(len(text), start + rng.randint(1, 25))))
            if spans and rng.random() < 0.3:
                spans.append(spans[0])  # a duplicate
            annotations[coder] = spans
        documents.append((tokens, annotations))
    return documents


def assert_same_figures(ours, reference):
    assert ours["documents"] == reference["documents"]
    assert ours["overall"] == approx_or_none(reference["overall"])
    assert ours["labels"] == {label: approx_or_none(row) for label, row in reference["labels"].items()}
    assert ours["pairs"] == {pair: approx_or_none(row) for pair, row in reference["pairs"].items()}


def approx_or_none(row):
    return {key: value if value is None else pytest.approx(value, abs=1e-9) for key, value in row.items()}


class TestAgreementReportEqualsTheDefinitions:
    @pytest.mark.parametrize("seed", range(40))
    def test_on_random_documents(self, seed):
        documents = random_documents(random.Random(seed))

        assert_same_figures(agreement_report(documents), reference_report(documents))

    def test_on_the_hand_worked_pair(self):
        documents = [
            doc({"alice": [("X", *THE_ENVOY), ("Y", *TALKS_WOULD_RESUME)], "bob": [("X", *ENVOY_SAID)]}),
            doc({"bob": [("Y", *THE_ENVOY)], "carol": [("Y", *THE_ENVOY)], "alice": []}),
        ]

        assert_same_figures(agreement_report(documents), reference_report(documents))

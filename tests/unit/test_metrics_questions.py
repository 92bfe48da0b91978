"""Agreement on document questions (annotator/metrics/questions.py): hand-worked figures for each kind, the
degenerate cases, and alpha checked against the `krippendorff` package, nominal, ordinal and over multi's
(document, option) units."""

import math
import random

import krippendorff
import pytest

from annotator.metrics.questions import question_agreement

FIGURES = ["percent_agreement", "cohen_kappa", "krippendorff_alpha"]


def figures(kind, documents, options=()):
    return question_agreement(kind, list(options), documents)


class TestSingle:
    def test_two_annotators_on_four_documents_give_the_hand_worked_figures(self):
        # a: X X Y Y; b: X Y Y Y. Kappa: n 4, agreed 3, chance 2·1 + 2·3 = 8, so (4·3 - 8) / (16 - 8).
        # Alpha: coincidences XX 2, XY 1, YX 1, YY 4; n_X 3, n_Y 5; 1 - 2 / (2·3·5 / 7) = 8/15.
        documents = [{"a": "X", "b": "X"}, {"a": "X", "b": "Y"}, {"a": "Y", "b": "Y"}, {"a": "Y", "b": "Y"}]

        result = figures("single", documents)

        assert result == pytest.approx(
            {"documents": 4, "percent_agreement": 0.75, "cohen_kappa": 0.5, "krippendorff_alpha": 8 / 15}
        )

    def test_kappa_is_the_mean_over_pairs_and_agreement_pools_every_document_pair(self):
        # Pairs on the 3-annotator document: ab agree, ac and bc do not; the second document has ab only.
        documents = [{"a": "X", "b": "X", "c": "Y"}, {"a": "Y", "b": "Y"}]

        result = figures("single", documents)

        assert result["percent_agreement"] == pytest.approx(2 / 4)
        # ab agree on both documents (X, Y): kappa 1; ac and bc share one document, X against Y: chance is
        # 1·0 + 0·1 = 0, agreed 0, so kappa (0 - 0) / (1 - 0) = 0.
        assert result["cohen_kappa"] == pytest.approx((1 + 0 + 0) / 3)

    def test_a_document_one_annotator_answered_is_not_compared(self):
        result = figures("single", [{"a": "X"}, {"b": "Y"}])

        assert result == {"documents": 0, **dict.fromkeys(FIGURES)}

    def test_nothing_to_compare_gives_nulls(self):
        assert figures("single", []) == {"documents": 0, **dict.fromkeys(FIGURES)}

    def test_everyone_giving_the_same_one_answer_agrees_fully_but_kappa_and_alpha_are_null(self):
        # Chance agreement is total: kappa and alpha are 0/0 (the krippendorff package refuses one value too).
        result = figures("single", [{"a": "X", "b": "X"}, {"a": "X", "b": "X", "c": "X"}])

        assert result == {"documents": 2, "percent_agreement": 1.0, "cohen_kappa": None, "krippendorff_alpha": None}

    def test_identical_varied_answers_give_one_everywhere(self):
        result = figures("single", [{"a": "X", "b": "X"}, {"a": "Y", "b": "Y"}])

        assert result == {"documents": 2, "percent_agreement": 1.0, "cohen_kappa": 1.0, "krippendorff_alpha": 1.0}


class TestScale:
    def test_alpha_is_ordinal_and_kappa_unweighted(self):
        # a: 1 2 3; b: 1 2 4. Kappa: n 3, agreed 2, chance 2, so (6 - 2) / (9 - 2) = 4/7 (3 against 4 counts as
        # much as 1 against 4 would). Ordinal alpha: n_1 2, n_2 2, n_3 1, n_4 1; δ(3, 4) = (2 - 1)² = 1, so
        # observed 2; expected 2·(2·2·4 + 2·12.25 + 2·20.25 + 2·2.25 + 2·6.25 + 1) / 5 = 39.6; 1 - 2/39.6 = 94/99.
        documents = [{"a": 1, "b": 1}, {"a": 2, "b": 2}, {"a": 3, "b": 4}]

        result = figures("scale", documents)

        assert result == pytest.approx(
            {"documents": 3, "percent_agreement": 2 / 3, "cohen_kappa": 4 / 7, "krippendorff_alpha": 94 / 99}
        )

    def test_a_near_miss_costs_less_than_a_far_one(self):
        # The same swap of two values, once between neighbours and once across the scale's middle.
        near = figures("scale", [{"a": 1, "b": 2}, {"a": 2, "b": 1}, {"a": 5, "b": 5}])
        far = figures("scale", [{"a": 1, "b": 5}, {"a": 5, "b": 1}, {"a": 3, "b": 3}])

        assert near["krippendorff_alpha"] > far["krippendorff_alpha"]
        assert near["cohen_kappa"] == far["cohen_kappa"]


class TestMulti:
    def test_units_are_each_option_on_each_document(self):
        # Options A B C; doc 1: a {A}, b {A, B}; doc 2: both {C}. Units: both 2 (A, C), only b 1 (B), neither 3.
        # Kappa: n 6, agreed 5, chance 2·3 + 4·3 = 18, so (30 - 18) / (36 - 18) = 2/3.
        # Alpha: 5 ones, 7 zeros, one unit split: 1 - (12 - 1)·1 / (5·7) = 24/35.
        documents = [{"a": ["A"], "b": ["A", "B"]}, {"a": ["C"], "b": ["C"]}]

        result = figures("multi", documents, options=["A", "B", "C"])

        assert result == pytest.approx(
            {"documents": 2, "percent_agreement": 0.5, "cohen_kappa": 2 / 3, "krippendorff_alpha": 24 / 35}
        )

    def test_the_order_of_an_answers_options_does_not_matter(self):
        result = figures("multi", [{"a": ["A", "B"], "b": ["B", "A"]}], options=["A", "B", "C"])

        assert result["percent_agreement"] == 1.0

    def test_options_nobody_chose_still_count_as_agreed_zeros(self):
        few = figures("multi", [{"a": ["A"], "b": ["B"]}, {"a": ["A"], "b": ["A"]}], options=["A", "B"])
        many = figures("multi", [{"a": ["A"], "b": ["B"]}, {"a": ["A"], "b": ["A"]}], options=["A", "B", "C", "D"])

        assert many["krippendorff_alpha"] > few["krippendorff_alpha"]

    def test_an_option_the_question_no_longer_offers_is_still_a_unit(self):
        # "Old" was chosen before it was taken off the question: without it as a unit, a and b would agree fully.
        result = figures("multi", [{"a": ["A", "Old"], "b": ["A"]}, {"a": ["B"], "b": ["B"]}], options=["A", "B"])

        assert result["cohen_kappa"] < 1
        assert result["krippendorff_alpha"] < 1


def _random_answers(rng, kind, options):
    coders, documents = rng.randint(2, 5), rng.randint(2, 30)
    data = []
    for _ in range(documents):
        answers = {}
        for coder in range(coders):
            if rng.random() < 0.3:
                continue
            if kind == "multi":
                answers[coder] = rng.sample(options, rng.randint(1, len(options)))
            elif kind == "scale":
                answers[coder] = rng.randint(1, 5)
            else:
                answers[coder] = rng.choice(options)
        data.append(answers)
    return coders, data


def _package_alpha(rows, level):
    """The krippendorff package's alpha over coder rows, None where it gives NaN or refuses a single value."""
    if len({v for row in rows for v in row if not math.isnan(v)}) < 2:
        return None
    theirs = krippendorff.alpha(reliability_data=rows, level_of_measurement=level)
    return None if math.isnan(theirs) else theirs


# The package divides 0 by 0 where nothing varies among the pairable values, and says so before giving NaN.
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
class TestAgainstTheKrippendorffPackage:
    @pytest.mark.parametrize(("kind", "level"), [("single", "nominal"), ("scale", "ordinal")])
    @pytest.mark.parametrize("seed", range(10))
    def test_document_units_match(self, kind, level, seed):
        rng = random.Random(seed)
        options = ["pro", "neutral", "anti"]
        coders, data = _random_answers(rng, kind, options)
        code = {option: i for i, option in enumerate(options)}
        rows = [
            [
                math.nan if coder not in answers else answers[coder] if kind == "scale" else code[answers[coder]]
                for answers in data
            ]
            for coder in range(coders)
        ]

        ours = figures(kind, data)["krippendorff_alpha"]

        theirs = _package_alpha(rows, level)
        assert (ours is None) == (theirs is None)
        if theirs is not None:
            assert ours == pytest.approx(theirs, abs=1e-9)

    @pytest.mark.parametrize("seed", range(10))
    def test_multi_option_units_match(self, seed):
        rng = random.Random(seed)
        options = ["Economic", "Morality", "Security", "Legality"]
        coders, data = _random_answers(rng, "multi", options)
        compared = [answers for answers in data if len(answers) >= 2]
        rows = [
            [
                math.nan if coder not in answers else float(option in answers[coder])
                for answers in compared
                for option in options
            ]
            for coder in range(coders)
        ]

        ours = figures("multi", data, options=options)["krippendorff_alpha"]

        theirs = _package_alpha(rows, "nominal")
        assert (ours is None) == (theirs is None)
        if theirs is not None:
            assert ours == pytest.approx(theirs, abs=1e-9)

    def test_the_ordinal_scale_matches_on_five_coders_with_gaps(self):
        # Five coders rating a 1-5 slant scale on six documents, two ratings missing.
        data = [
            {0: 1, 1: 1, 2: 2, 3: 1},
            {0: 3, 1: 3, 2: 3, 3: 4, 4: 3},
            {0: 5, 1: 4, 2: 5, 3: 5, 4: 5},
            {0: 2, 1: 2, 3: 2, 4: 1},
            {0: 4, 1: 4, 2: 4, 3: 4, 4: 4},
            {0: 1, 1: 2, 2: 1, 3: 1, 4: 1},
        ]
        rows = [[answers.get(coder, math.nan) for answers in data] for coder in range(5)]

        ours = figures("scale", data)["krippendorff_alpha"]

        assert ours == pytest.approx(krippendorff.alpha(reliability_data=rows, level_of_measurement="ordinal"))
        assert ours > figures("single", data)["krippendorff_alpha"]  # near misses cost less than on a nominal scale

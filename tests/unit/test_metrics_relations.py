"""annotator/metrics/relations.py: hand-worked relation F1 (SPEC "Agreement", `relations`), and brute force on
random data for the matching."""

import random
from functools import cache
from itertools import combinations

import pytest

from annotator.metrics.relations import (
    End,
    Relation,
    exact_holders,
    exact_matches,
    maximum_matching,
    overlap_matches,
    overlaps,
    relation_agreement,
    relation_f1,
)

TEXT = "Peskov and Lavrov said talks would resume, a spokesman told reporters."


def end(label, words):
    start = TEXT.index(words)
    return End(label, start, start + len(words))


SAID = end("Cue", "said")
PESKOV = end("Source", "Peskov")  # [0, 6)
LAVROV = end("Source", "Lavrov")  # [11, 17)
PESKOV_AND_LAVROV = end("Source", "Peskov and Lavrov")  # [0, 17)
SPOKESMAN = end("Source", "a spokesman")
TALKS = end("Content", "talks would resume")


def source(to_end, from_end=SAID):
    return Relation("source", from_end, to_end)


def content(to_end, from_end=SAID):
    return Relation("content", from_end, to_end)


def greedy_first_fit(a, b):
    """What a greedy matcher counts: each of A's relations, in order, takes the first free one of B it overlaps."""
    taken = set()
    for x in a:
        for j, y in enumerate(b):
            if (
                j not in taken
                and x.type == y.type
                and overlaps(x.from_end, y.from_end)
                and overlaps(x.to_end, y.to_end)
            ):
                taken.add(j)
                break
    return len(taken)


class TestRelationF1:
    def test_identical_sets_agree_fully(self):
        relations = [source(PESKOV), content(TALKS)]

        # 2 exact matches among 2 + 2 relations: 2·2 / 4
        assert relation_f1(relations, list(reversed(relations))) == (1.0, 1.0)

    def test_a_swapped_direction_is_no_match(self):
        # The same two Source spans joined both ways: each end must match the *same* end of the other.
        alice = [Relation("coreference", SPOKESMAN, PESKOV)]
        bob = [Relation("coreference", PESKOV, SPOKESMAN)]

        # 0 matches among 1 + 1: 2·0 / 2
        assert relation_f1(alice, bob) == (0.0, 0.0)

    def test_the_same_ends_with_another_type_is_no_match(self):
        assert relation_f1([source(PESKOV)], [content(PESKOV)]) == (0.0, 0.0)

    def test_ends_that_overlap_match_by_overlap_only(self):
        # "Peskov and Lavrov" [0, 17) and "Lavrov" [11, 17) share 6 characters, same label, same cue.
        exact, overlap = relation_f1([source(PESKOV_AND_LAVROV)], [source(LAVROV)])

        assert exact == 0.0  # 2·0 / 2
        assert overlap == 1.0  # 2·1 / 2

    def test_an_end_of_another_label_is_no_overlap(self):
        assert relation_f1([source(PESKOV)], [source(End("Content", *PESKOV[1:]))]) == (0.0, 0.0)

    def test_ends_touching_at_a_boundary_share_no_character(self):
        # Half-open ranges: [0, 5) and [5, 9) touch at 5 but share nothing; [0, 6) and [5, 9) share character 5.
        touching = relation_f1([source(End("Source", 0, 5))], [source(End("Source", 5, 9))])
        one_shared = relation_f1([source(End("Source", 0, 6))], [source(End("Source", 5, 9))])

        assert touching == (0.0, 0.0)
        assert one_shared == (0.0, 1.0)

    def test_the_matching_is_maximum_where_greedy_first_fit_undercounts(self):
        # alice's first source ("Peskov and Lavrov") overlaps both of bob's; her second ("Peskov") only bob's
        # first. Greedy: alice[0] takes bob[0], alice[1] finds nothing: 1. Maximum: alice[0]-bob[1] ("Lavrov")
        # and alice[1]-bob[0] ("Peskov"): 2.
        alice = [source(PESKOV_AND_LAVROV), source(PESKOV)]
        bob = [source(PESKOV), source(LAVROV)]

        assert greedy_first_fit(alice, bob) == 1
        assert overlap_matches(alice, bob) == 2
        # exact: said→Peskov on both sides, 2·1 / 4; overlap 2·2 / 4 (greedy would say 2·1 / 4 = 0.5)
        assert relation_f1(alice, bob) == (0.5, 1.0)

    def test_matches_are_one_to_one(self):
        # Two of alice's relations overlap bob's one: one match, 2·1 / 3.
        alice = [source(PESKOV), source(PESKOV_AND_LAVROV)]
        bob = [source(PESKOV)]

        assert relation_f1(alice, bob) == pytest.approx((2 / 3, 2 / 3))
        assert exact_matches(alice + alice, bob + bob) == 2  # a duplicate matches as often as both sides have it

    def test_one_side_without_relations_scores_zero_and_neither_side_none(self):
        assert relation_f1([source(PESKOV)], []) == (0.0, 0.0)
        assert relation_f1([], [source(PESKOV)]) == (0.0, 0.0)
        assert relation_f1([], []) == (None, None)

    def test_plain_tuples_do_as_well_as_the_named_ones(self):
        assert relation_f1([("source", ("Cue", 18, 22), ("Source", 0, 6))], [source(PESKOV)]) == (1.0, 1.0)


class TestExactHolders:
    def test_each_relation_counts_the_annotators_who_drew_it_exactly(self):
        holders = exact_holders({
            "alice": [source(PESKOV), content(TALKS)],
            "bob": [source(PESKOV), content(TALKS)],
            "carol": [source(PESKOV), source(LAVROV)],
        })

        assert holders == {"alice": [3, 2], "bob": [3, 2], "carol": [3, 1]}

    def test_an_overlapping_end_or_another_type_is_no_match(self):
        holders = exact_holders({"alice": [source(PESKOV)], "bob": [source(PESKOV_AND_LAVROV), content(PESKOV)]})

        assert holders == {"alice": [1], "bob": [1, 1]}

    def test_an_annotators_own_duplicate_counts_them_once(self):
        holders = exact_holders({"alice": [source(PESKOV), source(PESKOV)], "bob": []})

        assert holders == {"alice": [1, 1], "bob": []}


class TestRelationAgreement:
    def test_three_annotators_give_three_pairs_pooled_overall_and_by_type(self):
        alice = [source(PESKOV), content(TALKS)]
        bob = [source(PESKOV), content(TALKS)]
        carol = [source(PESKOV_AND_LAVROV)]

        figures = relation_agreement([{"carol": carol, "alice": alice, "bob": bob}])

        # (alice, bob): 2 exact (and overlap) matches among 2 + 2: 1.0, 1.0
        # (alice, carol): source overlaps only, 1 among 2 + 1: exact 0, overlap 2/3; (bob, carol) the same
        assert figures["pairs"] == [
            {"a": "alice", "b": "bob", "f1_exact": 1.0, "f1_overlap": 1.0},
            {"a": "alice", "b": "carol", "f1_exact": 0.0, "f1_overlap": pytest.approx(2 / 3)},
            {"a": "bob", "b": "carol", "f1_exact": 0.0, "f1_overlap": pytest.approx(2 / 3)},
        ]
        # content: 1 match in (alice, bob), sizes 2 + 1 + 1 over the three pairs: 2·1 / 4
        # source: exact 1 + 0 + 0, overlap 1 + 1 + 1, sizes 2 + 2 + 2: 2·1 / 6 and 2·3 / 6
        assert figures["types"] == [
            {"type": "content", "f1_exact": 0.5, "f1_overlap": 0.5},
            {"type": "source", "f1_exact": pytest.approx(1 / 3), "f1_overlap": 1.0},
        ]
        # every pair pooled: exact 2 + 0 + 0, overlap 2 + 1 + 1, sizes 4 + 3 + 3: 2·2 / 10 and 2·4 / 10
        assert figures["overall"] == pytest.approx({"f1_exact": 0.4, "f1_overlap": 0.8})

    def test_documents_pool_before_dividing(self):
        agreeing = {"alice": [source(PESKOV)], "bob": [source(PESKOV)]}  # 2·1 / 2 = 1
        disagreeing = {"alice": [source(LAVROV), source(SPOKESMAN), content(TALKS)], "bob": [source(PESKOV)]}  # 0

        figures = relation_agreement([agreeing, disagreeing])

        # micro: 1 match among (1 + 1) + (3 + 1) relations, 2·1 / 6; the mean of the documents' F1 would be 0.5
        assert figures["pairs"] == [{"a": "alice", "b": "bob", "f1_exact": 1 / 3, "f1_overlap": 1 / 3}]
        assert figures["overall"] == {"f1_exact": 1 / 3, "f1_overlap": 1 / 3}
        # source: 1 match among 2 + 3; content: alice's one alone
        assert figures["types"] == [
            {"type": "content", "f1_exact": 0.0, "f1_overlap": 0.0},
            {"type": "source", "f1_exact": 2 / 5, "f1_overlap": 2 / 5},
        ]

    def test_types_are_in_id_order_and_pairs_by_annotator(self):
        relations = [Relation(10, SAID, PESKOV), Relation(9, SAID, TALKS)]

        figures = relation_agreement([{3: relations, 1: relations, 2: []}])

        assert [row["type"] for row in figures["types"]] == [9, 10]
        assert [(row["a"], row["b"]) for row in figures["pairs"]] == [(1, 2), (1, 3), (2, 3)]

    def test_annotators_without_relations_leave_nothing_to_rest_on(self):
        figures = relation_agreement([{"alice": [], "bob": []}])

        assert figures == {
            "overall": {"f1_exact": None, "f1_overlap": None},
            "types": [],
            "pairs": [{"a": "alice", "b": "bob", "f1_exact": None, "f1_overlap": None}],
        }

    def test_one_sided_relations_score_zero_not_none(self):
        figures = relation_agreement([{"alice": [source(PESKOV)], "bob": []}])

        assert figures == {
            "overall": {"f1_exact": 0.0, "f1_overlap": 0.0},
            "types": [{"type": "source", "f1_exact": 0.0, "f1_overlap": 0.0}],
            "pairs": [{"a": "alice", "b": "bob", "f1_exact": 0.0, "f1_overlap": 0.0}],
        }

    def test_no_documents_and_lone_annotators_are_not_compared(self):
        empty = {"overall": {"f1_exact": None, "f1_overlap": None}, "types": [], "pairs": []}

        assert relation_agreement([]) == empty
        assert relation_agreement([{"alice": [source(PESKOV)]}]) == empty

    def test_a_pair_that_shared_no_document_is_absent(self):
        figures = relation_agreement([{"alice": [source(PESKOV)], "bob": []}, {"carol": [], "dan": []}])

        assert [(row["a"], row["b"]) for row in figures["pairs"]] == [("alice", "bob"), ("carol", "dan")]


# ---------------------------------------------------------------------------------------------------------------
# Random data against brute force.


def brute_force_matching(a, b, match):
    """The largest number of disjoint (x, y) pairs with match(x, y), trying every assignment."""

    @cache
    def best(i, free):
        if i == len(a):
            return 0
        skip = best(i + 1, free)
        return max([skip] + [1 + best(i + 1, free - {j}) for j in free if match(a[i], b[j])])

    return best(0, frozenset(range(len(b))))


def exactly(x, y):
    return x == y


def by_overlap(x, y):
    return x.type == y.type and overlaps(x.from_end, y.from_end) and overlaps(x.to_end, y.to_end)


def random_relations(rng, most):
    """Relations of two types between short ends of two labels on a 16-character text, often overlapping, some
    duplicated, now and then a long end (which widens overlap_candidates' window)."""

    def random_end():
        start = rng.randrange(16)
        return End(rng.choice("XY"), start, start + (rng.randint(1, 3) if rng.random() < 0.9 else 12))

    relations = [Relation(rng.choice((1, 2)), random_end(), random_end()) for _ in range(rng.randint(0, most))]
    if relations and rng.random() < 0.2:
        relations.append(relations[0])
    return relations


class TestAgainstBruteForce:
    @pytest.mark.parametrize("seed", range(200))
    def test_matchings_are_maximum_and_symmetric(self, seed):
        rng = random.Random(seed)
        a, b = random_relations(rng, 6), random_relations(rng, 6)

        assert overlap_matches(a, b) == overlap_matches(b, a) == brute_force_matching(a, b, by_overlap)
        assert exact_matches(a, b) == exact_matches(b, a) == brute_force_matching(a, b, exactly)
        exact, overlap = relation_f1(a, b)
        assert (exact, overlap) == relation_f1(b, a)
        if exact is not None:
            assert exact <= overlap

    @pytest.mark.parametrize("seed", range(200))
    def test_maximum_matching_on_random_bipartite_graphs(self, seed):
        rng = random.Random(seed)
        left, right, density = rng.randint(0, 12), rng.randint(0, 12), rng.random() ** 2
        candidates = [[v for v in range(right) if rng.random() < density] for _ in range(left)]

        expected = brute_force_matching(range(left), range(right), lambda u, v: v in candidates[u])

        assert maximum_matching(candidates) == expected

    def test_a_graph_that_needs_a_second_phase_of_augmenting_paths(self):
        # Found by searching random graphs (about one in 2,500 needs it): after the greedy start, one phase of
        # augmenting paths reaches 4 and leaves a path it marked as a dead end; the maximum is 5
        # (0-0, 1-4, 3-3, 5-1, 6-2), all five right vertices being used.
        candidates = [[0], [1, 3, 4], [0], [0, 1, 2, 3], [0, 1], [1], [0, 2]]

        assert maximum_matching(candidates) == 5

    @pytest.mark.parametrize("seed", range(30))
    def test_the_report_equals_matching_each_documents_relations_whole(self, seed):
        # relation_agreement matches type by type; matching a document's relations all at once must agree.
        rng = random.Random(seed)
        documents = [
            {coder: random_relations(rng, 5) for coder in rng.sample("abcd", rng.randint(2, 4))}
            for _ in range(rng.randint(1, 3))
        ]

        figures = relation_agreement(documents)

        sums = {}
        for annotations in documents:
            for pair in combinations(sorted(annotations), 2):
                a, b = annotations[pair[0]], annotations[pair[1]]
                exact, overlap, size = sums.get(pair, (0, 0, 0))
                sums[pair] = (
                    exact + brute_force_matching(a, b, exactly),
                    overlap + brute_force_matching(a, b, by_overlap),
                    size + len(a) + len(b),
                )

        def f1(matches, size):
            return 2 * matches / size if size else None

        assert figures["pairs"] == [
            {"a": a, "b": b, "f1_exact": f1(exact, size), "f1_overlap": f1(overlap, size)}
            for (a, b), (exact, overlap, size) in sorted(sums.items())
        ]
        exact, overlap, size = (sum(column) for column in zip(*sums.values(), strict=True))
        assert figures["overall"] == {"f1_exact": f1(exact, size), "f1_overlap": f1(overlap, size)}

"""annotator/metrics/suggestions.py: acceptance rate, and precision and recall of a source of suggestions against
gold, worked by hand."""

import pytest

from annotator.metrics.suggestions import Item, acceptance_rate, gold_counts, precision_recall, ratio

TEXT = "Peskov told reporters the talks would resume, according to a ministry statement."


def item(document, label, words):
    start = TEXT.index(words)
    return Item(document, label, start, start + len(words))


PESKOV = item(1, "Source", "Peskov")
TOLD = item(1, "Cue", "told reporters")
TALKS = item(1, "Content", "the talks would resume")
ACCORDING = item(1, "Cue", "according to")
MINISTRY = item(1, "Source", "a ministry statement")


class TestRatio:
    def test_a_share_of_a_whole(self):
        assert ratio(3, 4) == 0.75

    def test_nothing_to_rest_on_is_none(self):
        assert ratio(0, 0) is None


class TestAcceptanceRate:
    def test_is_the_share_of_decisions_that_accepted(self):
        assert acceptance_rate(accepted=6, rejected=2) == 0.75

    def test_all_rejected_is_zero(self):
        assert acceptance_rate(accepted=0, rejected=5) == 0.0

    def test_before_any_decision_there_is_none(self):
        assert acceptance_rate(accepted=0, rejected=0) is None


class TestPrecisionRecall:
    def test_matches_over_suggestions_and_over_gold(self):
        assert precision_recall(matches=3, suggestions=4, gold=6) == (0.75, 0.5)

    def test_no_suggestions_on_gold_documents_leaves_precision_open_and_recall_zero(self):
        assert precision_recall(matches=0, suggestions=0, gold=6) == (None, 0.0)

    def test_without_gold_neither_rests_on_anything(self):
        assert precision_recall(matches=0, suggestions=0, gold=0) == (None, None)


class TestGoldCounts:
    def test_a_match_has_the_same_document_label_start_and_end(self):
        gold = [PESKOV, TOLD, TALKS]
        suggestions = [
            PESKOV,  # a match
            TOLD._replace(label="Source"),  # the right words, the wrong label
            TALKS._replace(end=TALKS.end + 1),  # one character too long
            ACCORDING,  # not in gold
        ]

        counts = gold_counts(suggestions, gold)

        assert counts == {"documents": 1, "suggestions": 4, "spans": 3, "matches": 1}
        assert precision_recall(matches=counts["matches"], suggestions=counts["suggestions"], gold=counts["spans"]) == (
            0.25,
            1 / 3,
        )

    def test_the_same_span_on_another_document_is_no_match(self):
        gold = [PESKOV, PESKOV._replace(document=2)]

        counts = gold_counts([PESKOV._replace(document=2), TOLD._replace(document=2)], gold)

        assert counts == {"documents": 2, "suggestions": 2, "spans": 2, "matches": 1}

    def test_suggestions_on_documents_without_gold_are_not_judged(self):
        gold = [PESKOV, MINISTRY]
        suggestions = [PESKOV, PESKOV._replace(document=7), TOLD._replace(document=7), ACCORDING._replace(document=8)]

        counts = gold_counts(suggestions, gold)

        assert counts == {"documents": 1, "suggestions": 1, "spans": 2, "matches": 1}

    def test_recall_counts_gold_documents_the_source_never_suggested_on(self):
        gold = [PESKOV, TOLD, PESKOV._replace(document=2), TOLD._replace(document=2)]

        counts = gold_counts([PESKOV, TOLD], gold)

        assert (counts["matches"], counts["spans"]) == (2, 4)
        assert precision_recall(matches=2, suggestions=counts["suggestions"], gold=counts["spans"]) == (1.0, 0.5)

    def test_a_suggestion_given_twice_is_one_suggestion(self):
        counts = gold_counts([PESKOV, PESKOV, TOLD], [PESKOV])

        assert counts == {"documents": 1, "suggestions": 2, "spans": 1, "matches": 1}

    @pytest.mark.parametrize("gold", [[], ()])
    def test_without_gold_nothing_is_judged(self, gold):
        assert gold_counts([PESKOV, TOLD], gold) == {"documents": 0, "suggestions": 0, "spans": 0, "matches": 0}

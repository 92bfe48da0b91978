"""annotator/recommenders/attribution.py: reported speech on hand-made sentences, and its precision and recall
against the hand-annotated gold set in tests/unit/attribution_gold.py."""

import random
import time
from collections import Counter

import pytest

from annotator.recommenders.attribution import Attribution, clean_config
from annotator.recommenders.base import ConfigError
from tests.unit.attribution_gold import GOLD, GOLD_HELD_OUT

SOURCE, CUE, CONTENT = 11, 12, 13
NAMES = {SOURCE: "Source", CUE: "Cue", CONTENT: "Content"}
RECOMMENDER = Attribution({"source": SOURCE, "cue": CUE, "content": CONTENT})


def found(text):
    """(label name, text) of each suggestion, in text order."""
    suggestions = RECOMMENDER.suggest(text)
    assert all(0 <= s["start"] < s["end"] <= len(text) and 0 <= s["score"] <= 1 for s in suggestions)
    return [(NAMES[s["label"]], text[s["start"] : s["end"]]) for s in suggestions]


def overlaps(a, b):
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def figures(gold_set):
    """{label: (exact P, exact R, overlap P, overlap R)} of the recommender over a gold set, pooled over its
    paragraphs. Overlap: a suggestion counts if it overlaps a gold span of its label, a gold span if a suggestion
    of its label overlaps it."""
    counts = Counter()
    for text, gold in gold_set:
        got = [(NAMES[s["label"]], s["start"], s["end"]) for s in RECOMMENDER.suggest(text)]
        for span in got:
            counts[span[0], "suggested"] += 1
            counts[span[0], "exact"] += span in gold
            counts[span[0], "overlap_p"] += any(overlaps(span, g) for g in gold)
        for span in gold:
            counts[span[0], "gold"] += 1
            counts[span[0], "overlap_r"] += any(overlaps(span, s) for s in got)
    return {
        label: (
            counts[label, "exact"] / counts[label, "suggested"],
            counts[label, "exact"] / counts[label, "gold"],
            counts[label, "overlap_p"] / counts[label, "suggested"],
            counts[label, "overlap_r"] / counts[label, "gold"],
        )
        for label in NAMES.values()
    }


class TestAgainstTheGoldSet:
    """Figures reached (exact P / R, overlap P / R), pooled over paragraphs:

    development set (14 paragraphs, 47 attributions, 27 quotations; the rules were written against it):
        Source 1.00 / 0.91, overlap 1.00 / 0.91; Cue 1.00 / 0.91, overlap 1.00 / 0.91;
        Content 0.98 / 0.90, overlap 1.00 / 0.92
    held-out set (7 paragraphs, 21 attributions, 11 quotations; annotated after the rules, never run before):
        Source 0.88 / 0.70, overlap 1.00 / 0.80; Cue 1.00 / 0.76, overlap 1.00 / 0.76;
        Content 0.94 / 0.74, overlap 1.00 / 0.78
    Misses are verbs outside the lexicon (blamed, accused, rejected, dispute, call), nominal objects after a verb
    ("promised compensation"), a participle ("saying …") and an adverb before the verb kept in the source.
    """

    DEVELOPMENT = {
        "Source": (1.0, 0.91, 1.0, 0.91),
        "Cue": (1.0, 0.91, 1.0, 0.91),
        "Content": (0.97, 0.89, 1.0, 0.92),
    }
    HELD_OUT = {
        "Source": (0.87, 0.70, 1.0, 0.80),
        "Cue": (1.0, 0.76, 1.0, 0.76),
        "Content": (0.94, 0.73, 1.0, 0.78),
    }

    def test_the_gold_set_has_enough_quotations(self):
        quoted = [
            text[start:end]
            for text, gold in GOLD
            for label, start, end in gold
            if label == "Content" and text[:start].rstrip(" ")[-1:] in ('"', "“", "„", "«")
        ]
        assert len(quoted) >= 25

    @pytest.mark.parametrize("label", ["Source", "Cue", "Content"])
    def test_figures_on_the_development_set_hold(self, label):
        measured = figures(GOLD)[label]
        assert all(m >= floor for m, floor in zip(measured, self.DEVELOPMENT[label], strict=True)), measured

    @pytest.mark.parametrize("label", ["Source", "Cue", "Content"])
    def test_figures_on_the_held_out_set_hold(self, label):
        measured = figures(GOLD_HELD_OUT)[label]
        assert all(m >= floor for m, floor in zip(measured, self.HELD_OUT[label], strict=True)), measured


class TestQuotations:
    @pytest.mark.parametrize(
        "opening, closing", [('"', '"'), ("“", "”"), ("« ", " »"), ("«", "»"), ("„", "“"), ("„", "”")]
    )
    def test_every_kind_of_quotation_mark_gives_the_quoted_words_as_content(self, opening, closing):
        text = f"{opening}The bridge will reopen in May{closing}, the mayor said."
        assert found(text) == [
            ("Content", "The bridge will reopen in May"),
            ("Source", "the mayor"),
            ("Cue", "said"),
        ]

    def test_the_speaker_may_follow_the_verb(self):
        text = '"We were never told," said Anja Petrov, a tenant in the block.'
        assert found(text) == [("Content", "We were never told"), ("Cue", "said"), ("Source", "Anja Petrov")]

    def test_a_colon_introduces_the_quotation_after_the_verb(self):
        text = "The minister replied: “There will be no second vote.”"
        assert found(text) == [
            ("Source", "The minister"),
            ("Cue", "replied"),
            ("Content", "There will be no second vote."),
        ]

    def test_a_quotation_split_by_its_attribution_is_two_contents(self):
        text = '"It is cold," he said, "but we will stay."'
        assert found(text) == [
            ("Content", "It is cold"),
            ("Source", "he"),
            ("Cue", "said"),
            ("Content", "but we will stay."),
        ]

    def test_scare_quotes_are_not_suggested(self):
        assert found('The so-called "peace dividend" never came, and the "reform" stalled.') == []

    def test_a_long_quotation_opening_a_sentence_is_content_on_its_own(self):
        assert found("She paused. “Nobody here wants another winter like that.”") == [
            ("Content", "Nobody here wants another winter like that.")
        ]

    def test_a_reporting_verb_inside_a_quotation_is_not_a_cue(self):
        text = '"Everyone said it could not be done," Tove Lund told the crowd.'
        assert found(text) == [
            ("Content", "Everyone said it could not be done"),
            ("Source", "Tove Lund"),
            ("Cue", "told"),
        ]


class TestReportedClauses:
    def test_a_that_clause_after_the_verb_is_the_content(self):
        text = "The Kremlin's spokesman said on Monday that the talks had stalled. Nothing else was said."
        assert found(text) == [
            ("Source", "The Kremlin's spokesman"),
            ("Cue", "said"),
            ("Content", "the talks had stalled"),
        ]

    def test_according_to_before_the_clause(self):
        text = "According to the coast guard, three boats were missing."
        assert found(text) == [
            ("Cue", "According to"),
            ("Source", "the coast guard"),
            ("Content", "three boats were missing"),
        ]

    def test_according_to_after_the_clause(self):
        text = "Three boats were missing, according to the coast guard."
        assert found(text) == [
            ("Content", "Three boats were missing"),
            ("Cue", "according to"),
            ("Source", "the coast guard"),
        ]

    def test_an_abbreviated_title_stays_in_the_speaker(self):
        text = '"The data are clear," says Prof. Ida Ek of the institute.'
        assert ("Source", "Prof. Ida Ek of the institute") in found(text)

    def test_a_verb_with_nothing_reported_is_not_suggested(self):
        assert found("The committee was told to wait. She asked.") == []


class TestOffsetsAndConfig:
    def test_offsets_are_code_points_after_an_emoji(self):
        text = '🇺🇦🔥 "Hold the line," said Oksana Bilyk.'
        suggestions = RECOMMENDER.suggest(text)
        assert [text[s["start"] : s["end"]] for s in suggestions] == ["Hold the line", "said", "Oksana Bilyk"]

    def test_empty_text_gives_nothing(self):
        assert RECOMMENDER.suggest("") == []

    def test_a_clean_config_names_three_label_ids(self):
        assert clean_config({"source": 1, "cue": 2, "content": 3}) == {"source": 1, "cue": 2, "content": 3}

    @pytest.mark.parametrize(
        "config, field",
        [
            ({"cue": 2, "content": 3}, "source"),
            ({"source": 1, "cue": "Cue", "content": 3}, "cue"),
            ({"source": 1, "cue": 2, "content": 3, "model": "x"}, "model"),
            ("Source", ""),
        ],
    )
    def test_a_bad_config_raises_an_error_naming_the_key(self, config, field):
        with pytest.raises(ConfigError) as error:
            Attribution(config)
        assert error.value.field == field


class TestAnyText:
    def test_random_marks_and_verbs_give_only_spans_inside_the_text(self):
        rng = random.Random(16)
        pieces = ['"', "“", "”", "„", "«", "»", ",", ".", ":", " ", "\n", "said", "told", "that", "according to"]
        pieces += ["He", "the", "Dr.", "x", "?", "🇺🇦", "\u0301"]
        for _ in range(2000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
            for s in RECOMMENDER.suggest(text):
                assert 0 <= s["start"] < s["end"] <= len(text), (text, s)

    def test_a_million_characters_without_a_full_stop_take_well_under_a_job_budget(self):
        text = "the minister said that the plan " * 31_250
        started = time.process_time()
        RECOMMENDER.suggest(text)
        assert time.process_time() - started < 5

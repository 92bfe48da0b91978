"""annotator/recommenders lexicon and memory (SPEC "Suggestions"): word-bounded phrase matches on hand-made texts,
Unicode edges, case folding that changes lengths, and the config errors the API turns into a 400."""

import random

import pytest

from annotator.recommenders.base import ConfigError
from annotator.recommenders.lexicon import Lexicon, clean_config, labels
from annotator.recommenders.matcher import fold, word_bounded
from annotator.recommenders.memory import Memory, learn

CUE, SOURCE, PLACE = 1, 2, 3


def lexicon(*pairs, **options):
    return Lexicon({"entries": [{"label": label, "phrase": phrase} for label, phrase in pairs], **options})


def found(recommender, text):
    """(label, the text matched) of each suggestion, in order; also checks the offsets are inside the text."""
    suggestions = recommender.suggest(text)
    assert all(0 <= s["start"] < s["end"] <= len(text) for s in suggestions)
    return [(s["label"], text[s["start"] : s["end"]]) for s in suggestions]


class TestLexiconMatches:
    def test_every_occurrence_is_suggested_with_code_point_offsets(self):
        text = "The ministry said; later the Ministry said it again."
        suggestions = lexicon((CUE, "said")).suggest(text)
        assert [(s["start"], s["end"]) for s in suggestions] == [(13, 17), (38, 42)]
        assert {s["score"] for s in suggestions} == {1.0}

    def test_a_phrase_inside_a_longer_word_is_not_suggested(self):
        assert found(lexicon((CUE, "said")), "unsaid, saidst, said_x, 2said") == []

    def test_punctuation_and_line_ends_are_boundaries(self):
        text = '(said)\n"said"—said.'
        assert found(lexicon((CUE, "said")), text) == [(CUE, "said")] * 3

    def test_case_is_folded_unless_the_config_says_otherwise(self):
        text = "EU sanctions; eu officials"
        assert found(lexicon((PLACE, "EU")), text) == [(PLACE, "EU"), (PLACE, "eu")]
        assert found(lexicon((PLACE, "EU"), case_sensitive=True), text) == [(PLACE, "EU")]

    def test_overlapping_phrases_are_all_suggested(self):
        text = "The White House press secretary spoke."
        matcher = lexicon((SOURCE, "White House"), (SOURCE, "White House press secretary"), (PLACE, "House"))
        result = found(matcher, text)
        assert result == [(SOURCE, "White House"), (SOURCE, "White House press secretary"), (PLACE, "House")]

    def test_one_phrase_under_two_labels_gives_two_suggestions(self):
        result = found(lexicon((CUE, "warned"), (SOURCE, "warned")), "She warned.")
        assert result == [(CUE, "warned"), (SOURCE, "warned")]

    def test_the_same_entry_twice_gives_one_suggestion(self):
        assert found(lexicon((CUE, "said"), (CUE, "SAID")), "he said") == [(CUE, "said")]

    @pytest.mark.parametrize(
        "phrase, text",
        [("a.b", "a.b axb"), ("(x", "f (x) and fx"), ("c++", "c++ and c"), (".*", "x .* y"), ("[a-z]", "[a-z] q")],
    )
    def test_phrases_are_plain_text_never_patterns(self, phrase, text):
        assert found(lexicon((PLACE, phrase)), text) == [(PLACE, phrase)]

    def test_no_text_and_no_match_give_nothing(self):
        assert found(lexicon((CUE, "said")), "") == []
        assert found(lexicon((CUE, "said")), "nothing here") == []


class TestLexiconUnicode:
    def test_cyrillic_words_are_bounded_like_latin_ones(self):
        text = "Песков заявил, что Пескова нет; ПЕСКОВ."
        assert found(lexicon((SOURCE, "Песков")), text) == [(SOURCE, "Песков"), (SOURCE, "ПЕСКОВ")]

    def test_accented_letters_are_part_of_the_word(self):
        assert found(lexicon((PLACE, "Mal")), "Malmö and Malé, not Mal-") == [(PLACE, "Mal")]
        assert found(lexicon((PLACE, "Malmö")), "Malmö and MALMÖ") == [(PLACE, "Malmö"), (PLACE, "MALMÖ")]

    def test_a_combining_accent_after_the_phrase_continues_the_word(self):
        text = "cafe\u0301 and cafe"
        assert [(s["start"], s["end"]) for s in lexicon((PLACE, "cafe")).suggest(text)] == [(10, 14)]

    def test_a_phrase_ending_in_a_combining_accent_is_found_whole(self):
        text = "the cafe\u0301 opened"
        assert found(lexicon((PLACE, "cafe\u0301")), text) == [(PLACE, "cafe\u0301")]

    @pytest.mark.parametrize("before", ["🇺🇦", "❤️", "👩\u200d💻", "👍🏽", "…"])
    def test_an_emoji_right_before_the_phrase_keeps_the_offsets_exact(self, before):
        text = f"{before}Kyiv said"
        start = len(before)
        suggestions = lexicon((PLACE, "Kyiv")).suggest(text)
        assert [(s["start"], s["end"]) for s in suggestions] == [(start, start + 4)]

    def test_unspaced_scripts_match_inside_a_run_of_characters(self):
        assert found(lexicon((PLACE, "北京")), "我在北京工作。") == [(PLACE, "北京")]
        assert found(lexicon((PLACE, "東京")), "東京都の発表") == [(PLACE, "東京")]


class TestCaseFoldingThatChangesLength:
    def test_sharp_s_folds_to_two_letters_and_offsets_map_back(self):
        text = "Die Straße, die STRASSE, die strasse."
        result = lexicon((PLACE, "strasse")).suggest(text)
        assert [text[s["start"] : s["end"]] for s in result] == ["Straße", "STRASSE", "strasse"]
        assert [(s["start"], s["end"]) for s in result] == [(4, 10), (16, 23), (29, 36)]

    def test_offsets_after_a_lengthening_fold_still_point_at_the_phrase(self):
        text = "ßß İİ Maß said"
        assert found(lexicon((CUE, "said")), text) == [(CUE, "said")]
        assert lexicon((CUE, "said")).suggest(text)[0]["start"] == text.index("said")

    def test_dotted_capital_i_is_found_by_its_own_folding(self):
        text = "İstanbul and istanbul"
        assert found(lexicon((PLACE, "İstanbul")), text) == [(PLACE, "İstanbul")]
        assert found(lexicon((PLACE, "istanbul")), text) == [(PLACE, "istanbul")]

    def test_a_phrase_is_never_found_in_half_of_a_folded_character(self):
        assert found(lexicon((PLACE, "s")), "ß") == []
        assert found(lexicon((PLACE, "fi")), "ﬁ") == [(PLACE, "ﬁ")]

    def test_fold_maps_every_original_character(self):
        folded, starts, ends = fold("aßb")
        assert folded == "assb"
        assert starts == {0: 0, 1: 1, 3: 2}
        assert ends == {1: 1, 3: 2, 4: 3}


class TestLexiconConfig:
    def test_a_clean_config_is_trimmed_and_given_defaults(self):
        config = clean_config({"entries": [{"label": CUE, "phrase": "  said "}]})
        assert config == {"entries": [{"label": CUE, "phrase": "said"}], "case_sensitive": False, "score": 1.0}
        assert labels(config) == [CUE]

    def test_the_score_is_configurable(self):
        assert lexicon((CUE, "said"), score=0.4).suggest("said")[0]["score"] == 0.4

    @pytest.mark.parametrize(
        "config, field",
        [
            ({"entries": [{"label": CUE, "phrase": ""}]}, "entries[0].phrase"),
            ({"entries": [{"label": CUE, "phrase": "ok"}, {"label": CUE, "phrase": " \t\n"}]}, "entries[1].phrase"),
            ({"entries": [{"label": CUE, "phrase": 7}]}, "entries[0].phrase"),
            ({"entries": [{"label": "Cue", "phrase": "said"}]}, "entries[0].label"),
            ({"entries": [{"label": True, "phrase": "said"}]}, "entries[0].label"),
            ({"entries": [{"phrase": "said"}]}, "entries[0]"),
            ({"entries": ["said"]}, "entries[0]"),
            ({"entries": []}, "entries"),
            ({}, "entries"),
            ({"entries": [{"label": CUE, "phrase": "x"}], "case_sensitive": "no"}, "case_sensitive"),
            ({"entries": [{"label": CUE, "phrase": "x"}], "score": 1.5}, "score"),
            ({"entries": [{"label": CUE, "phrase": "x"}], "regex": True}, "regex"),
            ([], ""),
        ],
    )
    def test_a_bad_config_raises_an_error_naming_the_entry(self, config, field):
        with pytest.raises(ConfigError) as error:
            Lexicon(config)
        assert error.value.field == field
        assert error.value.status == 400
        assert error.value.detail["config"][0].startswith(field)


class TestMemory:
    def test_each_text_gets_its_most_frequent_label_with_its_share_as_score(self):
        learned = learn([("Kremlin", SOURCE), ("kremlin", SOURCE), ("KREMLIN", PLACE), ("said", CUE)])
        assert sorted(learned, key=lambda e: e[1]) == [("said", CUE, 1.0), ("Kremlin", SOURCE, 2 / 3)]

    def test_a_tie_goes_to_the_lowest_label_id(self):
        assert learn([("Kyiv", PLACE), ("Kyiv", SOURCE)]) == [("Kyiv", SOURCE, 0.5)]

    def test_blank_training_texts_are_skipped(self):
        assert learn([("  ", CUE), ("", CUE)]) == []

    def test_learned_texts_are_suggested_wherever_they_occur_case_folded(self):
        memory = Memory([("the Kremlin", SOURCE), ("The Kremlin", SOURCE), ("told", CUE)])
        text = "THE KREMLIN told reporters; the Kremlin's line, the Kremlinology."
        assert found(memory, text) == [(SOURCE, "THE KREMLIN"), (CUE, "told"), (SOURCE, "the Kremlin")]

    def test_memory_without_training_suggests_nothing(self):
        assert Memory([]).suggest("anything at all") == []


class TestAnyText:
    def test_every_match_folds_to_its_phrase_and_is_word_bounded_in_random_text(self):
        rng = random.Random(16)
        pieces = ["ß", "ss", "S", "İ", "i", "\u0307", "\u0301", "a", "A", " ", ".", "🇺🇦", "北", "_", "\n"]
        phrases = ["ss", "is", "a", "sa", "i\u0307", "北"]
        matcher = lexicon(*((PLACE, phrase) for phrase in phrases))
        for _ in range(3000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
            for s in matcher.suggest(text):
                matched = text[s["start"] : s["end"]]
                assert matched.casefold() in {p.casefold() for p in phrases}, (text, s)
                assert word_bounded(text, s["start"], s["end"])

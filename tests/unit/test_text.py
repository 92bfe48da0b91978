"""annotator/text.py: line endings, UTF-16 lengths and the agreement tokenisation (SPEC "Offsets", "Agreement")."""

import pytest

from annotator.text import DIFF_MAX_LINES, TOKEN_RE, line_diff, normalize_newlines, tokenize, utf16_length

FAMILY = "👨\u200d👩\u200d👧"  # man, ZWJ, woman, ZWJ, girl: 5 code points
THUMBS_MEDIUM = "👍🏽"  # thumbs up + skin tone modifier: 2 code points
FLAG_UA = "🇺🇦"  # two regional indicators
E_ACUTE_COMBINING = "e\u0301"  # e + COMBINING ACUTE ACCENT


class TestNormalizeNewlines:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("one\r\ntwo", "one\ntwo"),
            ("one\rtwo", "one\ntwo"),
            ("one\ntwo", "one\ntwo"),
            ("a\r\n\r\nb", "a\n\nb"),
            ("a\r\r\nb", "a\n\nb"),
            ("a\n\rb", "a\n\nb"),
            ("\r\n", "\n"),
            ("\r", "\n"),
            ("end\r\n", "end\n"),
            ("", ""),
        ],
        ids=repr,
    )
    def test_crlf_and_lone_cr_become_lf(self, text, expected):
        assert normalize_newlines(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "tab\tand  two spaces ",
            "line\u2028separator and paragraph\u2029separator",
            "next\x85line",
            "form\x0cfeed and vertical\x0btab",
            f"{FAMILY} {THUMBS_MEDIUM} {FLAG_UA} caf{E_ACUTE_COMBINING}",
            "  leading and trailing  \n",
        ],
        ids=repr,
    )
    def test_everything_else_is_left_exactly_as_given(self, text):
        assert normalize_newlines(text) == text

    def test_code_points_after_a_crlf_shift_left_by_one_per_crlf(self):
        text = "a\r\nb\r\nc"

        normalized = normalize_newlines(text)

        assert normalized.index("c") == text.index("c") - 2


class TestUtf16Length:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", 0),
            ("plain", 5),
            ("Ілля Коваль", 11),
            ("قال المتحدث", 11),
            ("外交部", 3),
            ("é", 1),
            (E_ACUTE_COMBINING, 2),
            ("😀", 2),
            ("𝔸", 2),
            (THUMBS_MEDIUM, 4),
            (FLAG_UA, 4),
            (FAMILY, 8),
            (f"a{FAMILY}b", 10),
            ("\n", 1),
        ],
        ids=repr,
    )
    def test_counts_utf16_code_units(self, text, expected):
        assert utf16_length(text) == expected

    @pytest.mark.parametrize("text", ["plain", "Ілля", "قال", "外交部", E_ACUTE_COMBINING, "\uffff"], ids=repr)
    def test_equals_the_code_point_length_inside_the_basic_multilingual_plane(self, text):
        assert utf16_length(text) == len(text)

    @pytest.mark.parametrize("text", ["😀", "𝔸", THUMBS_MEDIUM, FLAG_UA, FAMILY, "\U00010000", "\U0010ffff"], ids=repr)
    def test_each_astral_code_point_takes_two_units(self, text):
        astral = sum(1 for ch in text if ord(ch) > 0xFFFF)

        assert astral > 0
        assert utf16_length(text) == len(text) + astral


class TestTokenize:
    def test_words_and_punctuation_are_separate_tokens_with_code_point_offsets(self):
        text = 'Peskov told reporters: "No."'

        tokens = tokenize(text)

        assert [text[s:e] for s, e in tokens] == ["Peskov", "told", "reporters", ":", '"', "No", ".", '"']
        assert tokens[:3] == [(0, 6), (7, 11), (12, 21)]

    def test_each_punctuation_character_is_its_own_token(self):
        text = "wait...!?"

        assert [text[s:e] for s, e in tokenize(text)] == ["wait", ".", ".", ".", "!", "?"]

    def test_an_apostrophe_splits_a_word(self):
        text = "don't"

        assert [text[s:e] for s, e in tokenize(text)] == ["don", "'", "t"]

    def test_digits_and_underscores_belong_to_words(self):
        text = "COVID_19 in 2024"

        assert [text[s:e] for s, e in tokenize(text)] == ["COVID_19", "in", "2024"]

    def test_white_space_of_any_kind_separates_and_is_never_a_token(self):
        text = "a\tb\nc\u00a0d\u2028e  "

        assert [text[s:e] for s, e in tokenize(text)] == ["a", "b", "c", "d", "e"]

    @pytest.mark.parametrize("text", ["", " ", "\n\t \u3000"], ids=repr)
    def test_blank_text_has_no_tokens(self, text):
        assert tokenize(text) == []

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Ілля Коваль заявив.", ["Ілля", "Коваль", "заявив", "."]),
            ("قال المتحدث.", ["قال", "المتحدث", "."]),
            ("外交部发言人表示，谈判", ["外交部发言人表示", "，", "谈判"]),
            ("𝔸𝔹 and 𐍈", ["𝔸𝔹", "and", "𐍈"]),
        ],
        ids=["cyrillic", "arabic", "cjk", "astral-letters"],
    )
    def test_letters_of_any_script_form_words(self, text, expected):
        assert [text[s:e] for s, e in tokenize(text)] == expected

    def test_an_emoji_with_its_modifier_and_a_flag_are_one_token_each(self):
        text = f"ok {THUMBS_MEDIUM} {FLAG_UA}"

        tokens = tokenize(text)

        assert [text[s:e] for s, e in tokens] == ["ok", THUMBS_MEDIUM, FLAG_UA]

    def test_a_zwj_sequence_is_one_token(self):
        assert tokenize(FAMILY) == [(0, 5)]

    def test_a_combining_accent_stays_in_its_word(self):
        cafe = f"caf{E_ACUTE_COMBINING}"
        text = f"{cafe} café {cafe}s"

        assert [text[s:e] for s, e in tokenize(text)] == [cafe, "café", f"{cafe}s"]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("❤️!", ["❤️", "!"]),  # heart + VARIATION SELECTOR-16 (emoji presentation)
            ("1️⃣ 2", ["1️⃣", "2"]),  # keycap one: a word character with its marks
            ("नमस्ते दुनिया", ["नमस्ते", "दुनिया"]),  # Devanagari vowel signs and virama are marks, not \\w
            (f"{FLAG_UA}{FLAG_UA}", [FLAG_UA, FLAG_UA]),  # regional indicators pair up, two flags two tokens
            (f"{THUMBS_MEDIUM}{THUMBS_MEDIUM}", [THUMBS_MEDIUM, THUMBS_MEDIUM]),
            ("a\u200db", ["a\u200db"]),  # a joiner between letters joins them
        ],
        ids=["vs16", "keycap", "devanagari", "two-flags", "two-emoji", "zwj-in-word"],
    )
    def test_no_grapheme_cluster_is_split(self, text, expected):
        assert [text[s:e] for s, e in tokenize(text)] == expected

    def test_a_mark_on_white_space_belongs_to_the_white_space(self):
        text = "a \u0301b"

        assert [text[s:e] for s, e in tokenize(text)] == ["a", "b"]

    def test_ascii_text_gives_the_regular_expressions_matches(self):
        text = "Peskov's aide--no, \"the envoy\"--said: talks_2 resume\r\nat 9:30 (UTC)+1 @ #room!\x1c\x7f"

        assert tokenize(text) == [m.span() for m in TOKEN_RE.finditer(text)]

    def test_offsets_count_code_points_not_utf16_units(self):
        text = f"{FAMILY} {THUMBS_MEDIUM} talks resume"

        tokens = tokenize(text)

        assert tokens == [(0, 5), (6, 8), (9, 14), (15, 21)]
        assert text[9:14] == "talks"


class TestLineDiff:
    def test_a_changed_line_is_removed_then_added_with_its_neighbours_around_it(self):
        old = "\n".join(["one", "two", "three", "four", "five", "six", "seven"])
        new = "\n".join(["one", "two", "three", "FOUR", "five", "six", "seven"])

        assert line_diff(old, new) == [
            ("…", ""),
            (" ", "two"),
            (" ", "three"),
            ("-", "four"),
            ("+", "FOUR"),
            (" ", "five"),
            (" ", "six"),
            ("…", ""),
        ]

    def test_from_nothing_every_line_is_added(self):
        assert line_diff("", "Mark quotes.\nSkip headlines.") == [("+", "Mark quotes."), ("+", "Skip headlines.")]

    def test_the_same_lines_give_no_rows(self):
        assert line_diff("Mark quotes.\n", "Mark quotes.") == []

    def test_markup_stays_text(self):
        assert line_diff("a", "<script>x</script>") == [("-", "a"), ("+", "<script>x</script>")]

    def test_texts_too_long_to_compare_give_none(self):
        assert line_diff("x\n" * (DIFF_MAX_LINES + 1), "y") is None

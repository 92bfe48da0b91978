"""line-diff.js (the guidelines diff of the codebook history) in the Chromium the UI targets, against Python: the
lines it keeps are a longest common subsequence, and its removed and added lines turn one text into the other."""

import random

import pytest

PAIRS = [
    ("", ""),
    ("", "one\ntwo"),
    ("one\ntwo", ""),
    ("same\ntext", "same\ntext"),
    ("# Rules\n\nMark sources.\nOne label a span.\n\nAsk.", "# Rules\n\nMark sources.\nOne label, never two.\n\nAsk."),
    ("a\nb\nc\nd", "d\nc\nb\na"),
    ("a\r\nb\r\n", "a\nb\nc\n"),
    ("x\n\n\ny", "\n\nx\ny\n"),
]


def lcs_length(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    return table[0][0]


def lines_of(text):
    return text.replace("\r\n", "\n").split("\n") if text else []


def random_pairs(count):
    rng = random.Random(17)
    words = ["alpha", "beta", "", "gamma", "# Heading", "- item"]
    pairs = []
    for _ in range(count):
        old = [rng.choice(words) for _ in range(rng.randint(0, 14))]
        new = [line for line in old if rng.random() > 0.3]
        for _ in range(rng.randint(0, 4)):
            new.insert(rng.randint(0, len(new)), rng.choice(words))
        pairs.append(("\n".join(old), "\n".join(new)))
    return pairs


@pytest.fixture
def diffs(page):
    page.goto("/accounts/login/")
    page.evaluate('async () => { window.lineDiff = await import("/static/annotator/line-diff.js"); }')
    return page


def run(diffs, old, new):
    return diffs.evaluate("([a, b]) => window.lineDiff.lineDiff(a, b)", [old, new])


class TestLineDiff:
    def test_it_keeps_a_longest_common_subsequence_and_rebuilds_both_texts(self, diffs):
        pairs = PAIRS + random_pairs(200)
        results = diffs.evaluate("(pairs) => pairs.map(([a, b]) => window.lineDiff.lineDiff(a, b))", pairs)

        for (old, new), result in zip(pairs, results, strict=True):
            assert [entry["line"] for entry in result if entry["op"] != "add"] == lines_of(old)
            assert [entry["line"] for entry in result if entry["op"] != "del"] == lines_of(new)
            assert sum(entry["op"] == "same" for entry in result) == lcs_length(lines_of(old), lines_of(new))

    def test_a_changed_line_is_removed_then_added_in_place(self, diffs):
        assert run(diffs, "a\nb\nc", "a\nB\nc") == [
            {"op": "same", "line": "a"},
            {"op": "del", "line": "b"},
            {"op": "add", "line": "B"},
            {"op": "same", "line": "c"},
        ]

    def test_texts_too_large_for_the_table_are_shown_removed_and_added_whole(self, diffs):
        result = diffs.evaluate(
            """() => {
                const old = Array.from({length: 6000}, (_, i) => `old ${i}`).join("\\n");
                const fresh = Array.from({length: 6000}, (_, i) => `new ${i}`).join("\\n");
                return window.lineDiff.lineDiff(`head\\n${old}\\ntail`, `head\\n${fresh}\\ntail`).map((e) => e.op);
            }"""
        )

        assert result == ["same"] + ["del"] * 6000 + ["add"] * 6000 + ["same"]


class TestContext:
    def test_long_unchanged_runs_are_cut_to_three_lines_each_side(self, diffs):
        result = diffs.evaluate(
            """() => {
                const same = (n) => Array.from({length: n}, (_, i) => ({op: "same", line: `s${i}`}));
                const diff = [...same(10), {op: "add", line: "new"}, ...same(10), {op: "del", line: "old"}, ...same(4)];
                return window.lineDiff.withContext(diff);
            }"""
        )

        ops = [entry["op"] if entry["op"] != "skip" else f"skip {entry['count']}" for entry in result]
        assert ops == (
            ["skip 7", "same", "same", "same", "add", "same", "same", "same", "skip 4", "same", "same", "same", "del"]
            + ["same", "same", "same", "skip 1"]
        )

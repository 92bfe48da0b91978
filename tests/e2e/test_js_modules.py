"""Unit tests of the page's ES modules, run in the same Chromium the UI targets: offsets.js (code points ↔ UTF-16)
and highlight.js (the sweep, and redrawing only the stretches a change touches)."""

import random

import pytest

TEXTS = [
    "plain ASCII words",
    "Crowds 👨‍👩‍👧 and 🇺🇦 flags, café\u0301 owners",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters and 😀😀😀 at the end 🏳️‍🌈",
    "Пресс-секретарь Песков сказал журналистам",
    "👍🏽 skin tone first, then Arabic مرحبا and CJK 北京",
    "",
]


def utf16_table(text):
    """Python's answer: the UTF-16 offset of every code point, one past the end included."""
    table = [0]
    for ch in text:
        table.append(table[-1] + len(ch.encode("utf-16-le")) // 2)
    return table


@pytest.fixture
def modules(page):
    """A page of the app (so the modules load under its CSP) with offsets.js and highlight.js on `window`."""
    page.goto("/accounts/login/")
    page.evaluate(
        """async () => {
            window.offsets = await import("/static/annotator/offsets.js");
            window.highlight = await import("/static/annotator/highlight.js");
        }"""
    )
    return page


class TestOffsetMap:
    @pytest.mark.parametrize("text", TEXTS)
    def test_every_code_point_maps_to_the_utf16_offset_python_computes(self, modules, text):
        measured = modules.evaluate(
            """(text) => {
                const map = new window.offsets.OffsetMap(text);
                const forward = [];
                for (let cp = 0; cp <= map.length; cp += 1) forward.push(map.toUtf16(cp));
                const back = forward.map((unit) => map.toCodePoint(unit));
                return {length: map.length, forward, back};
            }""",
            text,
        )

        assert measured["length"] == len(text)
        assert measured["forward"] == utf16_table(text)
        assert measured["back"] == list(range(len(text) + 1))

    def test_an_offset_inside_a_surrogate_pair_rounds_down_to_the_code_point_it_splits(self, modules):
        # "a😀b": the emoji is code point 1, UTF-16 units 1 and 2.
        assert modules.evaluate("() => new window.offsets.OffsetMap('a😀b').toCodePoint(2)") == 1

    def test_offsets_past_either_end_are_clamped(self, modules):
        assert modules.evaluate("() => new window.offsets.OffsetMap('a😀b').toUtf16(-3)") == 0
        assert modules.evaluate("() => new window.offsets.OffsetMap('a😀b').toUtf16(99)") == 4
        assert modules.evaluate("() => new window.offsets.OffsetMap('a😀b').toCodePoint(99)") == 3


# Draws `spans`, applies `changes` (add / remove / relabel, each followed by update() over its range), then
# reports what the DOM shows: its text, and for each code point the sorted ids of the marks around it.
DRAW = """({text, spans, changes}) => {
    const {Highlighter} = window.highlight;
    const map = new window.offsets.OffsetMap(text);
    const labels = new Map([[1, {name: "One", color: "#ff0000"}], [2, {name: "Two", color: "#00ff00"}]]);
    const container = document.createElement("div");
    document.body.append(container);
    const highlighter = new Highlighter(container, text, map, labels);
    const live = spans.map((span) => ({...span}));
    highlighter.render(live);
    const far = container.lastChild;
    for (const change of changes) {
        if (change.op === "add") live.push({...change.span});
        const at = live.findIndex((span) => span.id === change.span.id);
        const before = {...live[at]};
        if (change.op === "remove") live.splice(at, 1);
        if (change.op === "relabel") live[at].label = change.label;
        highlighter.update(live, before.start, before.end);
    }
    const covering = [];
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const ids = [];
        for (let el = node.parentElement; el !== container; el = el.parentElement) ids.push(Number(el.dataset.spanId));
        ids.sort((a, b) => a - b);
        for (const _ of node.data) covering.push(ids);
    }
    const titles = [...container.querySelectorAll("mark")].map((m) => [Number(m.dataset.spanId), m.title]);
    return {text: container.textContent, covering, titles, farKept: far !== null && far.isConnected,
            children: container.childNodes.length};
}"""


def expected_covering(text, spans):
    return [sorted(span["id"] for span in spans if span["start"] <= i < span["end"]) for i in range(len(text))]


class TestHighlighter:
    def test_overlapping_and_nested_spans_each_cover_exactly_their_characters(self, modules):
        text = "👨‍👩‍👧 Peskov told reporters the talks would resume 🇺🇦 soon."
        spans = [
            {"id": 1, "label": 1, "start": 6, "end": 27},
            {"id": 2, "label": 2, "start": 13, "end": 40},
            {"id": 3, "label": 1, "start": 13, "end": 17},
            {"id": 4, "label": 2, "start": 0, "end": len(text)},
        ]

        shown = modules.evaluate(DRAW, {"text": text, "spans": spans, "changes": []})

        assert shown["text"] == text
        assert shown["covering"] == expected_covering(text, spans)

    def test_random_edits_redrawn_locally_show_what_a_full_draw_would(self, modules):
        rng = random.Random(11)
        text = "".join(rng.choice(["word ", "😀 ", "café\u0301 ", "🇺🇦", "\n"]) for _ in range(300))
        spans, changes, next_id = [], [], 1
        for _ in range(60):
            start = rng.randrange(len(text) - 1)
            spans.append({"id": next_id, "label": 1, "start": start, "end": rng.randrange(start + 1, len(text) + 1)})
            next_id += 1
        live = [dict(span) for span in spans]
        for _ in range(80):
            op = rng.choice(["add", "remove", "relabel"]) if live else "add"
            if op == "add":
                start = rng.randrange(len(text) - 1)
                span = {"id": next_id, "label": 2, "start": start, "end": min(len(text), start + rng.randrange(1, 30))}
                next_id += 1
                live.append(span)
                changes.append({"op": "add", "span": span})
            else:
                span = rng.choice(live)
                if op == "remove":
                    live.remove(span)
                    changes.append({"op": "remove", "span": span})
                else:
                    span["label"] = 2 if span["label"] == 1 else 1
                    changes.append({"op": "relabel", "span": dict(span), "label": span["label"]})

        shown = modules.evaluate(DRAW, {"text": text, "spans": spans, "changes": changes})

        assert shown["text"] == text
        assert shown["covering"] == expected_covering(text, live)
        names = {1: "One", 2: "Two"}
        labels = {span["id"]: names[span["label"]] for span in live}
        assert all(title == labels[span_id] for span_id, title in shown["titles"])

    def test_adding_a_span_leaves_the_rest_of_the_article_untouched(self, modules):
        text = "First sentence here. " * 50
        spans = [{"id": i + 1, "label": 1, "start": i * 21, "end": i * 21 + 5} for i in range(50)]
        change = {"op": "add", "span": {"id": 99, "label": 2, "start": 2, "end": 9}}

        shown = modules.evaluate(DRAW, {"text": text, "spans": spans, "changes": [change]})

        assert shown["farKept"], "the last stretch of the article was rebuilt for a change at its start"
        assert shown["covering"] == expected_covering(text, [*spans, change["span"]])

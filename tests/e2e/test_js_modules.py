"""Unit tests of the page's ES modules, run in the same Chromium the UI targets: offsets.js (code points ↔ UTF-16),
highlight.js (the sweep, and redrawing only the stretches a change touches), and the modules the pages share:
dom.js, status.js, labels.js and shortcuts.js."""

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
    """A page of the app (so the modules load under its CSP) with offsets.js and highlight.js on `window`, and the
    shared modules on `window.shared` (`window.status` is the browser's own)."""
    page.goto("/accounts/login/")
    page.evaluate(
        """async () => {
            window.offsets = await import("/static/annotator/offsets.js");
            window.highlight = await import("/static/annotator/highlight.js");
            window.shared = {};
            for (const name of ["api", "dom", "status", "labels", "shortcuts"]) {
                window.shared[name] = await import(`/static/annotator/${name}.js`);
            }
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


MARKUP = '<img src="x" data-injected="1"><b>bold</b> &amp; <script>window.ran = true</script>'


class TestElement:
    def test_text_with_markup_is_shown_as_typed_and_never_parsed(self, modules):
        shown = modules.evaluate(
            """(markup) => {
                const {element} = window.shared.dom;
                const node = element("p", {textContent: markup}, [element("span", {textContent: markup})]);
                document.body.append(node);
                return {elements: node.querySelectorAll("img, b, script").length, text: node.firstChild.data,
                        spanText: node.querySelector("span").textContent, ran: window.ran === true};
            }""",
            MARKUP,
        )

        assert shown == {"elements": 0, "text": MARKUP, "spanText": MARKUP, "ran": False}

    def test_asking_for_inner_html_is_refused(self, modules):
        message = modules.evaluate(
            """(markup) => {
                try { window.shared.dom.element("div", {innerHTML: markup}); return "built"; }
                catch (error) { return error.message; }
            }""",
            MARKUP,
        )

        assert "textContent" in message
        assert not modules.locator("[data-injected]").count()

    def test_dataset_merges_and_aria_and_role_become_attributes(self, modules):
        attributes = modules.evaluate(
            """() => {
                const props = {dataset: {labelRow: "7"}, "aria-label": "Name", role: "alert", className: "dirty"};
                const node = window.shared.dom.element("tbody", props);
                return [...node.attributes].map((a) => [a.name, a.value]).sort();
            }"""
        )

        assert attributes == [["aria-label", "Name"], ["class", "dirty"], ["data-label-row", "7"], ["role", "alert"]]

    def test_a_button_runs_its_action_and_never_submits_the_form_around_it(self, modules):
        outcome = modules.evaluate(
            """() => {
                const outcome = {clicked: 0, submitted: 0};
                const form = document.createElement("form");
                form.addEventListener("submit", (event) => { event.preventDefault(); outcome.submitted += 1; });
                const button = window.shared.dom.button("Save", () => { outcome.clicked += 1; });
                form.append(button);
                document.body.append(form);
                button.click();
                outcome.classes = button.className;
                return outcome;
            }"""
        )

        assert outcome == {"clicked": 1, "submitted": 0, "classes": ""}


class TestStatus:
    def test_a_status_is_marked_error_or_ok_never_both(self, modules):
        classes = modules.evaluate(
            """() => {
                const node = document.createElement("p");
                const seen = [];
                for (const kind of ["error", "ok", ""]) {
                    window.shared.status.setStatus(node, `kind ${kind}`, kind);
                    seen.push([node.textContent, [...node.classList].sort()]);
                }
                return seen;
            }"""
        )

        assert classes == [["kind error", ["error"]], ["kind ok", ["ok"]], ["kind ", []]]

    def test_a_conflict_shows_the_object_as_it_now_is_and_says_why(self, modules):
        outcome = modules.evaluate(
            """() => {
                const node = document.createElement("p");
                const adopted = [];
                const now = {id: 4, version: 3, note: "theirs", detail: "Stale version."};
                const error = new window.shared.api.ApiError(409, now);
                window.shared.status.reportSaveFailure(error, {say: window.shared.status.statusLine(node),
                                                        adopt: (now) => adopted.push(now), what: "this span"});
                return {adopted, text: node.textContent, error: node.classList.contains("error")};
            }"""
        )

        assert outcome["adopted"] == [{"id": 4, "version": 3, "note": "theirs"}]
        assert outcome["text"] == "Someone changed this span meanwhile; it is shown as it now is. Stale version."
        assert outcome["error"]

    @pytest.mark.parametrize(
        ("status", "body"),
        [(409, {"detail": "Label in use."}), (400, {"id": 4, "note": ["Too long."]}), (500, None)],
        ids=["409-without-an-object", "400", "500"],
    )
    def test_any_other_failure_is_reported_as_not_saved_and_adopts_nothing(self, modules, status, body):
        outcome = modules.evaluate(
            """({status, body}) => {
                const node = document.createElement("p");
                const adopted = [];
                const error = new window.shared.api.ApiError(status, body);
                window.shared.status.reportSaveFailure(error, {say: window.shared.status.statusLine(node),
                                                        adopt: (now) => adopted.push(now)});
                return {adopted, text: node.textContent, error: node.classList.contains("error")};
            }""",
            {"status": status, "body": body},
        )

        assert outcome["adopted"] == []
        assert outcome["text"].startswith("Not saved: ")
        assert outcome["error"]


LABELS = [
    {"id": 1, "name": "Claim", "key": "c", "color": "#ff0000", "active": True},
    {"id": 2, "name": "Retired", "key": "r", "color": "#00ff00", "active": False},
    {"id": 3, "name": "Keyless", "key": "", "color": "#0000ff", "active": True},
    {"id": 4, "name": "Old", "key": "o", "color": "#000000", "active": False},
]


class TestLabels:
    def test_only_active_labels_with_a_key_answer_to_a_key(self, modules):
        maps = modules.evaluate(
            """(labels) => {
                const {byId, byKey} = window.shared.labels.labelMaps(labels);
                return {ids: [...byId.keys()], keys: Object.fromEntries([...byKey].map(([k, l]) => [k, l.id]))};
            }""",
            LABELS,
        )

        assert maps == {"ids": [1, 2, 3, 4], "keys": {"c": 1}}

    def test_the_select_offers_active_labels_and_keeps_a_retired_current_one(self, modules):
        options = modules.evaluate(
            """(labels) => {
                const {byId} = window.shared.labels.labelMaps(labels);
                const select = window.shared.labels.labelSelect(byId, 2, {disabled: true});
                return {options: [...select.options].map((o) => [o.value, o.textContent]), value: select.value,
                        name: select.name, disabled: select.disabled};
            }""",
            LABELS,
        )

        assert options == {
            "options": [["1", "Claim"], ["2", "Retired"], ["3", "Keyless"]],
            "value": "2",
            "name": "label",
            "disabled": True,
        }

    def test_a_click_anywhere_on_a_label_button_picks_it_and_a_mousedown_keeps_the_selection(self, modules):
        outcome = modules.evaluate(
            """(labels) => {
                const {byId} = window.shared.labels.labelMaps(labels);
                const {element} = window.shared.dom;
                const swatch = element("span", {className: "swatch", dataset: {color: "#0000ff"}});
                const key = element("kbd", {textContent: "k"});
                const gap = element("li", {className: "gap"});
                const button = element("button", {dataset: {labelId: "3"}}, [swatch, key]);
                const bar = element("ul", {}, [element("li", {}, [button]), gap]);
                document.body.append(bar);
                const picked = [];
                window.shared.labels.wireLabelBar(bar, byId, (label) => picked.push(label.name));
                window.shared.labels.paintSwatches(bar);
                key.click();
                gap.click();
                const down = () => new MouseEvent("mousedown", {bubbles: true, cancelable: true});
                const kept = (node) => !node.dispatchEvent(down());
                return {picked, keptOnButton: kept(key), keptElsewhere: kept(gap), swatch: swatch.style.background};
            }""",
            LABELS,
        )

        assert outcome == {
            "picked": ["Keyless"],
            "keptOnButton": True,
            "keptElsewhere": False,
            "swatch": "rgb(0, 0, 255)",
        }


class TestShortcuts:
    @pytest.fixture
    def pressed(self, modules):
        """Binds j, A and Ctrl+z on the document; returns the page, which records each action run."""
        modules.evaluate(
            """() => {
                window.pressed = [];
                const record = (name) => () => window.pressed.push(name);
                window.unbind = window.shared.shortcuts.bindKeys(document, {j: record("j"), A: record("A"),
                                                                     "Ctrl+z": record("undo")});
            }"""
        )
        return modules

    def test_a_key_pressed_on_the_page_runs_its_action_and_nothing_else(self, pressed):
        pressed.evaluate("() => document.activeElement.blur()")  # keys now go to the page, not a field
        for key in ["j", "Shift+A", "Control+z", "x", "Alt+j"]:
            pressed.keyboard.press(key)

        assert pressed.evaluate("() => window.pressed") == ["j", "A", "undo"]

    def test_a_bare_letter_answers_in_either_case(self, pressed):
        pressed.evaluate("() => document.activeElement.blur()")
        for key in ["a", "Shift+J"]:
            pressed.keyboard.press(key)

        assert pressed.evaluate("() => window.pressed") == ["A", "j"]

    def test_a_letter_with_ctrl_keeps_its_case(self, pressed):
        pressed.evaluate("() => document.activeElement.blur()")
        pressed.keyboard.press("Control+Shift+Z")  # redo, never undo

        assert pressed.evaluate("() => window.pressed") == []

    def test_a_letter_bound_in_both_cases_keeps_two_actions(self, modules):
        ran = modules.evaluate(
            """() => {
                const ran = [];
                window.shared.shortcuts.bindKeys(document, {a: () => ran.push("a"), A: () => ran.push("A")});
                for (const key of ["a", "A"]) {
                    document.body.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
                }
                return ran;
            }"""
        )

        assert ran == ["a", "A"]

    def test_keys_typed_into_a_field_stay_in_the_field(self, pressed):
        field = pressed.locator("input[name=username]")
        field.click()
        pressed.keyboard.type("jAj")
        typed = field.input_value()
        pressed.keyboard.press("Control+z")  # the field's own undo, not the page's

        assert typed == "jAj"
        assert pressed.evaluate("() => window.pressed") == []

    def test_a_bound_key_has_its_default_prevented_and_an_unbound_one_keeps_it(self, pressed):
        prevented = pressed.evaluate(
            """() => ["j", "x"].map((key) => {
                const event = new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true});
                return !document.body.dispatchEvent(event);
            })"""
        )

        assert prevented == [True, False]

    def test_a_map_given_as_a_function_sees_the_key_as_named(self, modules):
        names = modules.evaluate(
            """() => {
                const seen = [];
                window.shared.shortcuts.bindKeys(document, (name) => { seen.push(name); return null; });
                for (const init of [{key: "k"}, {key: "z", ctrlKey: true}, {key: "z", metaKey: true},
                                    {key: "x", altKey: true}]) {
                    document.body.dispatchEvent(new KeyboardEvent("keydown", {...init, bubbles: true}));
                }
                return seen;
            }"""
        )

        assert names == ["k", "K", "Ctrl+z", "Ctrl+z", "Alt+x"]  # a bare letter without an action: its other case

    def test_unbinding_stops_the_actions(self, pressed):
        pressed.evaluate("() => window.unbind()")
        pressed.evaluate("() => document.activeElement.blur()")  # keys now go to the page, not a field
        pressed.keyboard.press("j")

        assert pressed.evaluate("() => window.pressed") == []

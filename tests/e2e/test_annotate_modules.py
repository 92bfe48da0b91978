"""Unit tests of the annotate page's own modules in Chromium: undo.js (the history that follows a span or a
relation to the id an undone delete gives it), highlight.js's label tags and nesting depth, status.js's toast and
arcs.js's levels."""

import pytest


@pytest.fixture
def modules(page):
    """A page of the app (so the modules load under its CSP) with the modules on `window.m`."""
    page.goto("/accounts/login/")
    page.evaluate(
        """async () => {
            window.m = {};
            for (const name of ["undo", "highlight", "offsets", "status", "arcs"]) {
                window.m[name] = await import(`/static/annotator/${name}.js`);
            }
        }"""
    )
    return page


class TestUndoHistory:
    def test_an_id_is_followed_through_every_re_creation(self, modules):
        found = modules.evaluate(
            """() => {
                const history = new window.m.undo.UndoHistory();
                history.follow(7, 12);
                history.follow(12, 30);
                return [history.current(7), history.current(12), history.current(30), history.current(5)];
            }"""
        )

        assert found == [30, 30, 30, 5]

    def test_undos_run_latest_first_each_after_the_one_before_has_finished(self, modules):
        order = modules.evaluate(
            """async () => {
                const history = new window.m.undo.UndoHistory();
                const order = [];
                const slow = (name, ms) => () => new Promise((done) => setTimeout(() => {
                    order.push(name);
                    done();
                }, ms));
                history.push(slow("first change undone", 0));
                history.push(slow("second change undone", 50));
                history.undo();
                history.undo();
                await history.running;
                return order;
            }"""
        )

        assert order == ["second change undone", "first change undone"]

    def test_an_entry_sees_the_id_an_earlier_undo_made(self, modules):
        seen = modules.evaluate(
            """async () => {
                const history = new window.m.undo.UndoHistory();
                let seen = null;
                history.push((h) => { seen = h.current(7); });
                history.push((h) => new Promise((done) => setTimeout(() => { h.follow(7, 8); done(); }, 30)));
                history.undo();
                history.undo();
                await history.running;
                return seen;
            }"""
        )

        assert seen == 8

    def test_a_failed_undo_does_not_stop_the_next(self, modules):
        ran = modules.evaluate(
            """async () => {
                const history = new window.m.undo.UndoHistory();
                let ran = false;
                history.push(() => { ran = true; });
                history.push(() => Promise.reject(new Error("Not found")));
                history.undo();
                history.undo();
                await history.running;
                return ran;
            }"""
        )

        assert ran is True

    def test_a_span_and_a_relation_of_the_same_id_are_followed_apart(self, modules):
        found = modules.evaluate(
            """() => {
                const history = new window.m.undo.UndoHistory();
                history.follow(7, 12, "relation");
                history.follow(7, 30);
                return [history.current(7, "relation"), history.current(7), history.current(7, "span")];
            }"""
        )

        assert found == [12, 30, 30]

    def test_nothing_to_undo_is_said_so(self, modules):
        assert modules.evaluate("() => new window.m.undo.UndoHistory().undo()") is False


class TestTagsAndDepth:
    def test_the_outermost_span_starting_at_a_point_names_every_span_starting_there(self, modules):
        marks = modules.evaluate(
            """() => {
                const text = "Peskov told reporters";
                const labels = new Map([[1, {name: "Source"}], [2, {name: "Cue"}], [3, {name: "Claim"}]]);
                const container = document.createElement("div");
                const {Highlighter} = window.m.highlight;
                const highlighter = new Highlighter(container, text, new window.m.offsets.OffsetMap(text), labels);
                highlighter.render([
                    {id: 1, label: 3, start: 0, end: 21},
                    {id: 2, label: 1, start: 0, end: 6},
                    {id: 3, label: 2, start: 7, end: 11},
                ]);
                return [...container.querySelectorAll("mark")].map((mark) => [
                    mark.dataset.spanId, mark.dataset.tag ?? null, mark.style.getPropertyValue("--below") || "0",
                ]);
            }"""
        )

        assert marks == [
            ["1", "Claim · Source", "1"],  # "Peskov": the outer span holds one mark here
            ["2", None, "0"],
            ["1", None, "0"],  # the space: the outer span alone, its tag already shown
            ["1", None, "1"],  # "told": holds the cue
            ["3", "Cue", "0"],
            ["1", None, "0"],
        ]


class TestSuggestionMarks:
    def test_a_suggestion_is_drawn_in_the_same_sweep_outside_a_span_of_its_extent_and_names_no_tag(self, modules):
        drawn = modules.evaluate(
            """() => {
                const text = "🇺🇦 Peskov told reporters";
                const labels = new Map([[1, {name: "Source"}], [2, {name: "Cue"}]]);
                const container = document.createElement("div");
                const {Highlighter} = window.m.highlight;
                const offsets = new window.m.offsets.OffsetMap(text);
                const highlighter = new Highlighter(container, text, offsets, labels);
                highlighter.render([
                    {id: 7, label: 1, start: 3, end: 9},
                    {id: 7, kind: "suggestion", label: 2, start: 3, end: 9, score: 0.5, source: "lexicon:cues"},
                    {id: 8, kind: "suggestion", label: 2, start: 10, end: 14, score: null, source: "memory:team"},
                ]);
                const marks = [...container.querySelectorAll("mark")].map((mark) => [
                    mark.dataset.suggestionId ?? null, mark.dataset.spanId ?? null, mark.dataset.tag ?? null,
                    mark.title, mark.textContent,
                ]);
                return {marks, text: container.textContent};
            }"""
        )

        assert drawn["text"] == "🇺🇦 Peskov told reporters"
        assert drawn["marks"] == [
            ["7", None, None, "Suggested: Cue · score 0.50 · lexicon:cues", "Peskov"],  # outside the span
            [None, "7", "Source", "Source", "Peskov"],
            ["8", None, None, "Suggested: Cue · no score · memory:team", "told"],
        ]


class TestToast:
    def test_a_success_fades_and_an_error_stays(self, modules):
        texts = modules.evaluate(
            """async () => {
                const node = document.createElement("p");
                const say = window.m.status.toast(node, {after: 20});
                say("Saved.");
                const shown = node.textContent;
                await new Promise((done) => setTimeout(done, 60));
                const faded = node.textContent;
                say("Not saved: Not found.", true);
                await new Promise((done) => setTimeout(done, 60));
                return [shown, faded, node.textContent, node.classList.contains("error")];
            }"""
        )

        assert texts == ["Saved.", "", "Not saved: Not found.", True]


class TestArcLevels:
    def test_an_arc_over_another_goes_above_it_and_arcs_apart_share_the_lowest_level(self, modules):
        found = modules.evaluate(
            """() => window.m.arcs.levels([
                {from: 0, to: 300},  // spans the next two
                {from: 10, to: 60},
                {from: 100, to: 150},
                {from: 400, to: 500},  // apart from everything
            ])"""
        )

        assert found == [1, 0, 0, 0]

    def test_partly_overlapping_arcs_take_different_levels(self, modules):
        found = modules.evaluate("() => window.m.arcs.levels([{from: 0, to: 100}, {from: 50, to: 160}])")

        assert sorted(found) == [0, 1]

    def test_arcs_meeting_at_one_span_do_not_share_a_level(self, modules):
        found = modules.evaluate("() => window.m.arcs.levels([{from: 0, to: 100}, {from: 100, to: 200}])")

        assert sorted(found) == [0, 1]

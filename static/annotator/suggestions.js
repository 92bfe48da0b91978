// The caller's open suggestions on the annotate page: spans a machine proposes, drawn by the Highlighter in the same
// sweep as the spans (dashed outlines), stepped through with Tab / Shift+Tab, accepted or rejected through the REST
// API. An accepted suggestion becomes the caller's span the way a drawn one does: the page adds the span the API
// returns and redraws only its stretch.
//
// Undo (Ctrl+Z) takes a decision back through the API (DELETE …/decision/): the suggestion is open again. Undoing
// an accept first deletes the span it made (not one the caller had drawn already), then withdraws the decision.
import { api } from "./api.js";

const textOrder = (a, b) => a.start - b.start || a.end - b.end || a.id - b.id;
const WORKERS = 4; // accepts in flight at once for "accept all above"

// A score for people: "0.82", or "no score".
export function scoreShown(score) {
  return score === null || score === undefined ? "no score" : score.toFixed(2);
}

// What a screen reader hears for a focused suggestion.
export function describeSuggestion(suggestion, label) {
  const score = scoreShown(suggestion.score) === "no score" ? "no score" : `score ${Math.round(suggestion.score * 100)} percent`;
  return `Suggested ${label?.name ?? "label"}, ${score}, from ${suggestion.source}: “${suggestion.text}”`;
}

export class Suggestions {
  // `data.suggestions`: the open ones the page embeds; `spans`: the page's live span array; `redraw(...items)`:
  // redraw the stretches under spans and suggestions (as they were and are); `renderAll()`: draw everything again
  // (shown or hidden); `removeSpan(span, said)`: delete one of the caller's spans as an undo (true when gone);
  // `mayEdit()`: whether the page edits now; `onCount()`: the open ones changed.
  constructor(
    container,
    { data, text, offsets, labelsById, spans, say, history, mayEdit, redraw, renderAll, removeSpan },
  ) {
    this.container = container;
    this.data = data;
    this.labelsById = labelsById;
    this.spans = spans;
    this.say = say;
    this.history = history;
    this.mayEdit = mayEdit;
    this.redraw = redraw;
    this.renderAll = renderAll;
    this.removeSpan = removeSpan;
    this.onCount = () => {};
    this.shown = true;
    this.busy = new Set(); // ids with a decision on its way: a second Enter sends nothing
    this.list = data.suggestions
      .map((s) => ({ ...s, kind: "suggestion", text: text.slice(offsets.toUtf16(s.start), offsets.toUtf16(s.end)) }))
      .sort(textOrder);
    this.byId = new Map(this.list.map((s) => [s.id, s]));
    // The focused suggestion is outlined as one, over every line and stretch it covers.
    container.addEventListener("focusin", (event) => {
      const mark = event.target.closest?.("[data-suggestion-id]");
      if (mark) this.mark(mark.dataset.suggestionId);
    });
    container.addEventListener("focusout", () => this.mark(null));
  }

  // What the highlighter draws besides the spans: the open suggestions, unless hidden.
  items() {
    return this.shown ? this.list : [];
  }

  path(suggestion, action) {
    return `projects/${this.data.project}/documents/${this.data.document.id}/suggestions/${suggestion.id}/${action}/`;
  }

  marks(id) {
    return this.container.querySelectorAll(`[data-suggestion-id="${Number(id)}"]`);
  }

  mark(id) {
    for (const node of this.container.querySelectorAll("[data-focused]")) delete node.dataset.focused;
    if (id !== null) for (const node of this.marks(id)) node.dataset.focused = "true";
  }

  // The suggestion whose highlight has the keyboard focus, or null.
  focused() {
    const mark = document.activeElement?.closest?.("[data-suggestion-id]");
    if (!mark || !this.container.contains(mark)) return null;
    return this.byId.get(Number(mark.dataset.suggestionId)) ?? null;
  }

  // Give `suggestion`'s first highlight the keyboard focus, in the middle of the window, and say what it is.
  // `quiet`: after a decision, whose message stays (a screen reader still hears the focused one's label).
  focus(suggestion, { quiet = false } = {}) {
    const [first] = this.marks(suggestion.id);
    if (!first) return false;
    window.getSelection().removeAllRanges(); // a label's key now accepts the suggestion, not a selection
    first.tabIndex = -1;
    first.setAttribute("aria-label", describeSuggestion(suggestion, this.labelsById.get(suggestion.label)));
    first.focus({ preventScroll: true });
    first.scrollIntoView({ block: "center" });
    if (quiet) return true;
    const at = this.list.indexOf(suggestion) + 1;
    const keys = this.mayEdit() ? "Enter accepts, a label's key accepts as that label, x rejects." : "Read-only.";
    this.say(`Suggestion ${at} of ${this.list.length}: ${this.labelsById.get(suggestion.label)?.name ?? "?"}, ${scoreShown(suggestion.score)}. ${keys}`);
    return true;
  }

  // Tab (1) / Shift+Tab (-1): the next or previous open suggestion in text order, from the focused one, else from
  // the caret (`caret`, a code point). False when there is none that way: the key then moves the focus as usual.
  step(direction, caret) {
    const list = this.items();
    if (list.length === 0) return false;
    const current = this.focused();
    let at;
    if (current) at = list.indexOf(current) + direction;
    else if (direction > 0) at = list.findIndex((s) => s.start >= caret);
    else at = -1; // Shift+Tab from the text itself leaves it backwards, as usual
    if (at < 0 || at >= list.length) return false;
    return this.focus(list[at]);
  }

  // The open suggestion after `suggestion` in text order (the one a keyboard decision moves on to), or null.
  after(suggestion) {
    const list = this.items();
    return list[list.indexOf(suggestion) + 1] ?? null;
  }

  // Take a decided (or vanished) suggestion off the page's open ones.
  drop(suggestion) {
    const at = this.list.indexOf(suggestion);
    if (at >= 0) this.list.splice(at, 1);
    this.byId.delete(suggestion.id);
    this.onCount();
  }

  ready(suggestion) {
    if (!this.mayEdit()) {
      this.say("This page is read-only: suggestions can be accepted or rejected only by someone annotating it.", true);
      return false;
    }
    return this.byId.has(suggestion.id) && !this.busy.has(suggestion.id);
  }

  // After a keyboard decision the focus moves on to the next open suggestion (else back to the text); after one
  // that failed with the suggestion still open (a network failure), it stays on that suggestion.
  moveOn(decided, next, keyboard) {
    if (!keyboard) return;
    const to = this.byId.has(decided.id) ? decided : next;
    if (!(to && this.byId.has(to.id) && this.shown && this.focus(to, { quiet: true }))) {
      this.container.focus({ preventScroll: true });
    }
  }

  // Accept `suggestion` as the caller's span, labelled `label` (a label; null: the suggestion's own).
  async accept(suggestion, label = null, { keyboard = false } = {}) {
    if (!this.ready(suggestion)) return;
    const next = this.after(suggestion);
    this.busy.add(suggestion.id);
    try {
      const span = await this.send(suggestion, label);
      const created = this.adopt(suggestion, span);
      this.redraw(suggestion, span);
      this.history.push(() => this.undo([{ suggestion, span, created }]));
      const name = this.labelsById.get(span.label)?.name ?? "";
      this.say(
        created
          ? `Accepted “${span.text}” as ${name}.`
          : `“${span.text}” was already yours as ${name}; the suggestion is marked accepted.`,
      );
    } catch (error) {
      this.failed(error, suggestion);
    } finally {
      this.busy.delete(suggestion.id);
    }
    this.moveOn(suggestion, next, keyboard);
  }

  send(suggestion, label) {
    const body = label && label.id !== suggestion.label ? { label: label.id } : {};
    return api("POST", this.path(suggestion, "accept"), body);
  }

  // The accepted suggestion leaves the open ones; its span joins the page's unless the caller had it already
  // (the API answers 200 with that span). True when the span is new.
  adopt(suggestion, span) {
    this.drop(suggestion);
    if (this.spans.some((s) => s.id === span.id)) return false;
    this.spans.push(span);
    return true;
  }

  // Take back the decisions of `decided` ({suggestion, span?, created?}): the spans accepts made are deleted, then
  // each decision is withdrawn and its suggestion is open (and drawn) again. A span whose delete fails keeps its
  // suggestion decided (the span panel shows why).
  async undo(decided) {
    const reopened = [];
    const failures = [];
    for (const { suggestion, span, created } of decided) {
      if (created && !(await this.removeSpan(span, ""))) continue;
      try {
        await api("DELETE", this.path(suggestion, "decision"));
        this.reopen(suggestion);
        reopened.push(suggestion);
      } catch (error) {
        failures.push(error);
      }
    }
    this.redraw(...reopened);
    if (failures.length) {
      this.say(`Not undone: ${failures[0].message}`, true);
    } else if (reopened.length === 1) {
      this.say(`Undone: “${reopened[0].text}” is an open suggestion again.`);
      if (this.shown) this.focus(reopened[0], { quiet: true });
    } else if (reopened.length > 1) {
      this.say(`Undone: ${reopened.length} suggestions are open again.`);
    }
  }

  // Put a suggestion whose decision was withdrawn back among the open ones, in text order.
  reopen(suggestion) {
    if (this.byId.has(suggestion.id)) return;
    this.list.push(suggestion);
    this.list.sort(textOrder);
    this.byId.set(suggestion.id, suggestion);
    this.onCount();
  }

  async reject(suggestion, { keyboard = false } = {}) {
    if (!this.ready(suggestion)) return;
    const next = this.after(suggestion);
    this.busy.add(suggestion.id);
    try {
      await api("POST", this.path(suggestion, "reject"));
      this.drop(suggestion);
      this.redraw(suggestion);
      this.history.push(() => this.undo([{ suggestion }]));
      this.say(`Rejected “${suggestion.text}”. Ctrl+Z takes it back.`);
    } catch (error) {
      this.failed(error, suggestion);
    } finally {
      this.busy.delete(suggestion.id);
    }
    this.moveOn(suggestion, next, keyboard);
  }

  // A 409 (decided meanwhile, in another tab) or 404 (deleted meanwhile): the suggestion is no longer open, so it
  // leaves the page, and the message says why. Anything else (a network failure): it stays, open.
  failed(error, suggestion) {
    if (error.status === 409 || error.status === 404) {
      this.drop(suggestion);
      this.redraw(suggestion);
      const why = error.status === 409 ? "you had already decided on it (in another window?)" : "it was deleted meanwhile";
      this.say(`Not saved: ${why}; “${suggestion.text}” is no longer offered.`, true);
    } else {
      this.say(`Not saved: ${error.message}`, true);
    }
  }

  // The open, shown suggestions scoring at least `threshold` (those with no score never do).
  above(threshold) {
    return this.items().filter((s) => s.score !== null && s.score >= threshold && !this.busy.has(s.id));
  }

  // Accept every open suggestion scoring at least `threshold`, a few requests at a time, then redraw once; one
  // undo takes every one of them back.
  async acceptAbove(threshold) {
    if (!this.mayEdit()) {
      this.ready({ id: null }); // says why not
      return;
    }
    const chosen = this.above(threshold);
    if (chosen.length === 0) {
      this.say(`No open suggestion scores ${scoreShown(threshold)} or more.`);
      return;
    }
    for (const s of chosen) this.busy.add(s.id);
    const made = [];
    const decided = [];
    const failures = [];
    const queue = [...chosen];
    const work = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          const span = await this.send(s, null);
          const created = this.adopt(s, span);
          decided.push({ suggestion: s, span, created });
          if (created) made.push(span);
        } catch (error) {
          failures.push(error);
          if (error.status === 409 || error.status === 404) this.drop(s);
        } finally {
          this.busy.delete(s.id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WORKERS, chosen.length) }, work));
    this.redraw(...chosen, ...made);
    if (decided.length) this.history.push(() => this.undo(decided));
    const done = `Accepted ${decided.length} suggestion${decided.length === 1 ? "" : "s"} scoring ${scoreShown(threshold)} or more.`;
    if (failures.length) this.say(`${done} ${failures.length} not accepted: ${failures[0].message}`, true);
    else this.say(`${done} Ctrl+Z takes them back.`);
  }

  show(on) {
    if (on === this.shown) return;
    if (!on && this.focused()) this.container.focus({ preventScroll: true });
    this.shown = on;
    this.renderAll();
    this.onCount();
  }
}

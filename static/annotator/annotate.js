// The annotate page: select text, press a label's key or click the label; the span is saved at once.
import { api } from "./api.js";
import { ArcLayer } from "./arcs.js";
import { pageData } from "./dom.js";
import { editingMode } from "./editing.js";
import { wireGuidelines } from "./guidelines.js";
import { Highlighter } from "./highlight.js";
import { labelMaps, paintSwatches, wireDescriptions, wireLabelBar } from "./labels.js";
import { OffsetMap } from "./offsets.js";
import { Questions } from "./questions.js";
import { RelationDrawing } from "./relate.js";
import { RelationPanel } from "./relationpanel.js";
import { Relations } from "./relations.js";
import { isWordChar, selectedRange, spanIdsAt } from "./selection.js";
import { bindKeys } from "./shortcuts.js";
import { SpanList } from "./spanlist.js";
import { lineBox, SpanPanel } from "./spanpanel.js";
import { toast } from "./status.js";
import { wireSubmit } from "./submit.js";
import { SuggestionPanel } from "./suggestionpanel.js";
import { Suggestions } from "./suggestions.js";
import { UndoHistory } from "./undo.js";

const data = pageData("annotate-data");
const text = data.document.text;
const offsets = new OffsetMap(text);
const { byId: labelsById, byKey: labelsByKey } = labelMaps(data.labels);
const container = document.querySelector("[data-testid='document-text']");
const say = toast(document.getElementById("status"));
const spans = data.spans;
// The page embeds spans without their text, which is the article's: each takes its slice here.
for (const span of spans) span.text = text.slice(offsets.toUtf16(span.start), offsets.toUtf16(span.end));
const typesById = new Map(data.relation_types.map((type) => [type.id, type]));
const typesByKey = new Map(data.relation_types.filter((type) => type.active && type.key).map((type) => [type.key, type]));

paintSwatches();
wireGuidelines({ project: data.project, codebook: data.codebook, say });

// The spans open in the editor are outlined in the text (data-chosen), kept through redraws that replace marks;
// so is the span a relation being drawn by keyboard would point to (data-target).
let chosen = new Set();
let targetId = null;
const highlighter = new Highlighter(container, text, offsets, labelsById, (mark, span) => {
  if (span.kind === "suggestion") return;
  if (chosen.has(span.id)) mark.dataset.chosen = "true";
  if (span.id === targetId) mark.dataset.target = "true";
});

function markTarget(id) {
  for (const mark of container.querySelectorAll("[data-target]")) delete mark.dataset.target;
  targetId = id;
  if (id !== null) for (const mark of container.querySelectorAll(`[data-span-id="${id}"]`)) mark.dataset.target = "true";
}

function outline(ids) {
  for (const mark of container.querySelectorAll("[data-chosen]")) delete mark.dataset.chosen;
  chosen = new Set(ids);
  for (const id of ids) {
    for (const mark of container.querySelectorAll(`[data-span-id="${id}"]`)) mark.dataset.chosen = "true";
  }
}

// Undo (Ctrl+Z): each saved change pushes the call that reverses it.
const history = new UndoHistory();

// The questions about the whole article, drawn before the editing mode so that it disables their controls too.
const questions = new Questions(document.getElementById("questions"), {
  data,
  history,
  say,
  mayEdit: () => editing.on,
  onLeave: () => container.focus(),
});

const editing = editingMode(data.editable, {
  switchBox: document.getElementById("edit-switch"),
  note: document.querySelector("[data-testid='read-only-note']"),
  controls: document.querySelector(".annotate-side"),
});

// Relations: arcs over the text, saved through the API, their own editor, drawn from span to span.
const arcs = new ArcLayer(document.querySelector("[data-testid='relation-arcs']"), container, {
  typesById,
  onOpen: (relation, box) => {
    panel.close({ refocus: false });
    relationPanel.open(relation, box);
  },
});
const relations = new Relations({
  data,
  relations: data.relations,
  spans,
  typesById,
  history,
  say,
  onChange: (ids) => {
    const from = performance.now();
    arcs.update(ids);
    performance.measure("slant:arcs-update", { start: from }); // bench/ui_bench.py
    relationPanel.refresh();
  },
});
const relationPanel = new RelationPanel(document.getElementById("relation-panel"), {
  relations,
  spans,
  typesById,
  username: data.username,
  mayEdit: () => editing.on,
  home: container,
});
const typeButtons = [...document.querySelectorAll("[data-relation-type-id]")];
const drawing = new RelationDrawing({
  relations,
  spans,
  username: data.username,
  say,
  mayEdit: () => editing.on,
  buttons: typeButtons,
  mark: (fromId, toId) => {
    outline(fromId === null ? [] : [fromId]);
    markTarget(toId);
  },
});

const panel = new SpanPanel(document.getElementById("span-panel"), {
  data,
  spans,
  labelsById,
  onChange: redraw,
  say,
  history,
  home: container,
  onShow: outline,
  mayEdit: () => editing.on,
  onRemoved: (span) => relations.dropSpan(span.id),
  onRestored: (taken) => relations.restoreAll(taken),
});
// Suggestions: the caller's open ones, drawn with the spans as dashed outlines; Tab / Shift+Tab in the text step
// through them, Enter, x and the label keys decide (bindKeys below), a click opens their popover.
const suggestions = new Suggestions(container, {
  data,
  text,
  offsets,
  labelsById,
  spans,
  say,
  history,
  mayEdit: () => editing.on,
  redraw,
  renderAll: () => highlighter.render(drawn()),
  removeSpan: (span, said) => panel.remove(span, { undoing: true, said }),
});
const suggestionPanel = new SuggestionPanel(document.getElementById("suggestion-panel"), {
  suggestions,
  labelsById,
  mayEdit: () => editing.on,
  home: container,
  openSpans: (ids, box) => panel.open(ids, box),
});
wireSuggestionControls();

// What the highlighter draws: the spans, and the open suggestions unless hidden.
function drawn() {
  const shown = suggestions.items();
  return shown.length ? spans.concat(shown) : spans;
}

editing.onChange = () => {
  panel.close({ refocus: false });
  suggestionPanel.refresh();
  drawing.cancel({ quiet: true });
  relationPanel.refresh();
};

function startRelation(type) {
  const from = panel.editable();
  panel.close({ refocus: true });
  drawing.start(type, from);
}

for (const node of typeButtons) {
  node.addEventListener("click", () => startRelation(typesById.get(Number(node.dataset.relationTypeId))));
}

// Showing the arcs: on by default, remembered per user in this browser, as the snapping is.
const arcsBox = document.getElementById("show-relations");
const arcsKey = `slant:arcs:${data.username}`;
if (arcsBox) {
  arcsBox.checked = localStorage.getItem(arcsKey) !== "off";
  arcs.shown = arcsBox.checked;
  arcsBox.addEventListener("change", () => {
    localStorage.setItem(arcsKey, arcsBox.checked ? "on" : "off");
    arcs.show(arcsBox.checked);
  });
}

// An entry of the span list scrolls its span to the middle of the window and opens the editor beside it.
const spanList = new SpanList(document.getElementById("span-list"), document.getElementById("span-count"), {
  labelsById,
  username: data.username,
  choose(span) {
    const mark = container.querySelector(`[data-span-id="${span.id}"]`);
    if (!mark) return;
    mark.scrollIntoView({ block: "center" });
    panel.open([span.id], lineBox(mark));
  },
});

// Redraw the stretches under the given spans' ranges (the spans as they were and as they are now).
function redraw(...changed) {
  const start = Math.min(...changed.map((span) => span.start));
  const end = Math.max(...changed.map((span) => span.end));
  highlighter.update(drawn(), start, end);
  spanList.update(
    changed.filter((item) => item.kind !== "suggestion"),
    spans,
  );
}

// The sidebar's suggestion controls: the count, showing or hiding them (remembered per user in this browser, as
// the snapping is), and accepting every open one scoring at least a threshold (the button counts them).
function wireSuggestionControls() {
  const section = document.querySelector("[data-testid='suggestions']");
  if (!section) return;
  const count = document.getElementById("suggestion-count");
  const showBox = document.getElementById("show-suggestions");
  const threshold = document.getElementById("accept-threshold");
  const acceptAbove = document.getElementById("accept-above");
  const showKey = `slant:suggestions:${data.username}`;
  const level = () => {
    const value = Number(threshold.value);
    return threshold.value !== "" && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : null;
  };
  suggestions.onCount = () => {
    count.textContent = `(${suggestions.list.length} open)`;
    const at = level();
    const n = at === null ? 0 : suggestions.above(at).length;
    acceptAbove.textContent = at === null ? "Accept all above" : `Accept ${n} at ${at.toFixed(2)} or more`;
    acceptAbove.dataset.count = String(n);
  };
  showBox.checked = localStorage.getItem(showKey) !== "off";
  suggestions.shown = showBox.checked;
  showBox.addEventListener("change", () => {
    localStorage.setItem(showKey, showBox.checked ? "on" : "off");
    suggestionPanel.close({ refocus: false });
    suggestions.show(showBox.checked);
  });
  threshold.addEventListener("input", () => suggestions.onCount());
  acceptAbove.addEventListener("click", async () => {
    const at = level();
    if (at === null) {
      say("Give a score from 0 to 1 first.", true);
      return;
    }
    acceptAbove.disabled = true;
    await suggestions.acceptAbove(at);
    acceptAbove.disabled = !editing.on;
    suggestions.onCount();
  });
  suggestions.onCount();
}

// Alt+↓ / Alt+↑ open the next / previous span in text order (from the open one, else from the caret).
function stepSpan(direction) {
  if (spans.length === 0) return;
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id);
  const open = panel.isOpen ? sorted.findIndex((span) => span.id === panel.ids[0]) : -1;
  let at;
  if (open >= 0) at = (open + direction + sorted.length) % sorted.length;
  else if (direction > 0) at = Math.max(0, sorted.findIndex((span) => span.start >= keyboard.focus));
  else at = Math.max(0, sorted.findLastIndex((span) => span.start < keyboard.focus));
  const mark = container.querySelector(`[data-span-id="${sorted[at].id}"]`);
  if (!mark) return;
  mark.scrollIntoView({ block: "center" });
  relationPanel.close();
  panel.open([sorted[at].id], lineBox(mark));
}

// Snapping a selection to whole words: on by default, remembered per user in this browser.
const snapBox = document.getElementById("snap");
const snapKey = `slant:snap:${data.username}`;
snapBox.checked = localStorage.getItem(snapKey) !== "off";
snapBox.addEventListener("change", () => localStorage.setItem(snapKey, snapBox.checked ? "on" : "off"));
const chars = Array.from(text);

// A click on a highlight (not the end of a drag) opens every span under it, innermost first.
container.addEventListener("click", (event) => {
  if (!window.getSelection().isCollapsed) return;
  if (drawing.pending) {
    drawing.pick(spanIdsAt(event.target, container));
    return;
  }
  relationPanel.close();
  const suggested = suggestionIdsAt(event.target);
  if (suggested.length) {
    panel.close({ refocus: false });
    const mark = event.target.closest("[data-suggestion-id]");
    suggestionPanel.open(suggested, spanIdsAt(event.target, container), lineBox(mark, event.clientX, event.clientY));
    return;
  }
  suggestionPanel.close({ refocus: false });
  const mark = event.target.closest("[data-span-id]");
  panel.open(spanIdsAt(event.target, container), mark ? lineBox(mark, event.clientX, event.clientY) : null);
});

// Ids of the suggestions under a click, innermost first.
function suggestionIdsAt(target) {
  const ids = [];
  for (let node = target; node && node !== container; node = node.parentElement) {
    if (node.dataset?.suggestionId) ids.push(Number(node.dataset.suggestionId));
  }
  return ids;
}

function currentRange() {
  return selectedRange(container, offsets, chars, snapBox.checked);
}

async function annotate(label) {
  if (!editing.on) return;
  const range = currentRange();
  if (!range) {
    say("Select some text first.", true);
    return;
  }
  const body = {
    label: label.id,
    start: range.start,
    end: range.end,
    text: text.slice(offsets.toUtf16(range.start), offsets.toUtf16(range.end)),
  };
  try {
    const span = await api("POST", `projects/${data.project}/documents/${data.document.id}/spans/`, body);
    spans.push(span);
    history.push(() => panel.remove(span, { undoing: true }));
    window.getSelection().removeAllRanges();
    keyboard.anchor = keyboard.focus = span.end;
    redraw(span);
    say(`Saved “${span.text}” as ${label.name}.`);
  } catch (error) {
    say(`Not saved: ${error.message}`, true);
  }
}

function undo() {
  if (!history.undo()) say("Nothing to undo.");
}

wireLabelBar(document.getElementById("labels"), labelsById, annotate);
wireDescriptions(document.getElementById("labels"));
// A label's key draws a span over a selection; with none, it relabels the user's span open in the editor (keys
// typed into the note stay there: bindKeys leaves form fields alone); otherwise the key is left to the browser.
// While a relation is being drawn, Alt+↓ / Alt+↑ step to the span it would point to, Enter draws it, Escape
// cancels. A key that is both a label's and a relation type's is the label's (the type's button still draws).
// A question's key (when no label or relation takes it) focuses the question; while a question has the focus its
// digits pick options (before the labels: a label may have a digit key) and Escape gives the text the keys back.
bindKeys(document, (key) => {
  if (key === "Ctrl+z") return undo;
  if (drawing.pending) {
    if (key === "Escape") return () => drawing.cancel();
    if (key === "Alt+ArrowDown") return () => drawing.step(1);
    if (key === "Alt+ArrowUp") return () => drawing.step(-1);
    if (key === "Enter") return () => drawing.confirm();
  }
  if (key === "Alt+ArrowDown") return () => stepSpan(1);
  if (key === "Alt+ArrowUp") return () => stepSpan(-1);
  // A suggestion with the focus (Tab): Enter accepts it, a label's key accepts it as that label, x or Delete
  // rejects it, Escape gives the focus back to the text. A selection made since is the label key's, as ever.
  const suggestion = suggestions.focused();
  if (suggestion && !currentRange()) {
    if (key === "Enter") return () => suggestions.accept(suggestion, null, { keyboard: true });
    if (key === "x" || key === "Delete") return () => suggestions.reject(suggestion, { keyboard: true });
    if (key === "Escape") return () => container.focus({ preventScroll: true });
    const label = labelsByKey.get(key);
    if (label) return () => suggestions.accept(suggestion, label, { keyboard: true });
  }
  if (!editing.on) return null;
  const answering = questions.armedAction(key); // a question's digits, while it has the focus
  if (answering) return answering;
  const label = labelsByKey.get(key);
  if (label && currentRange()) return () => annotate(label);
  const open = panel.editable();
  if (label) return open ? () => panel.relabel(open, label) : null;
  const type = typesByKey.get(key);
  if (type && open) return () => startRelation(type);
  return questions.keyAction(key);
});

// Keyboard selection without a mouse: focus the article (Tab), move with the arrow keys (Ctrl: by word),
// extend with Shift, Home/End for the text's ends; then press a label's key.
const keyboard = { anchor: 0, focus: 0 };

function domPosition(codePoint) {
  let rest = offsets.toUtf16(codePoint);
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (rest <= node.data.length) return [node, rest];
    rest -= node.data.length;
    last = node;
  }
  return [last, last ? last.data.length : 0];
}

function showKeyboardSelection() {
  const [anchorNode, anchorOffset] = domPosition(keyboard.anchor);
  const [focusNode, focusOffset] = domPosition(keyboard.focus);
  window.getSelection().setBaseAndExtent(anchorNode, anchorOffset, focusNode, focusOffset);
}

function wordStep(from, direction) {
  let at = from;
  const isWord = (i) => isWordChar(chars[i]);
  if (direction > 0) {
    while (at < chars.length && !isWord(at)) at += 1;
    while (at < chars.length && isWord(at)) at += 1;
  } else {
    while (at > 0 && !isWord(at - 1)) at -= 1;
    while (at > 0 && isWord(at - 1)) at -= 1;
  }
  return at;
}

container.tabIndex = 0;
// Arrows from a focused suggestion move the caret from its start.
container.addEventListener("focusin", (event) => {
  const mark = event.target.closest?.("[data-suggestion-id]");
  const suggestion = mark && suggestions.byId.get(Number(mark.dataset.suggestionId));
  if (suggestion) keyboard.anchor = keyboard.focus = suggestion.start;
});
container.addEventListener("focus", (event) => {
  if (container.contains(event.relatedTarget)) return; // back from a suggestion: the caret stays where it was
  const current = window.getSelection();
  if (current.rangeCount && container.contains(current.anchorNode)) return;
  keyboard.anchor = keyboard.focus = 0;
});
// Tab / Shift+Tab inside the text step through the open suggestions (from the caret, when the text itself has the
// focus); past the last one (or Shift+Tab from the text) the focus leaves the text as usual.
container.addEventListener("keydown", (event) => {
  if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
  if (suggestions.step(event.shiftKey ? -1 : 1, keyboard.focus)) event.preventDefault();
});
container.addEventListener("keydown", (event) => {
  const moves = { ArrowRight: 1, ArrowLeft: -1, Home: "start", End: "end" };
  if (!(event.key in moves)) return;
  event.preventDefault();
  if (event.target !== container) container.focus({ preventScroll: true }); // from a suggestion: move the caret
  const move = moves[event.key];
  let to = keyboard.focus;
  if (move === "start") to = 0;
  else if (move === "end") to = chars.length;
  else if (event.ctrlKey || event.altKey) to = wordStep(to, move);
  else to = Math.max(0, Math.min(chars.length, to + move));
  keyboard.focus = to;
  if (!event.shiftKey) keyboard.anchor = to;
  showKeyboardSelection();
});

wireSubmit(document.getElementById("submit"), {
  path: `projects/${data.project}/documents/${data.document.id}/submit/`,
  say,
  onMissing: (names) => questions.showMissing(names),
});

const renderFrom = performance.now();
highlighter.render(drawn());
performance.measure("slant:highlight-render", { start: renderFrom }); // bench/ui_bench.py: spans and suggestions
arcs.relations = relations.list;
arcs.spread(); // the lines make room for arcs before the first paint, so the text never jumps when they come
spanList.renderWhenIdle(spans);
container.dataset.ready = "true";
performance.mark("slant:ready"); // bench/ui_bench.py reads this: text and highlights drawn
// The arcs need the text laid out: drawn just after the first paint, which lays it out anyway, rather than forcing
// that layout before the text shows (on a 50,000-character article with 1,000 relations that held the text back
// by about as long again; bench/ui_bench.py).
// The arcs near the window come at once (slant:arcs-near), the rest when the browser is idle (slant:arcs: every arc
// drawn, the layer's data-ready).
requestAnimationFrame(() =>
  setTimeout(() => {
    const from = performance.now();
    arcs.onDrawn = () => {
      performance.mark("slant:arcs");
      arcs.layer.dataset.ready = "true";
    };
    arcs.show(arcs.shown);
    performance.measure("slant:arcs-draw", { start: from }); // bench/ui_bench.py: the drawing alone
    performance.mark("slant:arcs-near");
  }, 0),
);

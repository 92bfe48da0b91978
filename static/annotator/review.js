// The review page: every annotator's spans in a lane of their own plus the gold lane. Spans without an exact
// match in another lane are marked; a span can be accepted or rejected with a comment, or copied to gold; gold
// spans are drawn by selecting text in the gold lane. Every change goes through the REST API with the version
// the page last saw.
import { api } from "./api.js";
import { button, element, pageData } from "./dom.js";
import { Highlighter } from "./highlight.js";
import { labelMaps, labelSelect, paintSwatches, wireLabelBar } from "./labels.js";
import { OffsetMap } from "./offsets.js";
import { selectedRange, spanIdsAt } from "./selection.js";
import { bindKeys } from "./shortcuts.js";
import { spanCard } from "./spanpanel.js";
import { reportSaveFailure, statusLine } from "./status.js";

const data = pageData("review-data");
const text = data.document.text;
const offsets = new OffsetMap(text);
const chars = Array.from(text);
const { byId: labelsById, byKey: labelsByKey } = labelMaps(data.labels);
const say = statusLine(document.getElementById("status"));
const panelRoot = document.getElementById("review-panel");
const base = `projects/${data.project}/documents/${data.document.id}/`;
const GOLD = "gold";

paintSwatches();

// Agreement between annotator lanes: how many lanes hold a span with the same label, start and end.
const keyOf = (span) => `${span.label}:${span.start}:${span.end}`;
const annotatorLanes = data.lanes.map((lane) => lane.username);
const holders = new Map();
for (const span of data.spans) {
  (holders.get(keyOf(span)) ?? holders.set(keyOf(span), new Set()).get(keyOf(span))).add(span.annotator);
}
function agreement(span) {
  if (annotatorLanes.length < 2) return null;
  const count = holders.get(keyOf(span))?.size ?? 0;
  if (count === annotatorLanes.length) return "all";
  return count <= 1 ? "none" : "some";
}

let current = null; // {lane, id}: the span the keyboard is on

// The tooltip says in words what the badge and the lines show.
const STATE_WORDS = { pending: "pending", accepted: "accepted", rejected: "rejected: click to see why" };
const AGREE_WORDS = { none: "no exact match in another lane", all: "every annotator drew it" };

// A span cut by overlapping ones into several marks gets one badge, on its last mark.
function markLastFragments(container) {
  const last = new Map();
  for (const mark of container.querySelectorAll("mark[data-state]")) {
    delete mark.dataset.last;
    last.set(mark.dataset.spanId, mark);
  }
  for (const mark of last.values()) mark.dataset.last = "";
}

// One lane: its spans, its container and the Highlighter drawing them.
const lanes = new Map();
for (const section of document.querySelectorAll("[data-testid='lane']")) {
  const name = section.dataset.annotator;
  const spans = name === GOLD ? data.gold : data.spans.filter((span) => span.annotator === name);
  const container = section.querySelector(".lane-text");
  const decorate = (mark, span) => {
    if (name !== GOLD) {
      const agree = agreement(span);
      if (agree) mark.dataset.agree = agree;
      mark.dataset.state = span.review_status;
      const words = [labelsById.get(span.label)?.name ?? "?", STATE_WORDS[span.review_status], AGREE_WORDS[agree]];
      mark.title = words.filter(Boolean).join(" · ");
    }
    if (current && current.lane === name && current.id === span.id) mark.dataset.current = "true";
  };
  const highlighter = new Highlighter(container, text, offsets, labelsById, decorate);
  highlighter.render(spans);
  markLastFragments(container);
  lanes.set(name, { name, spans, container, highlighter });
  container.addEventListener("click", (event) => {
    if (!window.getSelection().isCollapsed) return;
    const ids = spanIdsAt(event.target, container);
    if (ids.length) choose(name, ids[0], ids);
  });
}

function redraw(laneName, ...changed) {
  const lane = lanes.get(laneName);
  const present = changed.filter(Boolean);
  if (!lane || !present.length) return;
  const start = Math.min(...present.map((span) => span.start));
  const end = Math.max(...present.map((span) => span.end));
  lane.highlighter.update(lane.spans, start, end);
  markLastFragments(lane.container);
}

function find(laneName, id) {
  return lanes.get(laneName)?.spans.find((span) => span.id === id);
}

function replace(laneName, span) {
  const spans = lanes.get(laneName).spans;
  const at = spans.findIndex((s) => s.id === span.id);
  if (at >= 0) spans[at] = span;
}

// Make `id` of `laneName` the current span and open the panel on the spans under it.
function choose(laneName, id, ids = [id]) {
  const before = current && find(current.lane, current.id);
  const previous = current;
  current = { lane: laneName, id };
  if (previous) redraw(previous.lane, before);
  redraw(laneName, find(laneName, id));
  showPanel(laneName, ids);
}

function showPanel(laneName, ids) {
  const spans = ids.map((id) => find(laneName, id)).filter(Boolean);
  const cards = spans.map((span) => (laneName === GOLD ? goldCard(span) : reviewCard(span)));
  panelRoot.replaceChildren(...cards);
  panelRoot.hidden = cards.length === 0;
}

function reviewCard(span) {
  const label = labelsById.get(span.label);
  const card = spanCard(span, `${span.annotator} · ${label?.name ?? "?"}`);
  card.append(element("p", { className: "verdict", textContent: span.review_status, dataset: { status: span.review_status } }));
  if (span.note) card.append(element("p", { className: "muted", textContent: `Note: ${span.note}` }));
  const comment = element("textarea", {
    name: "comment", rows: 2, value: span.review_comment || "", placeholder: "Comment for the annotator",
  });
  card.append(
    element("label", { textContent: "Comment" }, [comment]),
    element("div", { className: "actions" }, [
      button("Accept", () => review(span.id, "accepted", comment.value)),
      button("Reject", () => review(span.id, "rejected", comment.value), "danger"),
      button("Copy to gold", () => copyToGold(span.id), "secondary"),
    ]),
  );
  return card;
}

function goldCard(gold) {
  const card = spanCard(gold, `gold · ${gold.created_by ?? ""}`, { panelGoldId: String(gold.id) });
  const select = labelSelect(labelsById, gold.label);
  card.append(
    element("label", { textContent: "Label" }, [select]),
    element("div", { className: "actions" }, [
      button("Save", () => saveGold(gold.id, { label: Number(select.value) })),
      button("Delete", () => deleteGold(gold.id), "danger"),
    ]),
  );
  return card;
}

function conflictOrError(error, laneName, seen) {
  const adopt = (now) => {
    replace(laneName, now);
    redraw(laneName, seen, now);
  };
  reportSaveFailure(error, { say, adopt });
}

async function review(id, decision, comment = "", { quiet = false } = {}) {
  const span = spanById(id);
  if (!span) return false;
  try {
    const path = `${base}spans/${id}/review/`;
    const updated = await api("POST", path, { decision, comment }, { "If-Match": `"${span.version}"` });
    replace(updated.annotator, updated);
    redraw(updated.annotator, updated);
    showProgress();
    if (!quiet) say(`${decision === "accepted" ? "Accepted" : "Rejected"} “${updated.text}” by ${updated.annotator}.`);
    if (!quiet && current?.id === id) showPanel(updated.annotator, [id]);
    return true;
  } catch (error) {
    conflictOrError(error, span.annotator, span);
    showProgress(); // a conflict adopts the span as it now is, perhaps reviewed by someone else
    if (current?.id === id) showPanel(span.annotator, [id]);
    return false;
  }
}

const annotatorSpans = () => annotatorLanes.flatMap((name) => lanes.get(name).spans);

// "12 of 15 spans reviewed": every annotator's spans, whatever lane they are in.
function showProgress() {
  const spans = annotatorSpans();
  const reviewed = spans.filter((span) => span.review_status !== "pending").length;
  const progress = document.querySelector("[data-testid='review-progress']");
  progress.textContent = `${reviewed} of ${spans.length} span${spans.length === 1 ? "" : "s"} reviewed`;
}

function spanById(id) {
  return annotatorSpans().find((span) => span.id === id) ?? null;
}

async function addGold(body, done) {
  try {
    const gold = await api("POST", `${base}gold/`, body);
    lanes.get(GOLD).spans.push(gold);
    redraw(GOLD, gold);
    say(done(gold));
  } catch (error) {
    say(`Not added to gold: ${error.message}`, true);
  }
}

function copyToGold(id) {
  return addGold({ from_span: id }, (gold) => `Copied “${gold.text}” to gold.`);
}

async function saveGold(id, changes) {
  const gold = find(GOLD, id);
  try {
    const updated = await api("PATCH", `${base}gold/${id}/`, changes, { "If-Match": `"${gold.version}"` });
    replace(GOLD, updated);
    redraw(GOLD, gold, updated);
    say(`Saved gold “${updated.text}”.`);
  } catch (error) {
    conflictOrError(error, GOLD, gold);
  }
  showPanel(GOLD, [id]);
}

async function deleteGold(id) {
  const gold = find(GOLD, id);
  try {
    await api("DELETE", `${base}gold/${id}/`, undefined, { "If-Match": `"${gold.version}"` });
    const spans = lanes.get(GOLD).spans;
    spans.splice(spans.indexOf(gold), 1);
    redraw(GOLD, gold);
    panelRoot.hidden = true;
    say(`Removed “${gold.text}” from gold.`);
  } catch (error) {
    conflictOrError(error, GOLD, gold);
    showPanel(GOLD, [id]);
  }
}

// Gold drawn directly: a selection in the gold lane, then a label's key or button.
function drawGold(label) {
  const range = selectedRange(lanes.get(GOLD).container, offsets, chars, true);
  if (!range) {
    say("Select some text in the gold lane first.", true);
    return;
  }
  window.getSelection().removeAllRanges();
  addGold({ label: label.id, ...range }, (gold) => `Added “${gold.text}” to gold as ${label.name}.`);
}

wireLabelBar(document.getElementById("labels"), labelsById, drawGold);

// Accept, in one go, every pending or rejected span that every annotator drew alike.
document.getElementById("accept-agreed").addEventListener("click", async () => {
  const agreed = annotatorSpans().filter((span) => agreement(span) === "all" && span.review_status !== "accepted");
  if (!agreed.length) {
    say(annotatorLanes.length < 2 ? "Agreement needs two annotators." : "No span left that every annotator agrees on.");
    return;
  }
  let accepted = 0;
  for (const span of agreed) {
    if (await review(span.id, "accepted", "", { quiet: true })) accepted += 1;
  }
  say(`Accepted ${accepted} of ${agreed.length} spans every annotator agrees on.`, accepted < agreed.length);
});

// Keyboard: j/k walk the annotators' spans in text order, A accepts, R rejects, G copies to gold, N opens the
// next document; in the gold lane, a selection and a label's key draw a gold span.
const order = () =>
  annotatorLanes
    .flatMap((name) => lanes.get(name).spans.map((span) => ({ lane: name, span })))
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.span.id - b.span.id);

function step(direction) {
  const all = order();
  if (!all.length) return;
  const at = current ? all.findIndex((entry) => entry.lane === current.lane && entry.span.id === current.id) : -1;
  const next = all[(at + direction + all.length) % all.length] ?? all[0];
  choose(next.lane, next.span.id);
  lanes.get(next.lane).container.querySelector(`[data-span-id='${next.span.id}']`)?.scrollIntoView({ block: "nearest" });
}

// An action on the annotator's span the keyboard is on; none when it is on gold or nowhere.
const onSpan = (act) => () => {
  const span = current && current.lane !== GOLD ? find(current.lane, current.id) : null;
  if (span) act(span);
};
const commentOn = (span) => panelRoot.querySelector(`[data-panel-span-id='${span.id}'] textarea`)?.value ?? "";
const keys = {
  j: () => step(1),
  k: () => step(-1),
  A: onSpan((span) => review(span.id, "accepted", commentOn(span))),
  R: onSpan((span) => review(span.id, "rejected", commentOn(span))),
  G: onSpan((span) => copyToGold(span.id)),
  N: () => document.getElementById("next-document")?.click(),
};
bindKeys(document, (key) => {
  const label = labelsByKey.get(key);
  if (label && selectedRange(lanes.get(GOLD).container, offsets, chars, true)) return () => drawGold(label);
  return Object.hasOwn(keys, key) ? keys[key] : null;
});

document.querySelector("[data-testid='lanes']").dataset.ready = "true";

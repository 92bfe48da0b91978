// The review page: every annotator's spans and relations (arcs, arcs.js) in a lane of their own plus the gold
// lane, and their answers in the questions table (review-answers.js). Spans and relations without an exact match
// in another lane are marked; either can be accepted or rejected with a comment, or copied to gold (a relation
// with its spans); gold spans are drawn by selecting text in the gold lane. Every change goes through the REST API
// with the version the page last saw.
import { api } from "./api.js";
import { ArcLayer } from "./arcs.js";
import { button, element, pageData } from "./dom.js";
import { Highlighter } from "./highlight.js";
import { labelMaps, labelSelect, paintSwatches, wireLabelBar } from "./labels.js";
import { OffsetMap } from "./offsets.js";
import { AnswerReview } from "./review-answers.js";
import { decided, reviewControls, sendReview, showReviewed } from "./reviewing.js";
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
const typesById = new Map(data.relation_types.map((type) => [type.id, type]));

paintSwatches();

// Agreement between annotator lanes: how many lanes hold a span with the same label, start and end.
const keyOf = (span) => `${span.label}:${span.start}:${span.end}`;
const annotatorLanes = data.lanes.map((lane) => lane.username);
const holders = new Map();
for (const span of data.spans) {
  (holders.get(keyOf(span)) ?? holders.set(keyOf(span), new Set()).get(keyOf(span))).add(span.annotator);
}
function agreement(span) {
  return agreementOf(holders.get(keyOf(span))?.size ?? 0);
}
// A relation's holders come with the page (selectors.review.relation_holders: the agreement metric's exact match).
const relationAgreement = (relation) => agreementOf(data.relation_holders[relation.id] ?? 1);
function agreementOf(count) {
  if (annotatorLanes.length < 2) return null;
  if (count === annotatorLanes.length) return "all";
  return count <= 1 ? "none" : "some";
}

let current = null; // {lane, id}: the span the keyboard is on

// The tooltip says in words what the badge and the lines show.
const STATE_WORDS = { pending: "pending", accepted: "accepted", rejected: "rejected: click to see why" };
const AGREE_WORDS = { none: "no exact match in another lane", all: "every annotator drew it" };
// On an arc, beside its type's name: the review state as the spans' badges show it, and "no match" in words.
const STATE_SIGNS = { pending: "•", accepted: "✓", rejected: "✗" };

function typeName(relation) {
  return typesById.get(relation.type)?.name ?? "relation";
}

function relationCaption(relation) {
  if (!relation.annotator) return typeName(relation); // gold
  const words = [typeName(relation), STATE_SIGNS[relation.review_status]];
  if (relationAgreement(relation) === "none") words.push("no match");
  return words.join(" ");
}

function decorateArc(group, relation) {
  const words = [typeName(relation), relation.annotator ? `by ${relation.annotator}` : "gold"];
  if (relation.annotator) {
    const agree = relationAgreement(relation);
    group.dataset.state = relation.review_status;
    if (agree) group.dataset.agree = agree;
    words.push(STATE_WORDS[relation.review_status], AGREE_WORDS[agree]);
  }
  if (relation.note) words.push(`note: ${relation.note}`);
  group.querySelector("title").textContent = words.filter(Boolean).join(" · ");
}

// A span cut by overlapping ones into several marks gets one badge, on its last mark.
function markLastFragments(container) {
  const last = new Map();
  for (const mark of container.querySelectorAll("mark[data-state]")) {
    delete mark.dataset.last;
    last.set(mark.dataset.spanId, mark);
  }
  for (const mark of last.values()) mark.dataset.last = "";
}

// One lane: its spans and relations, its container, the Highlighter drawing the spans and the ArcLayer the
// relations.
const lanes = new Map();
for (const section of document.querySelectorAll("[data-testid='lane']")) {
  const name = section.dataset.annotator;
  const spans = name === GOLD ? data.gold : data.spans.filter((span) => span.annotator === name);
  const relations = name === GOLD ? data.gold_relations : data.relations.filter((r) => r.annotator === name);
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
  const arcs = new ArcLayer(section.querySelector("[data-testid='relation-arcs']"), container, {
    typesById,
    onOpen: (relation) => showRelation(name, relation.id),
    decorate: decorateArc,
    caption: relationCaption,
  });
  arcs.relations = relations;
  arcs.spread(); // the lines make room for arcs before the first paint, as on the annotate page
  lanes.set(name, { name, spans, relations, container, highlighter, arcs });
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
  lane.arcs.later(); // a badge that changed may have moved the text after it, and the arcs with it
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

let reopen = null; // shows the panel's cards again, as they now are (after a review of one of them)

// The panel turned to an answer's card: the keys no longer act on the span that was chosen.
function leaveSpan() {
  const previous = current;
  current = null;
  reopen = null;
  if (previous) redraw(previous.lane, find(previous.lane, previous.id));
}

// The spans `ids` of a lane, then the relations that start or end on them.
function showPanel(laneName, ids) {
  const spans = ids.map((id) => find(laneName, id)).filter(Boolean);
  const cards = spans.map((span) => (laneName === GOLD ? goldCard(span) : reviewCard(span)));
  const touching = lanes.get(laneName).relations.filter((r) => ids.includes(r.from_span) || ids.includes(r.to_span));
  cards.push(...touching.map((relation) => relationCard(laneName, relation)));
  panelRoot.replaceChildren(...cards);
  panelRoot.hidden = cards.length === 0;
  reopen = () => showPanel(laneName, ids);
}

// One relation of a lane, opened from its arc.
function showRelation(laneName, id) {
  const relation = lanes.get(laneName).relations.find((r) => r.id === id);
  if (!relation) return;
  panelRoot.replaceChildren(relationCard(laneName, relation));
  panelRoot.hidden = false;
  reopen = () => showRelation(laneName, id);
}

function reviewCard(span) {
  const label = labelsById.get(span.label);
  const card = spanCard(span, `${span.annotator} · ${label?.name ?? "?"}`);
  card.append(
    ...reviewControls(span, {
      decide: (decision, comment) => review(span.id, decision, comment),
      copy: () => copyToGold(span.id),
    }),
  );
  return card;
}

// “from text” —type→ “to text”, the ends as the lane has them.
function relationWords(laneName, relation) {
  const end = (id) => find(laneName, id)?.text ?? "?";
  return `“${end(relation.from_span)}” —${typeName(relation)}→ “${end(relation.to_span)}”`;
}

const MATCH_WORDS = {
  none: "No other annotator drew this relation exactly.",
  some: "Some other annotators drew this relation exactly.",
  all: "Every annotator drew this relation exactly.",
};

function relationCard(laneName, relation) {
  const gold = laneName === GOLD;
  const card = element("section", { className: "span-card relation-card", dataset: { panelRelationId: String(relation.id) } }, [
    element("p", { className: "span-text", textContent: relationWords(laneName, relation) }),
    element("p", { className: "muted", textContent: gold ? `gold · ${relation.created_by ?? ""}` : `${relation.annotator} · relation` }),
  ]);
  if (gold) return card;
  const agree = relationAgreement(relation);
  if (agree) card.append(element("p", { className: "match", textContent: MATCH_WORDS[agree], dataset: { agree } }));
  card.append(
    ...reviewControls(relation, {
      decide: (decision, comment) => reviewRelation(relation.id, decision, comment),
      copy: () => copyRelationToGold(relation.id),
    }),
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
  const adopt = (now) => {
    replace(now.annotator, now);
    redraw(now.annotator, span, now);
  };
  const updated = await sendReview(base, "spans", span, decision, comment, { say, adopt });
  if (updated) adopt(updated);
  showProgress(); // a conflict adopts the span as it now is, perhaps reviewed by someone else
  if (updated && !quiet) say(`${decided(decision)} “${updated.text}” by ${updated.annotator}.`);
  if (current?.id === id && (!quiet || !updated)) showPanel(span.annotator, [id]);
  return Boolean(updated);
}

async function reviewRelation(id, decision, comment = "") {
  const relation = relationById(id);
  if (!relation) return false;
  const adopt = (now) => {
    const list = lanes.get(now.annotator).relations;
    list[list.findIndex((r) => r.id === now.id)] = now;
    lanes.get(now.annotator).arcs.update([now.id]);
  };
  const updated = await sendReview(base, "relations", relation, decision, comment, { say, adopt });
  if (updated) {
    adopt(updated);
    say(`${decided(decision)} ${relationWords(updated.annotator, updated)} by ${updated.annotator}.`);
  }
  showProgress();
  reopen?.();
  return Boolean(updated);
}

const annotatorSpans = () => annotatorLanes.flatMap((name) => lanes.get(name).spans);
const annotatorRelations = () => annotatorLanes.flatMap((name) => lanes.get(name).relations);

// "12 of 15 spans reviewed", "2 of 4 relations reviewed": every annotator's, whatever lane they are in.
function showProgress() {
  showReviewed("review-progress", annotatorSpans(), "span");
  showReviewed("relation-review-progress", annotatorRelations(), "relation");
}

function relationById(id) {
  return annotatorRelations().find((relation) => relation.id === id) ?? null;
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

// The API copies the relation's spans into gold too (unless gold has them already): the gold lane fetches the
// ones it lacks, so the new gold relation shows between its spans without a reload.
async function copyRelationToGold(id) {
  const lane = lanes.get(GOLD);
  try {
    const gold = await api("POST", `${base}gold-relations/`, { from_relation: id });
    for (const spanId of new Set([gold.from_span, gold.to_span])) {
      if (find(GOLD, spanId)) continue;
      const span = await api("GET", `${base}gold/${spanId}/`);
      lane.spans.push(span);
      redraw(GOLD, span);
    }
    lane.relations.push(gold);
    lane.arcs.update([gold.id]);
    say(`Copied ${relationWords(GOLD, gold)} to gold.`);
  } catch (error) {
    say(`Not added to gold: ${error.message}`, true);
  }
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
    const { spans, relations } = lanes.get(GOLD);
    spans.splice(spans.indexOf(gold), 1);
    // The API deleted the gold relations of the span with it; redraw() lays the lane's arcs out again.
    for (const relation of relations.filter((r) => r.from_span === id || r.to_span === id)) {
      relations.splice(relations.indexOf(relation), 1);
    }
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

const answersTable = document.querySelector("[data-testid='answers-table']");
if (answersTable) {
  new AnswerReview(answersTable, { data, base, annotators: annotatorLanes, panel: panelRoot, say, onOpen: leaveSpan });
}

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
// The arcs need the text laid out: drawn just after the first paint (as on the annotate page).
requestAnimationFrame(() =>
  setTimeout(() => {
    for (const lane of lanes.values()) {
      lane.arcs.show(true);
      lane.arcs.layer.dataset.ready = "true";
    }
  }, 0),
);

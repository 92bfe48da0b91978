// Draws spans over the article text in one sweep over span boundaries. Each stretch between two
// boundaries becomes one text node wrapped in a <mark> per covering span (longest outermost), so
// overlapping and nested spans all stay visible and clickable, and the container's textContent is
// exactly the document text. The sweep keeps the spans open at each point, so a long article with
// thousands of spans costs one pass, not segments × spans.
//
// Each top-level child of the container is one stretch; the Highlighter remembers where each starts and
// ends, so a change to one span redraws only the stretches under it, never the whole article.
//
// A suggestion (an item with `kind: "suggestion"`, the annotate page's) is drawn in the same sweep as a <mark>
// carrying data-suggestion-id instead of data-span-id (CSS: a dashed outline, no fill); over a span of the same
// extent it is the outer mark, so its outline goes round the span's fill.

const isSuggestion = (item) => item.kind === "suggestion";
const outermostFirst = (a, b) =>
  b.end - b.start - (a.end - a.start) || isSuggestion(b) - isSuggestion(a) || a.id - b.id;

// What a suggestion's highlight says on hover: its label, score and source.
export function suggestionTitle(suggestion, label) {
  const score = suggestion.score === null || suggestion.score === undefined ? "no score" : `score ${suggestion.score.toFixed(2)}`;
  return `Suggested: ${label?.name ?? "?"} · ${score} · ${suggestion.source}`;
}
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const colours = new CSSStyleSheet();

// Each label's colour as one rule (`mark[data-label="3"]`) in a sheet the document adopts, instead of a style
// on each of the thousands of marks: an inline style per mark cost a third of the script time before a long
// article was ready, and kept the browser from sharing one computed style among a label's marks.
function adoptColours(labelsById) {
  const rules = [];
  for (const [id, label] of labelsById) {
    if (COLOUR.test(label.color ?? "")) rules.push(`mark[data-label="${Number(id)}"] { --label-color: ${label.color}; }`);
  }
  colours.replaceSync(rules.join("\n"));
  if (!document.adoptedStyleSheets.includes(colours)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, colours];
}

export class Highlighter {
  // `decorate(mark, span)`, when given, adds a page's own attributes to each highlight.
  constructor(container, text, offsets, labelsById, decorate = null) {
    this.container = container;
    this.decorate = decorate;
    this.text = text;
    this.offsets = offsets;
    this.labelsById = labelsById;
    adoptColours(labelsById);
    this.stretches = []; // [{from, to}] in code points, one per top-level child of the container
  }

  // Draw every span, replacing whatever the container held.
  render(spans) {
    const { nodes, stretches } = this.sweep(spans, 0, this.offsets.length);
    this.container.replaceChildren(...nodes);
    this.stretches = stretches;
  }

  // Redraw only the stretches that touch [start, end): after a span there was added, removed or relabelled.
  update(spans, start, end) {
    const first = this.indexAt(start);
    const last = Math.max(first, this.indexAt(Math.max(start, end - 1)));
    const from = this.stretches[first].from;
    const to = this.stretches[last].to;
    const touching = spans.filter((span) => span.start < to && span.end > from);
    const { nodes, stretches } = this.sweep(touching, from, to);
    const children = this.container.childNodes;
    const range = document.createRange();
    range.setStartBefore(children[first]);
    range.setEndAfter(children[last]);
    range.deleteContents();
    const fragment = document.createDocumentFragment();
    fragment.append(...nodes);
    range.insertNode(fragment);
    this.stretches.splice(first, last - first + 1, ...stretches);
  }

  // Index of the stretch holding code point `at` (the last one for the text's end).
  indexAt(at) {
    let low = 0;
    let high = this.stretches.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.stretches[mid].from <= at) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  sweep(spans, from, to) {
    const opening = new Map();
    const closing = new Map();
    const add = (map, key, span) => (map.get(key) ?? map.set(key, []).get(key)).push(span);
    const open = new Set();
    for (const span of spans) {
      if (span.start <= from) open.add(span);
      else add(opening, span.start, span);
      if (span.end < to) add(closing, span.end, span);
    }
    const points = [...new Set([from, to, ...opening.keys(), ...closing.keys()])].sort((a, b) => a - b);
    const nodes = [];
    const stretches = [];
    for (let i = 0; i + 1 < points.length; i += 1) {
      const here = points[i];
      const next = points[i + 1];
      for (const span of closing.get(here) ?? []) open.delete(span);
      for (const span of opening.get(here) ?? []) open.add(span);
      nodes.push(this.stretch(here, next, [...open].sort(outermostFirst)));
      stretches.push({ from: here, to: next });
    }
    return { nodes, stretches };
  }

  // `covering` is outermost first. Each mark knows how many marks it holds (--below: CSS draws an outer span's
  // underline beneath its inner ones), and the outermost span starting here carries the names of every span that
  // starts here (data-tag, shown by CSS as generated content, never as text in the container).
  stretch(from, to, covering) {
    let node = document.createTextNode(this.text.slice(this.offsets.toUtf16(from), this.offsets.toUtf16(to)));
    const starting = covering.filter((span) => span.start === from && !isSuggestion(span));
    for (let k = covering.length - 1; k >= 0; k -= 1) {
      const span = covering[k];
      const label = this.labelsById.get(span.label);
      const mark = document.createElement("mark");
      if (isSuggestion(span)) {
        mark.dataset.suggestionId = String(span.id);
        mark.dataset.label = String(span.label);
        mark.title = suggestionTitle(span, label);
        if (k < covering.length - 1) mark.style.setProperty("--below", String(covering.length - 1 - k));
        if (this.decorate) this.decorate(mark, span);
        mark.append(node);
        node = mark;
        continue;
      }
      mark.dataset.spanId = String(span.id);
      if (span === starting[0]) mark.dataset.tag = starting.map((s) => this.labelsById.get(s.label)?.name).join(" · ");
      if (k < covering.length - 1) mark.style.setProperty("--below", String(covering.length - 1 - k));
      if (span.review_status && span.review_status !== "pending") mark.dataset.review = span.review_status;
      mark.title = span.review_status === "rejected" ? `${label?.name ?? ""} (rejected: click to see why)` : label?.name ?? "";
      mark.dataset.label = String(span.label);
      if (this.decorate) this.decorate(mark, span);
      mark.append(node);
      node = mark;
    }
    return node;
  }
}

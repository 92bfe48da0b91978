// The sidebar's list of the document's spans in text order (label, text, note; another annotator's name), each
// entry a button that opens its span. The list is rebuilt when the browser is idle, after the highlights are
// painted: a long article with thousands of spans draws, and takes a new span, as fast as without it.
import { element } from "./dom.js";

const textOrder = (a, b) => a.start - b.start || a.end - b.end || a.id - b.id;

export class SpanList {
  // `choose(span)` on a click on an entry.
  constructor(root, count, { labelsById, username, choose }) {
    this.root = root;
    this.count = count;
    this.labelsById = labelsById;
    this.username = username;
    this.pending = null;
    this.byId = new Map();
    root.addEventListener("click", (event) => {
      const entry = event.target.closest("[data-list-span-id]");
      const span = entry && this.byId.get(Number(entry.dataset.listSpanId));
      if (span) choose(span);
    });
  }

  // Show `spans` (the page's live array) once the browser has a moment.
  refresh(spans) {
    if (this.pending !== null) return;
    const later = window.requestIdleCallback ?? ((run) => setTimeout(run, 0));
    this.pending = later(() => {
      this.pending = null;
      this.render(spans);
    }, { timeout: 500 });
  }

  render(spans) {
    const sorted = [...spans].sort(textOrder);
    this.byId = new Map(sorted.map((span) => [span.id, span]));
    this.root.replaceChildren(...sorted.map((span) => this.entry(span)));
    this.count.textContent = `(${sorted.length})`;
  }

  entry(span) {
    const label = this.labelsById.get(span.label);
    const swatch = element("span", { className: "swatch" });
    swatch.style.setProperty("background", label?.color ?? "#ffd966");
    const byline = span.annotator === this.username ? "" : ` · ${span.annotator}`;
    const parts = [
      swatch,
      element("span", { className: "entry-label", textContent: `${label?.name ?? "?"}${byline}` }),
      element("span", { className: "entry-text", textContent: `“${span.text}”` }),
    ];
    if (span.note) parts.push(element("span", { className: "entry-note", textContent: span.note }));
    const entry = element("button", { type: "button", dataset: { listSpanId: String(span.id) } }, parts);
    return element("li", {}, [entry]);
  }
}

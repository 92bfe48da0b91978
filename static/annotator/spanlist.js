// The sidebar's list of the document's spans in text order (label, text, note; another annotator's name), each
// entry a button that opens its span. The whole list is drawn once the browser is idle after the highlights are
// painted; after that a change touches only its own entry, so a long article with thousands of spans takes a
// new span as fast as without the list (bench/ui_bench.py).
import { element } from "./dom.js";

const textOrder = (a, b) => a.start - b.start || a.end - b.end || a.id - b.id;

export class SpanList {
  // `choose(span)` on a click on an entry.
  constructor(root, count, { labelsById, username, choose }) {
    this.root = root;
    this.count = count;
    this.labelsById = labelsById;
    this.username = username;
    this.sorted = null; // the listed spans in text order, once drawn
    this.items = new Map(); // span id → its <li>
    root.addEventListener("click", (event) => {
      const entry = event.target.closest("[data-list-span-id]");
      const id = entry && Number(entry.dataset.listSpanId);
      const span = this.sorted?.find((s) => s.id === id);
      if (span) choose(span);
    });
  }

  // Draw the list of `spans` (the page's live array) when the browser has a moment.
  renderWhenIdle(spans) {
    const later = window.requestIdleCallback ?? ((run) => setTimeout(run, 0));
    later(() => this.render(spans), { timeout: 1000 });
  }

  render(spans) {
    this.sorted = [...spans].sort(textOrder);
    this.items = new Map(this.sorted.map((span) => [span.id, this.entry(span)]));
    this.root.replaceChildren(...this.items.values());
    this.counted();
  }

  // After spans were added, changed or removed: `changed` as they were or are, `spans` the page's live array.
  update(changed, spans) {
    if (!this.sorted) return; // not drawn yet: the first drawing reads the live array
    for (const id of new Set(changed.map((span) => span.id))) {
      this.drop(id);
      const live = spans.find((span) => span.id === id);
      if (live) this.insert(live);
    }
    this.counted();
  }

  drop(id) {
    const at = this.sorted.findIndex((span) => span.id === id);
    if (at < 0) return;
    this.sorted.splice(at, 1);
    this.items.get(id).remove();
    this.items.delete(id);
  }

  insert(span) {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (textOrder(this.sorted[mid], span) < 0) low = mid + 1;
      else high = mid;
    }
    const item = this.entry(span);
    const next = this.sorted[low];
    this.root.insertBefore(item, next ? this.items.get(next.id) : null);
    this.sorted.splice(low, 0, span);
    this.items.set(span.id, item);
  }

  counted() {
    this.count.textContent = `(${this.sorted.length})`;
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

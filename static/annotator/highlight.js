// Draws spans over the article text in one sweep over span boundaries. Each stretch between two
// boundaries becomes one text node wrapped in a <mark> per covering span (longest outermost), so
// overlapping and nested spans all stay visible and clickable, and the container's textContent is
// exactly the document text.

export function renderSpans(container, text, offsets, spans, labelsById) {
  const cuts = new Set([0, offsets.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const byLength = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.id - b.id);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i += 1) {
    const from = points[i];
    const to = points[i + 1];
    let node = document.createTextNode(text.slice(offsets.toUtf16(from), offsets.toUtf16(to)));
    const covering = byLength.filter((span) => span.start <= from && to <= span.end);
    for (let k = covering.length - 1; k >= 0; k -= 1) {
      const span = covering[k];
      const mark = document.createElement("mark");
      mark.dataset.spanId = String(span.id);
      mark.title = labelsById.get(span.label)?.name ?? "";
      mark.style.setProperty("--label-color", labelsById.get(span.label)?.color ?? "#ffd966");
      mark.append(node);
      node = mark;
    }
    fragment.append(node);
  }
  container.replaceChildren(fragment);
}

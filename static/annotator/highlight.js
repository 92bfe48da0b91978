// Draws spans over the article text in one sweep over span boundaries. Each stretch between two
// boundaries becomes one text node wrapped in a <mark> per covering span (longest outermost), so
// overlapping and nested spans all stay visible and clickable, and the container's textContent is
// exactly the document text. The sweep keeps the spans open at each point, so a long article with
// thousands of spans costs one pass, not segments × spans.

const outermostFirst = (a, b) => b.end - b.start - (a.end - a.start) || a.id - b.id;

function pointsOf(spans, length) {
  const opening = new Map();
  const closing = new Map();
  const add = (map, key, span) => (map.get(key) ?? map.set(key, []).get(key)).push(span);
  for (const span of spans) {
    add(opening, span.start, span);
    add(closing, span.end, span);
  }
  const points = [...new Set([0, length, ...opening.keys(), ...closing.keys()])].sort((a, b) => a - b);
  return { points, opening, closing };
}

export function renderSpans(container, text, offsets, spans, labelsById) {
  const { points, opening, closing } = pointsOf(spans, offsets.length);
  const open = new Set();
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i += 1) {
    const from = points[i];
    const to = points[i + 1];
    for (const span of closing.get(from) ?? []) open.delete(span);
    for (const span of opening.get(from) ?? []) open.add(span);
    let node = document.createTextNode(text.slice(offsets.toUtf16(from), offsets.toUtf16(to)));
    const covering = [...open].sort(outermostFirst);
    for (let k = covering.length - 1; k >= 0; k -= 1) {
      const span = covering[k];
      const label = labelsById.get(span.label);
      const mark = document.createElement("mark");
      mark.dataset.spanId = String(span.id);
      mark.title = label?.name ?? "";
      mark.style.setProperty("--label-color", label?.color ?? "#ffd966");
      mark.append(node);
      node = mark;
    }
    fragment.append(node);
  }
  container.replaceChildren(fragment);
}

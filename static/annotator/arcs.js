// Relations drawn as arcs in an SVG layer over the article (never inside the text container, whose textContent
// must stay the document text). An arc leaves the top of its from span and comes down, arrowhead first, on the top
// of its to span, in its type's colour with the type's name on it. Arcs on one line are stacked in levels: a
// shorter arc lies lower, one that spans or overlaps another goes above it, so overlapping and nested relations
// never share a line. Ends on different lines get two halves: one rises from the from span and runs to the
// column's edge, the other comes in from the edge on the to span's line, so an arc never cuts through the lines
// between them.
const SVG = "http://www.w3.org/2000/svg";
const LEVEL = 6; // px between two levels of arcs over one line
const BASE = 7; // px from a span's top to the lowest level: three levels fit under the label tags (annotate.css)
const UNDER_TAGS = 3; // levels that fit between a line's text and its label tags; the next ones go above the tags
const TAG_BAND = 12; // px the label tags take (annotate.css), skipped by the levels above them
const TAIL = 18; // px that a half arc runs past the edge of its span before turning to the column's edge
const CHAR = 6; // px an arc's name takes per character at its font size (arcs.css), erring wide
const NAME_HEIGHT = 10; // px of an arc's name: names on levels closer than this must not share an x range
let layers = 0; // the review page has a layer per lane: each names its arrowhead marker apart (ids are unique)
const NEAR = 600; // px above and below the window within which arcs are drawn at once, the rest when idle
const BATCH = 150; // arcs drawn per idle moment

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

// Levels for intervals [{from, to}] (x, from <= to) over one line: the shortest lowest, each at one above the
// highest level among those already placed that it overlaps. Returns one level (0 = lowest) per interval.
export function levels(intervals) {
  const order = intervals.map((_, i) => i).sort((a, b) => {
    const length = (i) => intervals[i].to - intervals[i].from;
    return length(a) - length(b) || intervals[a].from - intervals[b].from;
  });
  const placed = [];
  const level = new Array(intervals.length).fill(0);
  for (const i of order) {
    const { from, to } = intervals[i];
    let top = -1;
    for (const j of placed) {
      if (intervals[j].from < to + 4 && from < intervals[j].to + 4) top = Math.max(top, level[j]);
    }
    level[i] = top + 1;
    placed.push(i);
  }
  return level;
}

// The y of the top of an arc's piece: its level above its line, the levels past the label tags above them.
function height({ top, level }) {
  return top - BASE - level * LEVEL - (level >= UNDER_TAGS ? TAG_BAND : 0);
}

// The boxes of a span's lines (one per line, its marks' fragments joined), relative to `origin`.
function lineBoxes(marks, origin) {
  const lines = new Map();
  for (const mark of marks) {
    for (const r of mark.getClientRects()) {
      const top = Math.round(r.top - origin.top);
      const line = lines.get(top);
      const left = r.left - origin.left;
      const right = r.right - origin.left;
      if (line) {
        line.left = Math.min(line.left, left);
        line.right = Math.max(line.right, right);
      } else lines.set(top, { top, left, right });
    }
  }
  return [...lines.values()].sort((a, b) => a.top - b.top || a.left - b.left);
}

// The pair of line boxes (one of each span) nearest each other: the same line when they share one.
function nearest(fromLines, toLines) {
  let best = null;
  for (const a of fromLines) {
    for (const b of toLines) {
      const score = Math.abs(a.top - b.top) * 10000 + Math.abs((a.left + a.right) / 2 - (b.left + b.right) / 2);
      if (!best || score < best.score) best = { a, b, score };
    }
  }
  return best;
}

export class ArcLayer {
  // `layer`: the <svg>; `container`: the article text; `onOpen(relation, box)` on a click on an arc. A page may
  // add its own attributes to each arc's <g> (`decorate(group, relation)`, as Highlighter's decorate does for
  // marks) and write its own name on the arc (`caption(relation)`; default: the type's name).
  constructor(layer, container, { typesById, onOpen, decorate = () => {}, caption = null }) {
    this.layer = layer;
    this.container = container;
    this.typesById = typesById;
    this.onOpen = onOpen;
    this.decorate = decorate;
    this.head = `arc-head-${++layers}`;
    this.caption = caption ?? ((relation) => this.typesById.get(relation.type)?.name ?? "relation");
    this.shown = true;
    this.relations = [];
    this.pieces = new Map(); // relation id → its pieces: {relation, top, x1, x2, kind, level}
    this.lines = new Map(); // a line's top → the pieces on it
    this.groups = new Map(); // relation id → its <g>, once drawn
    this.queued = []; // the relations laid out but not drawn yet, drawn a batch at a time when the browser is idle
    this.drawing = 0; // bumped by every full drawing, so a batch of an older one stops
    this.onDrawn = null; // called once every arc of a full drawing is in the layer
    this.pending = 0;
    layer.addEventListener("click", (event) => {
      const arc = event.target.closest("[data-relation-id]");
      if (!arc) return;
      const relation = this.relations.find((r) => r.id === Number(arc.dataset.relationId));
      if (relation) this.onOpen(relation, arc.getBoundingClientRect());
    });
    // A rewrapped or respaced text (a resized window, the lines spreading for the first arc, the layout settling
    // after the first drawing) moves every arc; a span's change never resizes the text, so never redraws them all.
    let size = null; // the first observation is the first layout, whose arcs the page draws itself
    new ResizeObserver(() => {
      const now = `${container.clientWidth}x${container.offsetHeight}`;
      const before = size;
      size = now;
      if (before !== null && now !== before) this.later();
    }).observe(container);
  }

  // Spread the lines for arcs (annotate.css) when there are arcs to show, without drawing them yet.
  spread() {
    this.container.classList.toggle("with-arcs", this.shown && this.relations.length > 0);
  }

  show(on) {
    this.shown = on;
    this.layer.toggleAttribute("hidden", !on); // an <svg> has no `hidden` property, only the attribute
    this.draw(this.relations);
  }

  // Redraw every arc once the browser is free (after a resize).
  later() {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = 0;
      this.draw(this.relations);
    }, 0);
  }

  // Draw every relation of `relations` (the page's live array) whose two spans are on the page, in two steps: at
  // once the arcs of the spans in or near the window (their lines, and their other ends, laid out), then, when the
  // browser is idle, every arc laid out again in one read of the layout and drawn a batch at a time. On a
  // 50,000-character article, measuring every span and laying out and painting 1,000 arcs costs about as much as
  // the text itself, which the arcs in view need not wait for (bench/ui_bench.py). onDrawn after the last batch.
  draw(relations) {
    this.relations = relations;
    this.pieces.clear();
    this.lines.clear();
    this.groups.clear();
    this.queued = [];
    this.drawing += 1;
    this.container.classList.toggle("with-arcs", this.shown && relations.length > 0);
    if (!this.shown) {
      this.layer.replaceChildren();
      this.drawn();
      return;
    }
    const seen = this.spansNear(NEAR);
    const first = relations.filter((r) => seen.has(r.from_span) || seen.has(r.to_span));
    this.layOut(first);
    this.layer.replaceChildren(this.markers(), ...first.filter((r) => this.pieces.has(r.id)).map((r) => this.render(r)));
    if (first.length === relations.length) this.drawn();
    else this.idle(() => this.drawAll(this.drawing));
  }

  // The ids of the spans with a highlight on the lines within `margin` px of the window: a binary search over the
  // container's children (one per stretch of text, in text order) for the first and last in that band.
  spansNear(margin) {
    const children = this.container.childNodes;
    const range = document.createRange();
    const box = (i) => {
      range.selectNode(children[i]);
      return range.getBoundingClientRect();
    };
    const search = (before) => {
      let [low, high] = [0, children.length];
      while (low < high) {
        const mid = (low + high) >> 1;
        if (before(box(mid))) low = mid + 1;
        else high = mid;
      }
      return low;
    };
    const from = search((r) => r.bottom < -margin);
    const to = search((r) => r.top <= window.innerHeight + margin);
    const ids = new Set();
    for (let i = from; i < to; i += 1) {
      const child = children[i];
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      ids.add(Number(child.getAttribute("data-span-id")));
      for (const mark of child.querySelectorAll("[data-span-id]")) ids.add(Number(mark.getAttribute("data-span-id")));
    }
    return ids;
  }

  // Lay out every one of `relations` from scratch: their ends measured in one read of the layout, then each line's
  // levels.
  layOut(relations) {
    this.pieces.clear();
    this.lines.clear();
    const origin = this.container.getBoundingClientRect();
    const marks = new Map();
    const ends = new Set(relations.flatMap((r) => [r.from_span, r.to_span]));
    for (const mark of this.container.querySelectorAll("[data-span-id]")) {
      const id = Number(mark.getAttribute("data-span-id"));
      if (ends.has(id)) (marks.get(id) ?? marks.set(id, []).get(id)).push(mark);
    }
    const boxes = new Map([...marks].map(([id, list]) => [id, lineBoxes(list, origin)]));
    for (const relation of relations) this.place(relation, boxes.get(relation.from_span), boxes.get(relation.to_span));
    for (const top of this.lines.keys()) this.level(top);
    this.size();
  }

  // The second step of a drawing, unless a newer one began: every arc laid out, then drawn a batch at a time (those
  // drawn already are redrawn, since the arcs off screen may move their far halves to other levels).
  drawAll(drawing) {
    if (drawing !== this.drawing) return;
    this.layOut(this.relations);
    for (const [id, group] of this.groups) {
      if (this.pieces.has(id)) continue;
      group.remove(); // its spans are no longer both on the page
      this.groups.delete(id);
    }
    this.queued = this.relations.filter((r) => this.pieces.has(r.id));
    this.drawRest(drawing);
  }

  drawRest(drawing) {
    if (drawing !== this.drawing) return;
    const fragment = document.createDocumentFragment();
    for (const relation of this.queued.splice(0, BATCH)) {
      if (!this.pieces.has(relation.id)) continue; // deleted since (update)
      const old = this.groups.get(relation.id);
      const group = this.render(relation);
      if (old) old.replaceWith(group);
      else fragment.append(group);
    }
    this.layer.append(fragment);
    if (this.queued.length === 0) this.drawn();
    else this.idle(() => this.drawRest(drawing));
  }

  idle(run) {
    const later = window.requestIdleCallback ?? ((task) => setTimeout(task, 0));
    later(run, { timeout: 100 });
  }

  drawn() {
    const done = this.onDrawn;
    this.onDrawn = null;
    done?.();
  }

  // After the relations `ids` were added, changed or removed (the live array already says which): only the lines
  // they lie on are laid out again, and only the arcs on those lines redrawn, so a new relation on a long
  // article shows at once (bench/ui_bench.py).
  update(ids) {
    const wasEmpty = this.pieces.size === 0;
    this.container.classList.toggle("with-arcs", this.shown && this.relations.length > 0);
    if (!this.shown) return;
    if (wasEmpty) {
      this.draw(this.relations); // the first arc spreads the lines (annotate.css): everything moves
      return;
    }
    const touched = new Set();
    for (const id of ids) {
      for (const piece of this.pieces.get(id) ?? []) {
        touched.add(piece.top);
        this.lines.get(piece.top)?.delete(piece);
      }
      this.pieces.delete(id);
      this.groups.get(id)?.remove();
      this.groups.delete(id);
    }
    const origin = this.container.getBoundingClientRect();
    const boxes = (spanId) => lineBoxes(this.container.querySelectorAll(`[data-span-id="${spanId}"]`), origin);
    for (const id of ids) {
      const relation = this.relations.find((r) => r.id === id);
      if (!relation) continue;
      for (const piece of this.place(relation, boxes(relation.from_span), boxes(relation.to_span))) touched.add(piece.top);
    }
    const redraw = new Set(ids.filter((id) => this.pieces.has(id)));
    for (const top of touched) {
      this.level(top);
      for (const piece of this.lines.get(top) ?? []) redraw.add(piece.relation.id);
    }
    for (const id of redraw) {
      const relation = this.relations.find((r) => r.id === id);
      const old = this.groups.get(id);
      const group = this.render(relation);
      if (old) old.replaceWith(group);
      else this.layer.append(group);
    }
  }

  // The layer as large as the text: both read before a write, and written only when changed, since a write lays
  // out the article again (about as long as drawing every arc on the 50,000-character bench article).
  size() {
    const [width, height] = [String(this.container.clientWidth), String(this.container.offsetHeight)];
    if (this.layer.getAttribute("width") !== width) this.layer.setAttribute("width", width);
    if (this.layer.getAttribute("height") !== height) this.layer.setAttribute("height", height);
  }

  // Split `relation` into pieces on lines (one, or two when its ends are on different lines) and file them.
  place(relation, a, b) {
    if (!a?.length || !b?.length) return [];
    const width = this.container.clientWidth;
    const { a: from, b: to } = nearest(a, b);
    const x1 = (from.left + from.right) / 2;
    const x2 = (to.left + to.right) / 2;
    let pieces;
    if (from.top === to.top) {
      pieces = [{ relation, top: from.top, x1, x2, kind: "whole", level: 0 }];
    } else {
      const down = to.top > from.top;
      pieces = [
        { relation, top: from.top, x1, x2: down ? width + TAIL : -TAIL, kind: "leave", level: 0 },
        { relation, top: to.top, x1: down ? -TAIL : width + TAIL, x2, kind: "enter", level: 0 },
      ];
    }
    this.pieces.set(relation.id, pieces);
    for (const piece of pieces) (this.lines.get(piece.top) ?? this.lines.set(piece.top, new Set()).get(piece.top)).add(piece);
    return pieces;
  }

  level(top) {
    const line = [...(this.lines.get(top) ?? [])];
    const found = levels(line.map((p) => ({ from: Math.min(p.x1, p.x2), to: Math.max(p.x1, p.x2) })));
    line.forEach((piece, i) => {
      piece.level = found[i];
    });
    this.name(line);
  }

  // Where each arc of one line writes its name: at its usual place unless a name already placed on a level less
  // than a name's height away covers it; then slid along its own arc's top, away from its span, until it is clear
  // (or left where it was when its arc is too short). Two arcs leaving one span for another line otherwise wrote
  // their names over each other, one level apart.
  name(line) {
    const width = this.container.clientWidth;
    const placed = [];
    for (const piece of [...line].sort((a, b) => a.level - b.level)) {
      const { x1, x2, kind } = piece;
      const dir = x2 >= x1 ? 1 : -1;
      const wide = this.caption(piece.relation).length * CHAR + 6;
      const y = height(piece);
      const low = Math.max(Math.min(x1, x2), 0) + wide / 2;
      const high = Math.min(Math.max(x1, x2), width) - wide / 2;
      const usual = kind === "whole" ? (x1 + x2) / 2 : kind === "leave" ? x1 + dir * 30 : x2 - dir * 30;
      const away = kind === "enter" ? -dir : dir;
      const clashes = (x) => placed.some((p) => Math.abs(p.y - y) < NAME_HEIGHT && Math.abs(p.x - x) < (p.wide + wide) / 2);
      let x = usual;
      if (clashes(x) && low <= high) {
        const tries = [];
        for (let step = 1; step <= 12; step += 1) tries.push(usual + away * step * (wide / 2 + 2));
        if (kind === "whole") for (let step = 1; step <= 12; step += 1) tries.push(usual - away * step * (wide / 2 + 2));
        x = tries.find((at) => at >= low && at <= high && !clashes(at)) ?? usual;
      }
      piece.nameX = x;
      placed.push({ x, y, wide });
    }
  }

  render(relation) {
    const group = this.group(relation);
    for (const piece of this.pieces.get(relation.id)) this.piece(group, piece);
    this.groups.set(relation.id, group);
    return group;
  }

  group(relation) {
    const type = this.typesById.get(relation.type);
    const group = svg("g", { class: "arc", "data-relation-id": relation.id, tabindex: -1 });
    group.style.setProperty("--arc-color", type?.color ?? "#555555");
    if (relation.review_status === "rejected") group.dataset.review = "rejected";
    const title = svg("title");
    title.textContent = `${type?.name ?? "relation"} (${relation.annotator})${relation.note ? `: ${relation.note}` : ""}`;
    group.append(title);
    this.decorate(group, relation);
    return group;
  }

  // One arrowhead marker per colour would be many; one marker that takes the stroke's colour (context-stroke).
  markers() {
    const defs = svg("defs");
    const marker = svg("marker", {
      id: this.head,
      viewBox: "0 0 8 8",
      refX: 7,
      refY: 4,
      markerWidth: 7,
      markerHeight: 7,
      orient: "auto",
    });
    marker.append(svg("path", { d: "M0,0 L8,4 L0,8 z", fill: "context-stroke" }));
    defs.append(marker);
    return defs;
  }

  piece(group, piece) {
    const { relation, top, x1, x2, kind, nameX } = piece;
    const y = top; // the span's top: where the arc leaves or lands
    const high = height(piece);
    const r = Math.min(5, Math.abs(x2 - x1) / 2);
    const dir = x2 >= x1 ? 1 : -1;
    let d;
    if (kind === "whole") {
      d =
        `M${x1},${y} L${x1},${high + r} Q${x1},${high} ${x1 + dir * r},${high} ` +
        `L${x2 - dir * r},${high} Q${x2},${high} ${x2},${high + r} L${x2},${y - 1}`;
    } else if (kind === "leave") {
      d = `M${x1},${y} L${x1},${high + r} Q${x1},${high} ${x1 + dir * r},${high} L${x2},${high}`;
    } else {
      d = `M${x1},${high} L${x2 - dir * r},${high} Q${x2},${high} ${x2},${high + r} L${x2},${y - 1}`;
    }
    // Only the arc's top takes clicks: its legs come down onto the spans and their tags, which must stay clickable.
    const hit = svg("path", { d: `M${x1},${high} L${x2},${high}`, class: "arc-hit" });
    const line = svg("path", { d, class: `arc-line${kind === "leave" ? " arc-open" : ""}` });
    if (kind !== "leave") line.setAttribute("marker-end", `url(#${this.head})`);
    const label = svg("text", { x: nameX, y: high, class: "arc-label", "text-anchor": "middle" });
    label.textContent = this.caption(relation);
    group.append(hit, line, label);
  }
}

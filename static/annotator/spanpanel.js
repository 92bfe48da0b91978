// The span editor: a popover beside the clicked span with a card for each span under the click (change the
// label, edit the note, delete). Every change sends the version the page last saw (If-Match); a 409 brings back
// the span as it now is. Escape or the close button closes it and gives the focus back to where it came from.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { labelSelect } from "./labels.js";
import { reportSaveFailure } from "./status.js";

const MARGIN = 8; // px kept free between the popover and the window's edges
const GAP = 6; // px between the span and the popover
const TAG_ROOM = 14; // px above a line taken by the label tags (annotate.css): a popover above must leave them seen

// The head of a span's card in a side panel: its text and a byline. `dataset` names the card for tests and keys.
export function spanCard(span, byline, dataset = { panelSpanId: String(span.id) }) {
  return element("section", { className: "span-card", dataset }, [
    element("p", { className: "span-text", textContent: `“${span.text}”` }),
    element("p", { className: "muted", textContent: byline }),
  ]);
}

// The box of the line of `mark` nearest to a point (a click), or its first line: a span over several lines is
// edited beside the line the user clicked.
export function lineBox(mark, x = null, y = null) {
  const lines = [...mark.getClientRects()];
  if (lines.length === 0) return mark.getBoundingClientRect();
  if (y === null) return lines[0];
  const distance = (r) => Math.max(0, r.top - y, y - r.bottom) * 1000 + Math.max(0, r.left - x, x - r.right);
  return lines.reduce((best, r) => (distance(r) < distance(best) ? r : best));
}

// Place the popover `root` beside `anchor` (a line box in page coordinates: {left, top, bottom}): below the line
// when it fits, else above it, inside the window; taller than the window, it scrolls.
export function placeBeside(root, anchor) {
  if (!anchor) return;
  const width = document.documentElement.clientWidth;
  const height = window.innerHeight;
  root.style.maxHeight = `${height - 2 * MARGIN}px`;
  const box = root.getBoundingClientRect();
  const top = anchor.top - window.scrollY;
  const bottom = anchor.bottom - window.scrollY;
  let y;
  // A redraw after the reader scrolled the span away keeps the editor by its span rather than chasing the window.
  if (bottom < 0 || top > height) y = bottom + GAP;
  else if (bottom + GAP + box.height <= height - MARGIN) y = bottom + GAP;
  else if (top - TAG_ROOM - box.height >= MARGIN) y = top - TAG_ROOM - box.height;
  else y = Math.max(MARGIN, height - MARGIN - box.height);
  const x = Math.max(MARGIN, Math.min(anchor.left - window.scrollX, width - MARGIN - box.width));
  root.style.left = `${x + window.scrollX}px`;
  root.style.top = `${y + window.scrollY}px`;
}

export class SpanPanel {
  // `history`: the page's UndoHistory; `home`: what takes the focus on close when its opener is gone;
  // `onShow(ids)`: the spans now open (none once closed); `mayEdit()`: whether the page edits at all now (it
  // reads only, for anyone not assigned to the document, until they switch editing on); `onRemoved(span)`: what
  // else the delete took along (its relations), handed to `onRestored(taken)` once an undo brought the span back.
  constructor(
    root,
    {
      data,
      spans,
      labelsById,
      onChange,
      say,
      history,
      home,
      onShow = () => {},
      mayEdit = () => true,
      onRemoved = () => null,
      onRestored = async () => {},
    },
  ) {
    this.onRemoved = onRemoved;
    this.onRestored = onRestored;
    this.root = root;
    this.data = data;
    this.spans = spans;
    this.labelsById = labelsById;
    this.onChange = onChange;
    this.onShow = onShow;
    this.say = say;
    this.mayEdit = mayEdit;
    this.history = history;
    this.home = home;
    this.ids = [];
    this.anchor = null; // the span's line box in page coordinates, so a redraw keeps the popover in place
    this.opener = null;
    this.body = element("div", { className: "span-panel-body" });
    const close = button("×", () => this.close(), "span-panel-close");
    close.setAttribute("aria-label", "Close");
    close.title = "Close (Esc)";
    this.root.replaceChildren(
      element("div", { className: "span-panel-head" }, [element("p", { textContent: "Span" }), close]),
      this.body,
    );
    window.addEventListener("resize", () => this.isOpen && this.place());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.isOpen) {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen() {
    return !this.root.hidden;
  }

  path(span) {
    return `projects/${this.data.project}/documents/${this.data.document.id}/spans/${span.id}/`;
  }

  // The span as the page now holds it, following it to the id an undone delete gave it.
  live(id) {
    const now = this.history.current(id);
    return this.spans.find((span) => span.id === now);
  }

  // Open the editor on the spans `ids` beside `box` (a viewport rectangle: the clicked line of the span).
  open(ids, box) {
    if (ids.length === 0) {
      this.close({ refocus: false });
      return;
    }
    if (!this.isOpen) this.opener = document.activeElement;
    const { scrollX, scrollY } = window;
    this.anchor = { left: box.left + scrollX, top: box.top + scrollY, bottom: box.bottom + scrollY };
    this.show(ids);
    if (this.isOpen) this.root.focus({ preventScroll: true });
  }

  close({ refocus = true } = {}) {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.ids = [];
    this.onShow(this.ids);
    if (!refocus) return;
    const back = this.opener?.isConnected && this.opener !== document.body ? this.opener : this.home;
    back?.focus({ preventScroll: true });
  }

  // Draw the cards of `ids` (those the page still holds) and place the popover; none left closes it.
  show(ids) {
    const chosen = ids.map((id) => this.spans.find((span) => span.id === id)).filter(Boolean);
    if (chosen.length === 0) {
      this.close();
      return;
    }
    this.ids = chosen.map((span) => span.id);
    const hadFocus = this.root.contains(document.activeElement);
    this.body.replaceChildren(...chosen.map((span) => this.card(span)));
    this.root.hidden = false;
    this.onShow(this.ids);
    this.place();
    // Redrawn cards drop the focused control; keep the focus in the editor so Escape and the keys still reach it.
    if (hadFocus && !this.root.contains(document.activeElement)) this.root.focus({ preventScroll: true });
  }

  place() {
    placeBeside(this.root, this.anchor);
  }

  // The span a label's key relabels: the innermost of the user's own spans in the open editor.
  editable() {
    if (!this.isOpen || !this.mayEdit()) return null;
    return this.ids.map((id) => this.live(id)).find((span) => span && span.annotator === this.data.username) ?? null;
  }

  relabel(span, label) {
    if (span.label === label.id) {
      this.say(`“${span.text}” is already ${label.name}.`);
      return;
    }
    this.save(span, { label: label.id });
  }

  card(span) {
    const mine = span.annotator === this.data.username && this.mayEdit();
    const card = spanCard(span, `${span.annotator} · ${span.review_status}`);
    if (span.review_status === "rejected" && span.review_comment) {
      card.append(element("p", { className: "review-comment", textContent: `Reviewer: ${span.review_comment}` }));
    }
    const select = labelSelect(this.labelsById, span.label, { disabled: !mine });
    const note = element("textarea", { disabled: !mine, name: "note", rows: 2, value: span.note });
    card.append(
      element("label", { textContent: "Label" }, [select]),
      element("label", { textContent: "Note" }, [note]),
    );
    if (mine) {
      const save = button("Save", () => this.save(span, { label: Number(select.value), note: note.value }));
      const remove = button("Delete", () => this.remove(span), "danger");
      card.append(element("div", { className: "actions" }, [save, remove]));
    }
    return card;
  }

  replace(span) {
    const at = this.spans.findIndex((s) => s.id === span.id);
    if (at >= 0) this.spans[at] = span;
  }

  // Redraw the open cards after a change: the label and version they show are the saved ones.
  refresh() {
    if (this.isOpen) this.show(this.ids);
  }

  async save(span, changes, { undoing = false } = {}) {
    const before = { label: span.label, note: span.note };
    try {
      const updated = await api("PATCH", this.path(span), changes, { "If-Match": `"${span.version}"` });
      this.replace(updated);
      if (!undoing) this.history.push(() => this.undoSave(span.id, before));
      const label = this.labelsById.get(updated.label)?.name ?? "";
      this.say(undoing ? `Undone: “${updated.text}” is back as it was.` : `Saved “${updated.text}” as ${label}.`);
      this.onChange(span, updated);
    } catch (error) {
      this.conflictOrError(error, span);
    }
    this.refresh();
  }

  undoSave(id, before) {
    const span = this.live(id);
    if (!span) {
      this.say("Could not undo: that span is no longer on the page.", true);
      return Promise.resolve();
    }
    return this.save(span, before, { undoing: true });
  }

  // `said`: what to say instead once removed (an undone accept says that its suggestion stays decided).
  // True when the span is gone; false when the delete failed (the error is shown).
  async remove(span, { undoing = false, said = null } = {}) {
    const current = this.live(span.id) || span;
    try {
      await api("DELETE", this.path(current), undefined, { "If-Match": `"${current.version}"` });
      this.spans.splice(
        this.spans.findIndex((s) => s.id === current.id),
        1,
      );
      this.onChange(current);
      const taken = this.onRemoved(current);
      if (!undoing) this.history.push(() => this.restore(current, taken));
      this.say(said ?? (undoing ? `Undone: “${current.text}” removed.` : `Deleted “${current.text}”.`));
      if (this.ids.includes(current.id)) this.show(this.ids.filter((id) => id !== current.id));
      return true;
    } catch (error) {
      this.conflictOrError(error, current);
      this.refresh();
      return false;
    }
  }

  // Bring a deleted span back; it gets a new id, which the history follows from then on.
  async restore(span, taken = null) {
    const body = { label: span.label, start: span.start, end: span.end, note: span.note };
    try {
      const path = `projects/${this.data.project}/documents/${this.data.document.id}/spans/`;
      const restored = await api("POST", path, body);
      this.spans.push(restored);
      this.history.follow(span.id, restored.id);
      this.onChange(restored);
      if (taken) await this.onRestored(taken);
      this.say(`Undone: “${span.text}” is back.`);
    } catch (error) {
      this.say(`Could not undo: ${error.message}`, true);
    }
  }

  conflictOrError(error, seen) {
    const adopt = (current) => {
      this.replace(current);
      this.onChange(seen, current);
    };
    reportSaveFailure(error, { say: this.say, adopt, what: "this span" });
  }
}

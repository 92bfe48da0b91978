// The panel for the spans under a click: change the label, edit the note, delete. Every change sends the
// version the page last saw (If-Match); a 409 brings back the span as it now is.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { labelSelect } from "./labels.js";
import { reportSaveFailure } from "./status.js";

// The head of a span's card in a side panel: its text and a byline. `dataset` names the card for tests and keys.
export function spanCard(span, byline, dataset = { panelSpanId: String(span.id) }) {
  return element("section", { className: "span-card", dataset }, [
    element("p", { className: "span-text", textContent: `“${span.text}”` }),
    element("p", { className: "muted", textContent: byline }),
  ]);
}

export class SpanPanel {
  constructor(root, { data, spans, labelsById, onChange, say, remember, editable = () => true }) {
    this.root = root;
    this.data = data;
    this.spans = spans;
    this.labelsById = labelsById;
    this.onChange = onChange;
    this.say = say;
    this.remember = remember;
    this.editable = editable;
  }

  path(span) {
    return `projects/${this.data.project}/documents/${this.data.document.id}/spans/${span.id}/`;
  }

  hide() {
    this.root.hidden = true;
  }

  show(ids) {
    const chosen = this.spans.filter((span) => ids.includes(span.id));
    this.root.replaceChildren(...chosen.map((span) => this.card(span)));
    this.root.hidden = chosen.length === 0;
  }

  card(span) {
    const mine = span.annotator === this.data.username && this.editable();
    const card = spanCard(span, `${span.annotator} · ${span.review_status}`);
    if (span.review_status === "rejected" && span.review_comment) {
      card.append(element("p", { className: "review-comment", textContent: `Reviewer: ${span.review_comment}` }));
    }
    const select = labelSelect(this.labelsById, span.label, { disabled: !mine });
    const note = element("textarea", { disabled: !mine, name: "note", rows: 2, value: span.note });
    card.append(element("label", { textContent: "Label" }, [select]), element("label", { textContent: "Note" }, [note]));
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

  async save(span, changes, { undoing = false } = {}) {
    try {
      const updated = await api("PATCH", this.path(span), changes, { "If-Match": `"${span.version}"` });
      this.replace(updated);
      if (!undoing) this.remember(() => this.save(updated, { label: span.label, note: span.note }, { undoing: true }));
      this.say(undoing ? `Undone: “${updated.text}” is back as it was.` : `Saved “${updated.text}”.`);
      this.onChange(span, updated);
    } catch (error) {
      this.conflictOrError(error, span);
    }
    this.show([span.id]);
  }

  async remove(span, { undoing = false } = {}) {
    try {
      const current = this.spans.find((s) => s.id === span.id) || span;
      await api("DELETE", this.path(current), undefined, { "If-Match": `"${current.version}"` });
      this.spans.splice(this.spans.findIndex((s) => s.id === span.id), 1);
      if (!undoing) this.remember(() => this.restore(current));
      this.say(undoing ? `Undone: “${current.text}” removed.` : `Deleted “${current.text}”.`);
      this.root.hidden = true;
      this.onChange(current);
    } catch (error) {
      this.conflictOrError(error, span);
      this.show([span.id]);
    }
  }

  async restore(span) {
    const body = { label: span.label, start: span.start, end: span.end, note: span.note };
    try {
      const path = `projects/${this.data.project}/documents/${this.data.document.id}/spans/`;
      const restored = await api("POST", path, body);
      this.spans.push(restored);
      this.say(`Undone: “${span.text}” is back.`);
      this.onChange(restored);
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

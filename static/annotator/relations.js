// The document's relations on the annotate page: kept in one array, saved through the REST API (If-Match on
// every change), each saved change pushing its reversal onto the page's undo history. A relation re-created by
// an undo gets a new id, which the history follows (kind "relation"), as it follows spans.
import { api } from "./api.js";
import { reportSaveFailure } from "./status.js";

export class Relations {
  // `spans`: the page's live span array; `onChange(ids)`: after a change to the relations `ids` (the arcs redraw).
  constructor({ data, relations, spans, typesById, history, say, onChange }) {
    this.data = data;
    this.list = relations;
    this.spans = spans;
    this.typesById = typesById;
    this.history = history;
    this.say = say;
    this.onChange = onChange;
  }

  base() {
    return `projects/${this.data.project}/documents/${this.data.document.id}/relations/`;
  }

  live(id) {
    const now = this.history.current(id, "relation");
    return this.list.find((relation) => relation.id === now);
  }

  name(relation) {
    return this.typesById.get(relation.type)?.name ?? "relation";
  }

  replace(relation) {
    const at = this.list.findIndex((r) => r.id === relation.id);
    if (at >= 0) this.list[at] = relation;
  }

  async create(body, { undoing = false } = {}) {
    try {
      const relation = await api("POST", this.base(), body);
      this.list.push(relation);
      if (!undoing) this.history.push(() => this.remove(relation, { undoing: true }));
      this.onChange([relation.id]);
      return relation;
    } catch (error) {
      this.say(`Relation not saved: ${error.message}`, true);
      return null;
    }
  }

  async save(relation, changes, { undoing = false } = {}) {
    const before = { type: relation.type, note: relation.note };
    try {
      const updated = await api("PATCH", `${this.base()}${relation.id}/`, changes, { "If-Match": `"${relation.version}"` });
      this.replace(updated);
      if (!undoing) {
        this.history.push(() => {
          const now = this.live(relation.id);
          if (!now) return this.say("Could not undo: that relation is no longer on the page.", true);
          return this.save(now, before, { undoing: true });
        });
      }
      this.say(undoing ? "Undone: the relation is back as it was." : `Saved the relation as ${this.name(updated)}.`);
      this.onChange([updated.id]);
      return updated;
    } catch (error) {
      this.conflictOrError(error);
      return null;
    }
  }

  async remove(relation, { undoing = false } = {}) {
    const current = this.live(relation.id) || relation;
    try {
      await api("DELETE", `${this.base()}${current.id}/`, undefined, { "If-Match": `"${current.version}"` });
      this.list.splice(
        this.list.findIndex((r) => r.id === current.id),
        1,
      );
      if (!undoing) this.history.push(() => this.restore(current));
      this.say(undoing ? "Undone: the relation is removed." : `Deleted the ${this.name(current)} relation.`);
      this.onChange([current.id]);
      return true;
    } catch (error) {
      this.conflictOrError(error);
      return false;
    }
  }

  // Bring a deleted relation back between its spans as they now are (an undone span delete re-made them too).
  async restore(relation) {
    const body = {
      type: relation.type,
      from_span: this.history.current(relation.from_span),
      to_span: this.history.current(relation.to_span),
      note: relation.note,
    };
    try {
      const restored = await api("POST", this.base(), body);
      this.list.push(restored);
      this.history.follow(relation.id, restored.id, "relation");
      this.say(`Undone: the ${this.name(restored)} relation is back.`);
      this.onChange([restored.id]);
    } catch (error) {
      this.say(`Could not undo: ${error.message}`, true);
    }
  }

  // After a span is deleted: its relations are gone (the API deleted them); returns them, for an undo.
  dropSpan(spanId) {
    const gone = this.list.filter((r) => r.from_span === spanId || r.to_span === spanId);
    if (gone.length === 0) return gone;
    for (const relation of gone) this.list.splice(this.list.indexOf(relation), 1);
    this.onChange(gone.map((relation) => relation.id));
    return gone;
  }

  // After an undo brought a deleted span back: re-make the relations its delete took along.
  async restoreAll(relations) {
    for (const relation of relations) await this.restore(relation);
  }

  conflictOrError(error) {
    const adopt = (current) => {
      this.replace(current);
      this.onChange([current.id]);
    };
    reportSaveFailure(error, { say: this.say, adopt, what: "this relation" });
  }
}

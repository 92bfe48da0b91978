// The annotate page's undo history (Ctrl+Z). Entries name spans by id, but undoing a delete brings the span back
// under a new id: the history keeps which id became which, so an older entry (undo a relabel) reaches the span
// as it now is instead of the deleted row ("Not found").

export class UndoHistory {
  constructor() {
    this.entries = [];
    this.renamed = new Map(); // old id → the id the span came back under
    this.running = Promise.resolve();
  }

  // `undo(history)` reverses one saved change; it looks spans up with history.current(id) when it runs.
  push(undo) {
    this.entries.push(undo);
  }

  // A span deleted as `oldId` is back as `newId`.
  follow(oldId, newId) {
    this.renamed.set(oldId, newId);
  }

  // The id a span has now, following every re-creation since the id was recorded.
  current(id) {
    let at = id;
    while (this.renamed.has(at)) at = this.renamed.get(at);
    return at;
  }

  // Undo the latest change, after any undo still under way: a second Ctrl+Z must see the id the first one made.
  // Answers false when there is nothing to undo.
  undo() {
    const last = this.entries.pop();
    if (!last) return false;
    this.running = this.running.then(() => last(this)).catch(() => {});
    return true;
  }
}

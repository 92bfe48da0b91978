// The annotate page's undo history (Ctrl+Z). Entries name spans and relations by id, but undoing a delete brings
// the object back under a new id: the history keeps which id became which, per kind (a span and a relation may
// share an id), so an older entry (undo a relabel) reaches the object as it now is instead of the deleted row
// ("Not found").

export class UndoHistory {
  constructor() {
    this.entries = [];
    this.renamed = new Map(); // "kind:old id" → the id the object came back under
    this.running = Promise.resolve();
  }

  // `undo(history)` reverses one saved change; it looks objects up with history.current(id) when it runs.
  push(undo) {
    this.entries.push(undo);
  }

  // An object of `kind` ("span", "relation") deleted as `oldId` is back as `newId`.
  follow(oldId, newId, kind = "span") {
    this.renamed.set(`${kind}:${oldId}`, newId);
  }

  // The id an object has now, following every re-creation since the id was recorded.
  current(id, kind = "span") {
    let at = id;
    while (this.renamed.has(`${kind}:${at}`)) at = this.renamed.get(`${kind}:${at}`);
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

// Drawing a relation: with one of the user's spans open (the from span), a relation type's key or button starts
// it; a click on another of the user's spans, or Alt+↓ / Alt+↑ to step to it and Enter, saves it. Escape cancels.
// Nothing is drawn until the API has accepted the relation; a refusal is said in the page's toast.

const textOrder = (a, b) => a.start - b.start || a.end - b.end || a.id - b.id;

export class RelationDrawing {
  // `mark(fromId, targetId)`: outline the from span and the target chosen by keyboard (null: none).
  constructor({ relations, spans, username, say, mayEdit, mark, buttons }) {
    this.relations = relations;
    this.spans = spans;
    this.username = username;
    this.say = say;
    this.mayEdit = mayEdit;
    this.mark = mark;
    this.buttons = buttons;
    this.from = null;
    this.type = null;
    this.target = null;
  }

  get pending() {
    return this.from !== null;
  }

  start(type, from) {
    if (!this.mayEdit()) return;
    if (!from) {
      this.say(`To draw a ${type.name} relation, open one of your spans first (click it, or Alt+↓).`, true);
      return;
    }
    this.from = from;
    this.type = type;
    this.target = null;
    this.show();
    this.say(`${type.name} from “${from.text}”: click the span it points to, or Alt+↓ / Alt+↑ and Enter. Esc cancels.`);
  }

  cancel({ quiet = false } = {}) {
    if (!this.pending) return;
    this.from = this.type = this.target = null;
    this.show();
    if (!quiet) this.say("No relation drawn.");
  }

  show() {
    // A data attribute no style rule reads: a class on the page (a crosshair over every highlight) made the browser
    // restyle all 11,000 highlights of a long article twice per relation, the larger part of drawing one.
    if (this.pending) document.body.dataset.relating = this.type.name;
    else delete document.body.dataset.relating;
    for (const node of this.buttons) {
      node.setAttribute("aria-pressed", String(Number(node.dataset.relationTypeId) === this.type?.id));
    }
    this.mark(this.from?.id ?? null, this.target?.id ?? null);
  }

  // The user's spans a relation may point to from the pending one, in text order.
  candidates() {
    return this.spans.filter((span) => span.annotator === this.username && span.id !== this.from.id).sort(textOrder);
  }

  // Step the keyboard's target to the next (1) or previous (-1) candidate in text order.
  step(direction) {
    const list = this.candidates();
    if (list.length === 0) return;
    const at = this.target ?? this.from;
    let next;
    if (direction > 0) next = list.find((span) => textOrder(span, at) > 0) ?? list[0];
    else next = list.findLast((span) => textOrder(span, at) < 0) ?? list[list.length - 1];
    this.target = next;
    this.show();
    document.querySelector(`[data-span-id="${next.id}"]`)?.scrollIntoView({ block: "nearest" });
    this.say(`To “${next.text}”: Enter draws the ${this.type.name} relation.`);
  }

  confirm() {
    if (this.target) this.pick([this.target.id]);
  }

  // Ids under a click, innermost first: the relation points to the innermost of them that is the user's own.
  async pick(ids) {
    const to = ids
      .map((id) => this.spans.find((span) => span.id === id))
      .find((span) => span && span.annotator === this.username && span.id !== this.from.id);
    if (!to) {
      this.say("A relation joins two of your own spans: click another one, or Esc to cancel.", true);
      return;
    }
    const { from, type } = this;
    this.cancel({ quiet: true });
    const relation = await this.relations.create({ type: type.id, from_span: from.id, to_span: to.id });
    if (relation) this.say(`Saved: “${from.text}” ${type.name} “${to.text}”.`);
  }
}

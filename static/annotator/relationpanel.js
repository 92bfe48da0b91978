// The relation editor: a popover beside the clicked arc with the relation's two ends, its type, its note and a
// delete button; read-only for someone else's relation or while the page reads only. Escape or × closes it.
import { button, element } from "./dom.js";

const MARGIN = 8;
const GAP = 6;

export class RelationPanel {
  constructor(root, { relations, spans, typesById, username, mayEdit, home }) {
    this.root = root;
    this.relations = relations;
    this.spans = spans;
    this.typesById = typesById;
    this.username = username;
    this.mayEdit = mayEdit;
    this.home = home;
    this.id = null;
    this.box = null;
    this.body = element("div", { className: "span-panel-body" });
    const close = button("×", () => this.close(), "span-panel-close");
    close.setAttribute("aria-label", "Close");
    close.title = "Close (Esc)";
    const head = element("div", { className: "span-panel-head" }, [element("p", { textContent: "Relation" }), close]);
    root.replaceChildren(head, this.body);
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

  // Open `relation` beside `box` (a viewport rectangle: its arc).
  open(relation, box) {
    this.id = relation.id;
    this.box = { left: box.left + window.scrollX, top: box.top + window.scrollY, bottom: box.bottom + window.scrollY };
    this.refresh();
    this.root.focus({ preventScroll: true });
  }

  close() {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.id = null;
    this.home.focus({ preventScroll: true });
  }

  // Redraw the card after a change (the relation as the page now holds it); gone, the editor closes.
  refresh() {
    if (this.id === null) return;
    const relation = this.relations.live(this.id);
    if (!relation) {
      this.close();
      return;
    }
    this.id = relation.id;
    this.body.replaceChildren(this.card(relation));
    this.root.hidden = false;
    this.place();
  }

  spanText(id) {
    const span = this.spans.find((s) => s.id === id);
    return span ? `“${span.text}”` : "(a span not shown)";
  }

  card(relation) {
    const mine = relation.annotator === this.username && this.mayEdit();
    const card = element("section", { className: "span-card", dataset: { panelRelationId: String(relation.id) } }, [
      element("p", {
        className: "span-text",
        textContent: `${this.spanText(relation.from_span)} → ${this.spanText(relation.to_span)}`,
      }),
      element("p", { className: "muted", textContent: `${relation.annotator} · ${relation.review_status}` }),
    ]);
    const select = element("select", { name: "type", disabled: !mine });
    for (const type of this.typesById.values()) {
      if (!type.active && type.id !== relation.type) continue;
      const selected = type.id === relation.type;
      select.append(element("option", { value: String(type.id), textContent: type.name, selected }));
    }
    const note = element("textarea", { disabled: !mine, name: "note", rows: 2, value: relation.note });
    card.append(element("label", { textContent: "Type" }, [select]), element("label", { textContent: "Note" }, [note]));
    if (mine) {
      const save = button("Save", async () => {
        await this.relations.save(relation, { type: Number(select.value), note: note.value });
        this.refresh();
      });
      const remove = button(
        "Delete",
        async () => {
          if (await this.relations.remove(relation)) this.close();
          else this.refresh();
        },
        "danger",
      );
      card.append(element("div", { className: "actions" }, [save, remove]));
    }
    return card;
  }

  // Below the arc when it fits, else above it, inside the window.
  place() {
    const width = document.documentElement.clientWidth;
    const height = window.innerHeight;
    const box = this.root.getBoundingClientRect();
    const top = this.box.top - window.scrollY;
    const bottom = this.box.bottom - window.scrollY;
    let y = bottom + GAP;
    if (y + box.height > height - MARGIN) y = Math.max(MARGIN, top - GAP - box.height);
    const x = Math.max(MARGIN, Math.min(this.box.left - window.scrollX, width - MARGIN - box.width));
    this.root.style.left = `${x + window.scrollX}px`;
    this.root.style.top = `${y + window.scrollY}px`;
  }
}

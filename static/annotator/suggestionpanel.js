// The suggestion popover: a click on a suggestion's dashed outline opens it beside the click, with a card for each
// open suggestion under the click (its text, source and score, a label to accept it as, Accept and Reject), and,
// when spans lie under the click too, a button that opens them in the span editor instead. Read-only pages show
// the cards without their buttons' effect. Escape or × closes it, giving the focus back.
import { button, element } from "./dom.js";
import { labelSelect } from "./labels.js";
import { placeBeside, spanCard } from "./spanpanel.js";
import { scoreShown } from "./suggestions.js";

export class SuggestionPanel {
  // `openSpans(ids, box)`: open the span editor on the spans under the same click.
  constructor(root, { suggestions, labelsById, mayEdit, home, openSpans }) {
    this.root = root;
    this.suggestions = suggestions;
    this.labelsById = labelsById;
    this.mayEdit = mayEdit;
    this.home = home;
    this.openSpans = openSpans;
    this.ids = [];
    this.spanIds = [];
    this.anchor = null;
    this.box = null;
    this.opener = null;
    this.body = element("div", { className: "span-panel-body" });
    const close = button("×", () => this.close(), "span-panel-close");
    close.setAttribute("aria-label", "Close");
    close.title = "Close (Esc)";
    root.replaceChildren(
      element("div", { className: "span-panel-head" }, [element("p", { textContent: "Suggestion" }), close]),
      this.body,
    );
    window.addEventListener("resize", () => this.isOpen && placeBeside(this.root, this.anchor));
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

  // Open on the suggestions `ids` (and name the spans `spanIds` under the same click) beside `box`, a viewport
  // rectangle.
  open(ids, spanIds, box) {
    if (!this.isOpen) this.opener = document.activeElement;
    this.box = box;
    this.anchor = { left: box.left + window.scrollX, top: box.top + window.scrollY, bottom: box.bottom + window.scrollY };
    this.spanIds = spanIds;
    this.show(ids);
    if (this.isOpen) this.root.focus({ preventScroll: true });
  }

  close({ refocus = true } = {}) {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.ids = [];
    if (!refocus) return;
    const back = this.opener?.isConnected && this.opener !== document.body ? this.opener : this.home;
    back?.focus({ preventScroll: true });
  }

  // Draw the cards of the suggestions still open among `ids`; none left closes the popover.
  show(ids) {
    const open = ids.map((id) => this.suggestions.byId.get(id)).filter(Boolean);
    if (open.length === 0) {
      this.close();
      return;
    }
    this.ids = open.map((s) => s.id);
    const parts = open.map((s) => this.card(s));
    if (!this.mayEdit()) {
      parts.push(element("p", { className: "muted", textContent: "Read-only: turn on annotating to accept or reject." }));
    }
    if (this.spanIds.length) {
      const count = this.spanIds.length;
      parts.push(
        button(`Open the span${count === 1 ? "" : "s"} here (${count})`, () => {
          this.close({ refocus: false });
          this.openSpans(this.spanIds, this.box);
        }),
      );
    }
    this.body.replaceChildren(...parts);
    this.root.hidden = false;
    placeBeside(this.root, this.anchor);
  }

  card(suggestion) {
    const editable = this.mayEdit();
    const card = spanCard(suggestion, `Suggested by ${suggestion.source} · score ${scoreShown(suggestion.score)}`, {
      panelSuggestionId: String(suggestion.id),
    });
    const select = labelSelect(this.labelsById, suggestion.label, { disabled: !editable });
    card.append(element("label", { textContent: "Accept as" }, [select]));
    const decided = async (decision) => {
      await decision;
      this.show(this.ids);
    };
    const accept = button("Accept", () =>
      decided(this.suggestions.accept(suggestion, this.labelsById.get(Number(select.value)))),
    );
    const reject = button("Reject", () => decided(this.suggestions.reject(suggestion)), "danger");
    accept.disabled = reject.disabled = !editable;
    card.append(element("div", { className: "actions" }, [accept, reject]));
    return card;
  }

  // After a change elsewhere (an undo, the editing switch): the cards as the suggestions now are.
  refresh() {
    if (this.isOpen) this.show(this.ids);
  }
}

// The document's questions on the annotate page: option buttons (single), checkboxes (multi) or a segmented scale,
// each answer saved at once through the REST API (If-Match on every change) and undoable. The caller's answers are
// kept by question (one answer per question and annotator), so an undo sets a question back to its value before,
// whatever id its answer has by then. Keys: a question's key focuses it, then 1..9 (0: the tenth) pick an option.
import { api } from "./api.js";
import { element } from "./dom.js";
import { reportSaveFailure } from "./status.js";

const DIGITS = 10;

// The n-th choice (0-based) a digit key picks: "1" the first … "9" the ninth, "0" the tenth.
function digitIndex(key) {
  if (!/^[0-9]$/.test(key)) return -1;
  return key === "0" ? 9 : Number(key) - 1;
}

// A question's choices in order: its options, or each integer of its scale.
function choicesOf(question) {
  if (question.kind !== "scale") return question.options;
  return Array.from({ length: question.max - question.min + 1 }, (_, i) => question.min + i);
}

function shown(value) {
  return Array.isArray(value) ? value.join(", ") : String(value);
}

export class Questions {
  // `data`: the page's data (project, document, questions, answers); `mayEdit()`: whether the page edits now;
  // `onLeave()`: Escape from a question gives the keyboard back (to the text).
  constructor(root, { data, history, say, mayEdit, onLeave }) {
    this.root = root;
    this.data = data;
    this.history = history;
    this.say = say;
    this.mayEdit = mayEdit;
    this.onLeave = onLeave;
    this.list = data.questions;
    this.byId = new Map(this.list.map((question) => [question.id, question]));
    this.byKey = new Map(this.list.filter((question) => question.key).map((question) => [question.key, question]));
    this.answers = new Map(data.answers.map((answer) => [answer.question, answer]));
    this.fields = new Map();
    // Saves run one after another: a second click must send the version the first one's answer came back with.
    this.running = Promise.resolve();
    if (root) this.render();
  }

  base() {
    return `projects/${this.data.project}/documents/${this.data.document.id}/answers/`;
  }

  render() {
    for (const question of this.list) {
      const field = this.field(question);
      this.fields.set(question.id, field);
      this.root.append(field);
      this.show(question);
    }
  }

  field(question) {
    const legend = element("legend", {}, [
      ...(question.key ? [element("kbd", { textContent: question.key }), " "] : []),
      question.name,
      ...(question.required ? [" ", element("span", { className: "question-required", textContent: "(required)" })] : []),
    ]);
    const parts = [legend];
    if (question.description) parts.push(element("p", { className: "muted question-about", textContent: question.description }));
    parts.push(question.kind === "multi" ? this.checkboxes(question) : this.buttons(question));
    parts.push(element("p", { className: "question-review muted", hidden: true }));
    parts.push(
      element("p", {
        className: "question-missing",
        textContent: "Required: answer this before you submit.",
        hidden: true,
      }),
    );
    return element("fieldset", { className: "question", dataset: { questionId: question.id, kind: question.kind } }, parts);
  }

  hint(index) {
    return index < DIGITS ? [element("kbd", { textContent: String((index + 1) % DIGITS) }), " "] : [];
  }

  // single: a radio group of buttons; scale: the same, one segment per integer. A click on the chosen one clears it.
  buttons(question) {
    const scale = question.kind === "scale";
    const group = element("div", {
      className: scale ? "question-scale" : "question-options",
      role: "radiogroup",
      "aria-label": question.name,
    });
    choicesOf(question).forEach((choice, index) => {
      const dataset = { questionId: question.id, [scale ? "value" : "option"]: String(choice) };
      const node = element("button", { type: "button", role: "radio", "aria-checked": "false", dataset }, [
        ...this.hint(index),
        String(choice),
      ]);
      node.addEventListener("click", () => this.pick(question, index));
      group.append(node);
    });
    return group;
  }

  checkboxes(question) {
    const group = element("div", { className: "question-options", role: "group", "aria-label": question.name });
    question.options.forEach((option, index) => {
      const box = element("input", { type: "checkbox", dataset: { questionId: question.id, option } });
      box.addEventListener("change", () => this.pick(question, index));
      group.append(element("label", { className: "question-check" }, [box, " ", ...this.hint(index), option]));
    });
    return group;
  }

  // Draw a question's controls as its stored answer says.
  show(question) {
    const field = this.fields.get(question.id);
    if (!field) return;
    const answer = this.answers.get(question.id);
    const value = answer ? answer.value : null;
    for (const control of field.querySelectorAll("[data-option], [data-value]")) {
      const choice = question.kind === "scale" ? Number(control.dataset.value) : control.dataset.option;
      const on = question.kind === "multi" ? Array.isArray(value) && value.includes(choice) : value === choice;
      if (control.type === "checkbox") control.checked = on;
      else control.setAttribute("aria-checked", String(on));
    }
    const review = field.querySelector(".question-review");
    const reviewed = answer && answer.review_status !== "pending";
    review.hidden = !reviewed;
    review.textContent = reviewed
      ? `Your answer was ${answer.review_status}${answer.review_comment ? `: ${answer.review_comment}` : "."}`
      : "";
    if (answer) this.flagMissing(question, false);
  }

  // The value picking the `index`-th choice makes: single and scale take it (or clear it, when it is the answer
  // already); multi adds or removes it, in the question's order (null once none is left).
  valueAfterPick(question, index) {
    const choice = choicesOf(question)[index];
    const current = this.answers.get(question.id)?.value ?? null;
    if (question.kind !== "multi") return current === choice ? null : choice;
    const chosen = new Set(current || []);
    if (chosen.has(choice)) chosen.delete(choice);
    else chosen.add(choice);
    const value = question.options.filter((option) => chosen.has(option));
    return value.length ? value : null;
  }

  pick(question, index) {
    if (!this.mayEdit()) {
      this.show(question);
      return this.running;
    }
    this.running = this.running.then(() => this.set(question, this.valueAfterPick(question, index)));
    return this.running;
  }

  // Give `question` the answer `value` (null: no answer): a POST, a PATCH or a DELETE, as the stored answer needs.
  async set(question, value, { undoing = false } = {}) {
    const before = this.answers.get(question.id);
    const same = JSON.stringify(before ? before.value : null) === JSON.stringify(value);
    if (same) return this.show(question);
    try {
      if (value === null) {
        await api("DELETE", `${this.base()}${before.id}/`, undefined, { "If-Match": `"${before.version}"` });
        this.answers.delete(question.id);
      } else if (before) {
        const headers = { "If-Match": `"${before.version}"` };
        this.answers.set(question.id, await api("PATCH", `${this.base()}${before.id}/`, { value }, headers));
      } else {
        this.answers.set(question.id, await api("POST", this.base(), { question: question.id, value }));
      }
    } catch (error) {
      if (error.status === 404 && before) {
        this.answers.delete(question.id);
        this.say(`Not saved: your answer to “${question.name}” was deleted meanwhile; it is shown as it now is.`, true);
      } else {
        const adopt = (current) => this.answers.set(question.id, current);
        reportSaveFailure(error, { say: this.say, adopt, what: `your answer to “${question.name}”` });
      }
      this.show(question);
      return null;
    }
    if (!undoing) {
      const previous = before ? before.value : null;
      this.history.push(() => {
        this.running = this.running.then(() => this.set(question, previous, { undoing: true }));
        return this.running;
      });
    }
    const now = value === null ? "no answer" : shown(value);
    this.say(undoing ? `Undone: ${question.name} is back to ${now}.` : `Saved ${question.name}: ${now}.`);
    this.show(question);
    return this.answers.get(question.id) ?? null;
  }

  flagMissing(question, missing) {
    const field = this.fields.get(question.id);
    if (!field) return;
    field.classList.toggle("missing", missing);
    field.querySelector(".question-missing").hidden = !missing;
  }

  // Submit was refused for the required questions `names`: mark each, and focus the first for the keyboard.
  showMissing(names) {
    const missing = this.list.filter((question) => names.includes(question.name));
    for (const question of this.list) this.flagMissing(question, missing.includes(question));
    if (missing.length) {
      this.fields.get(missing[0].id)?.scrollIntoView({ block: "nearest" });
      this.focus(missing[0]);
    }
  }

  // Focus a question's chosen control, else its first: then its digits pick, and Tab/Space/Enter work as usual.
  focus(question) {
    const field = this.fields.get(question.id);
    if (!field) return;
    const controls = [...field.querySelectorAll("[data-option], [data-value]")];
    const chosen = controls.find((control) => control.checked || control.getAttribute("aria-checked") === "true");
    (chosen || controls[0])?.focus();
  }

  // The question whose control has the focus, if any.
  armed() {
    const field = document.activeElement?.closest?.("fieldset[data-question-id]");
    return field && this.root?.contains(field) ? this.byId.get(Number(field.dataset.questionId)) : null;
  }

  // While a question has the focus, its digits and Escape; these come before every other key of the page.
  armedAction(key) {
    const question = this.armed();
    if (!question) return null;
    if (key === "Escape") return () => this.onLeave?.();
    const index = digitIndex(key);
    if (index < 0 || index >= choicesOf(question).length) return null;
    return () => this.pick(question, index);
  }

  // A question's key: focus it.
  keyAction(key) {
    const question = this.byKey.get(key);
    return question ? () => this.focus(question) : null;
  }
}

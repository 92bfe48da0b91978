// The questions table and the form that adds one (settings-table.js). Under each question's fields sit its options
// (single, multi), each edited in place, or its bounds (scale); changing the kind swaps one for the other. The API
// refuses to take away an option that answers choose (renaming takes it away) or to change the kind of a question
// with answers, and the row shows its reason.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { problems, rowMessage } from "./settings-form.js";
import { field, readFields, settingsTable } from "./settings-table.js";

const KINDS = [
  ["single", "Single choice"],
  ["multi", "Multiple choice"],
  ["scale", "Scale"],
];
const OPTION_LENGTH_MAX = 200; // annotator/rules.py

function kindSelect(kind) {
  return element("select", { name: "kind", "aria-label": "Kind" },
    KINDS.map(([value, text]) => element("option", { value, textContent: text, selected: value === kind })));
}

// One option: its text, edited in place, and a button that takes it off the list (saved with the row).
function optionItem(value, list) {
  const input = element("input", {
    type: "text", name: "option", value, maxLength: OPTION_LENGTH_MAX, "aria-label": "Option",
  });
  const remove = button("×", () => {
    item.remove();
    list.dispatchEvent(new Event("change", { bubbles: true }));
  }, "remove-option");
  remove.setAttribute("aria-label", value ? `Remove option “${value}”` : "Remove option");
  const item = element("li", { className: "option-item", dataset: { option: value } }, [input, remove]);
  return item;
}

function optionEditor(options) {
  const list = element("ol", { className: "option-list" });
  list.append(...options.map((option) => optionItem(option, list)));
  const add = button("Add option", () => {
    const item = optionItem("", list);
    list.append(item);
    item.querySelector("input").focus();
  }, "link add-option");
  // Named like the API's field, so a refusal naming `options` marks the whole list.
  return element("fieldset", { className: "option-editor", name: "options" }, [
    element("legend", { textContent: "Options" }), list, add,
  ]);
}

function boundInput(name, value, label) {
  return element("label", { className: "bound" }, [
    element("span", { textContent: label }),
    element("input", { type: "number", name, value: value === null ? "" : String(value), step: 1 }),
  ]);
}

/** The options of a choice or the bounds of a scale, whichever the kind takes, the other hidden. */
function shapeEditor({ kind, options, min, max }) {
  const shape = element("div", { className: "question-shape" }, [
    optionEditor(options),
    element("fieldset", { className: "bounds" }, [
      element("legend", { textContent: "Scale" }), boundInput("min", min, "From"), boundInput("max", max, "to"),
    ]),
  ]);
  showShape(shape, kind);
  return shape;
}

function showShape(shape, kind) {
  shape.querySelector(".option-editor").hidden = kind === "scale";
  shape.querySelector(".bounds").hidden = kind !== "scale";
}

// An integer as a number; anything else as typed, so the API names the problem. An option input left empty (one
// added and not filled in) is no option.
function bound(input) {
  const value = input.value.trim();
  if (value === "") return null;
  return /^-?\d{1,10}$/.test(value) ? Number(value) : value;
}

function readShape(container, kind) {
  if (kind === "scale") {
    const [min, max] = ["min", "max"].map((name) => bound(container.querySelector(`[name='${name}']`)));
    return { options: [], min, max };
  }
  const options = [...container.querySelectorAll("input[name='option']")].map((input) => input.value);
  return { options: options.filter((option) => option !== ""), min: null, max: null };
}

const FIELDS = ["name", "kind", "key", "description", "required"];

function readQuestion(container) {
  const values = readFields(container, FIELDS);
  return { ...values, ...readShape(container.querySelector(".question-shape"), values.kind) };
}

// The kind select swaps the options for the bounds within its own row (or the add form); a scale turned into a
// choice starts with two empty options to fill in.
function followKind(container) {
  container.addEventListener("change", (event) => {
    if (event.target.name !== "kind") return;
    const shape = event.target.closest("tbody, form").querySelector(".question-shape");
    const list = shape.querySelector(".option-list");
    if (event.target.value !== "scale" && !list.children.length) {
      list.append(optionItem("", list), optionItem("", list));
    }
    showShape(shape, event.target.value);
  });
}

const NEW_QUESTION = { kind: "single", options: ["", ""], min: 1, max: 5 };

function optionSelect(name, label, options, chosen) {
  return element("select", { name, "aria-label": label },
    options.map((option) => element("option", { value: option, textContent: option, selected: option === chosen })));
}

const count = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;

export function questionSettings({ base, questions, onChange }) {
  // Merge one option into another: the answers that chose it choose the other, and the question loses it.
  function offerMerge(question, body) {
    if (question.kind === "scale") {
      rowMessage(body, ["A scale question has no options to merge."], "error");
      return;
    }
    const option = optionSelect("option", "Option to merge", question.options, question.options[0]);
    const into = optionSelect("into", "Merge it into", question.options, question.options[1]);
    const controls = [
      option, element("span", { textContent: " into " }), into,
      button("Merge", () => merge(question, body, option.value, into.value), "danger merge-confirm"),
      button("Cancel", () => rowMessage(body, []), "link"),
    ];
    rowMessage(body, ["Every answer and gold answer choosing the first option will choose the second instead, and " +
      "the question loses the first. This cannot be undone."], "", controls);
  }

  async function merge(question, body, option, into) {
    try {
      const result = await api("POST", `${base}questions/${question.id}/merge/`, { option, into });
      const { answers, gold_answers: gold } = result.moved;
      rowMessage(table.store(result.question), [`Merged option “${option}” into “${into}”: ` +
        `${count(answers, "answer")} and ${count(gold, "gold answer")} changed.`], "ok");
    } catch (error) {
      rowMessage(body, [`Not merged. ${problems(error).join(" ")}`], "error");
    }
  }

  const table = settingsTable({
    base,
    plural: "questions",
    singular: "question",
    items: questions,
    cells: (question) => [
      [field.name(question.name)], [kindSelect(question.kind)], [field.key(question.key)],
      [field.description(question.description)], [field.flag("required", question.required, "Required")],
      [field.flag("active", question.active, "Active")],
    ],
    rows: (question) => [{ className: "shape-row", contents: [shapeEditor(question)] }],
    read: (body) => ({ ...readQuestion(body), active: body.querySelector("[name='active']").checked }),
    readForm: (form) => {
      const values = readQuestion(form);
      return { ...values, name: values.name.trim() };
    },
    // 409: answers hold the question. Deactivating keeps them and stops anyone being asked it.
    inUse: (question) => ({
      lines: [`“${question.name}” has answers, so it cannot be deleted. Deactivate it instead: its answers stay, ` +
        "and annotators are no longer asked it."],
    }),
    onChange,
    actions: (question, body) => (question.kind === "scale" ? []
      : [button("Merge options…", () => offerMerge(question, body), "merge")]),
    onReset: (form) => form.querySelector(".question-shape").replaceWith(shapeEditor(NEW_QUESTION)),
  });
  followKind(table.table);
  followKind(table.form);
  table.form.querySelector(".question-shape").replaceWith(shapeEditor(NEW_QUESTION));
  return { render: table.render, store: table.store, all: table.all };
}

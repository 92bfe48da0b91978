// The relation types table and the form that adds one (settings-table.js). Each type's row is followed by its ends
// (the labels each end allows, shown as chips, with checkboxes to change them). `labels()` gives the project's
// labels now, so the ends follow labels added or renamed; `onChange()` runs after any type is added, changed or
// deleted.
import { element } from "./dom.js";
import { colouredCells, readColoured, readColouredForm, settingsTable } from "./settings-table.js";

const ENDS = [
  ["from_labels", "From"],
  ["to_labels", "To"],
];

function labelChip(label) {
  const chip = element("span", { className: "label-chip", textContent: label.name });
  chip.style.setProperty("--chip", label.color);
  if (!label.active) chip.title = "inactive";
  return chip;
}

/** The labels an end allows as chips, or "any label" when it allows every one (an empty list). */
export function endChips(ids, labels) {
  if (!ids.length) return element("span", { className: "label-chips any", textContent: "any label" });
  const byId = new Map(labels.map((label) => [label.id, label]));
  return element(
    "span",
    { className: "label-chips" },
    ids.map((id) => labelChip(byId.get(id) || { name: `label ${id}`, color: "#ffffff", active: true })),
  );
}

function endsSummary(type, labels) {
  return element("p", { className: "ends-summary" }, [
    element("span", { className: "muted", textContent: "From " }),
    endChips(type.from_labels, labels),
    element("span", { className: "muted", textContent: " → to " }),
    endChips(type.to_labels, labels),
  ]);
}

// One checkbox per label for each end: native controls, so Tab and Space choose them; the legend tells the two
// lists apart for a screen reader.
function endChoice(field, legend, labels, checked) {
  const boxes = labels.map((label) =>
    element("label", { className: "end-label" }, [
      element("input", { type: "checkbox", name: field, value: String(label.id), checked: checked.includes(label.id) }),
      labelChip(label),
      ...(label.active ? [] : [element("span", { className: "muted", textContent: " (inactive)" })]),
    ]),
  );
  const none = element("span", { className: "muted", textContent: "The project has no labels yet." });
  // Named like its checkboxes, so a refusal naming the field marks the whole list (markInvalid takes the first).
  return element("fieldset", { className: "end-choice", name: field }, [
    element("legend", { textContent: `${legend} labels` }),
    ...(boxes.length ? boxes : [none]),
    element("span", { className: "muted hint", textContent: "None ticked: any label." }),
  ]);
}

function chosen(container, field) {
  return [...container.querySelectorAll(`input[name="${field}"]:checked`)].map((input) => Number(input.value));
}

function endChoices(labels, ends) {
  return ENDS.map(([field, legend]) => endChoice(field, legend, labels, ends[field]));
}

// The ids in order, as the API lists an end's labels, so an unchanged end compares equal to the saved one.
const ends = (container) => Object.fromEntries(
  ENDS.map(([field]) => [field, chosen(container, field).sort((a, b) => a - b)]),
);

export function relationTypeSettings({ base, relationTypes, labels, onChange }) {
  const types = settingsTable({
    base,
    plural: "relation-types",
    singular: "relation-type",
    items: relationTypes,
    cells: colouredCells,
    rows: (type) => [{
      className: "ends-row",
      contents: [
        endsSummary(type, labels()),
        element("details", { className: "ends-edit" }, [
          element("summary", { textContent: "Change allowed labels" }),
          element("div", { className: "ends-choice" }, endChoices(labels(), type)),
        ]),
      ],
    }],
    read: (body) => ({ ...readColoured(body), ...ends(body) }),
    readForm: (form) => ({ ...readColouredForm(form), ...ends(form) }),
    // 409: relations use the type. Deactivating keeps them and stops anyone drawing new ones.
    inUse: (type) => ({
      lines: [`“${type.name}” is used by relations, so it cannot be deleted. Deactivate it instead: its relations ` +
        "stay, and annotators can no longer draw new ones."],
    }),
    onChange,
  });
  const formEnds = types.form.querySelector("[data-ends-choice]");

  function render() {
    types.render();
    formEnds.replaceChildren(...endChoices(labels(), { from_labels: [], to_labels: [] }));
  }

  /** Redraw the ends' chips and checkboxes with the project's labels now, keeping what is ticked but not saved. */
  function refreshLabels() {
    const now = labels();
    for (const body of types.table.querySelectorAll("tbody")) {
      const type = types.all().find((item) => String(item.id) === body.dataset.relationTypeRow);
      body.querySelector(".ends-summary").replaceWith(endsSummary(type, now));
      body.querySelector(".ends-choice").replaceChildren(...endChoices(now, ends(body)));
    }
    formEnds.replaceChildren(...endChoices(now, ends(formEnds)));
  }

  /** The names of the types that allow label `id` at an end: the API keeps such a label from being deleted. */
  function using(id) {
    return types.all()
      .filter((type) => type.from_labels.includes(id) || type.to_labels.includes(id))
      .map((type) => type.name);
  }

  return { render, store: types.store, refreshLabels, using, all: types.all };
}

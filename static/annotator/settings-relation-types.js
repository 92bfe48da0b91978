// The relation types table and the form that adds one. Each type is a <tbody>: its fields, its ends (the labels
// each end allows, shown as chips, with checkboxes to change them), then a row for its messages; a row is redrawn
// from the API's answer. `labels()` gives the project's labels now, so the ends follow labels added or renamed;
// `onChange()` runs after any type is added, changed or deleted.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { changed, fieldsIn, markInvalid, problems, rowMessage } from "./settings-form.js";
import { setStatus } from "./status.js";

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

const sameIds = (a, b) => [...a].sort((x, y) => x - y).join() === [...b].sort((x, y) => x - y).join();

export function relationTypeSettings({ base, relationTypes: initial, labels, onChange }) {
  let types = initial;
  const table = document.querySelector("[data-testid='relation-types-table']");
  const status = document.getElementById("relation-types-status");
  const empty = document.getElementById("relation-types-empty");

  function row(type) {
    const body = element("tbody", { dataset: { relationTypeRow: String(type.id) } });
    const color = element("input", { type: "color", name: "color", value: type.color, "aria-label": "Colour" });
    const name = element("input", {
      type: "text", name: "name", value: type.name, maxLength: 100, "aria-label": "Name",
    });
    const key = element("input", {
      type: "text", name: "key", value: type.key, maxLength: 1, className: "key", "aria-label": "Key",
    });
    const description = element("textarea", {
      name: "description", value: type.description, rows: 2, "aria-label": "Description",
    });
    const active = element("input", { type: "checkbox", name: "active", checked: type.active, "aria-label": "Active" });
    const save = button("Save", () => saveType(body, type.id), "save");
    const remove = button("Delete", () => deleteType(body, type.id), "danger delete");
    const edit = element("details", { className: "ends-edit" }, [
      element("summary", { textContent: "Change allowed labels" }),
      element("div", { className: "ends-choice" }, endChoices(labels(), type)),
    ]);
    body.append(
      element("tr", {}, [
        element("td", {}, [color]),
        element("td", {}, [name]),
        element("td", {}, [key]),
        element("td", {}, [description]),
        element("td", {}, [active]),
        element("td", { className: "row-actions" }, [save, remove]),
      ]),
      element("tr", { className: "ends-row" }, [
        element("td", { colSpan: 6 }, [endsSummary(type, labels()), edit]),
      ]),
      element("tr", { className: "message-row" }, [
        element("td", { colSpan: 6 }, [element("p", { className: "row-message", role: "alert" })]),
      ]),
    );
    body.addEventListener("input", () => body.classList.add("dirty"));
    body.addEventListener("change", () => body.classList.add("dirty"));
    return body;
  }

  function read(body) {
    const field = (name) => body.querySelector(`[name="${name}"]`);
    return {
      name: field("name").value,
      key: field("key").value,
      color: field("color").value,
      description: field("description").value,
      active: field("active").checked,
    };
  }

  function render() {
    for (const body of table.querySelectorAll("tbody")) body.remove();
    table.append(...types.map(row));
    empty.hidden = types.length > 0;
    formEnds.replaceChildren(...endChoices(labels(), { from_labels: [], to_labels: [] }));
  }

  /** Put a relation type the API returned into the page's list and redraw its row (or add one). */
  function store(saved) {
    const index = types.findIndex((type) => type.id === saved.id);
    const body = row(saved);
    if (index >= 0) {
      types[index] = saved;
      table.querySelector(`tbody[data-relation-type-row="${saved.id}"]`).replaceWith(body);
    } else {
      types.push(saved);
      table.append(body);
    }
    empty.hidden = true;
    onChange();
    return body;
  }

  /** Redraw the ends' chips and checkboxes with the project's labels now, keeping what is ticked but not saved. */
  function refreshLabels() {
    const now = labels();
    for (const body of table.querySelectorAll("tbody")) {
      const type = types.find((item) => String(item.id) === body.dataset.relationTypeRow);
      body.querySelector(".ends-summary").replaceWith(endsSummary(type, now));
      const ticked = Object.fromEntries(ENDS.map(([field]) => [field, chosen(body, field)]));
      body.querySelector(".ends-choice").replaceChildren(...endChoices(now, ticked));
    }
    const ticked = Object.fromEntries(ENDS.map(([field]) => [field, chosen(formEnds, field)]));
    formEnds.replaceChildren(...endChoices(now, ticked));
  }

  async function patchType(body, id, changes) {
    try {
      const saved = await api("PATCH", `${base}relation-types/${id}/`, changes);
      rowMessage(store(saved), [`Saved “${saved.name}”.`], "ok");
    } catch (error) {
      markInvalid(body, fieldsIn(error));
      rowMessage(body, [`Not saved. ${problems(error).join(" ")}`], "error");
    }
  }

  async function saveType(body, id) {
    const type = types.find((item) => item.id === id);
    const changes = changed(read(body), type);
    for (const [field] of ENDS) {
      const ids = chosen(body, field);
      if (!sameIds(ids, type[field])) changes[field] = ids;
    }
    if (!Object.keys(changes).length) {
      rowMessage(body, ["Nothing to save: no field changed."]);
      return;
    }
    await patchType(body, id, changes);
  }

  async function deleteType(body, id) {
    const type = types.find((item) => item.id === id);
    try {
      await api("DELETE", `${base}relation-types/${id}/`);
    } catch (error) {
      // 409: relations use the type. Deactivating keeps them and stops anyone drawing new ones.
      if (error.status === 409) {
        const deactivate = button("Deactivate instead", () => patchType(body, id, { active: false }), "link");
        rowMessage(
          body,
          [`“${type.name}” is used by relations, so it cannot be deleted. Deactivate it instead: its relations ` +
            "stay, and annotators can no longer draw new ones."],
          "error",
          type.active ? [deactivate] : [],
        );
      } else {
        rowMessage(body, [`Not deleted. ${problems(error).join(" ")}`], "error");
      }
      return;
    }
    types = types.filter((item) => item.id !== id);
    body.remove();
    empty.hidden = types.length > 0;
    setStatus(status, `Deleted “${type.name}”.`, "ok");
    onChange();
  }

  const form = document.getElementById("relation-type-add");
  const formEnds = form.querySelector("[data-ends-choice]");
  const formError = document.getElementById("relation-type-add-error");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = form.elements;
    const item = {
      name: fields.name.value.trim(),
      key: fields.key.value,
      color: fields.color.value,
      description: fields.description.value,
      from_labels: chosen(formEnds, "from_labels"),
      to_labels: chosen(formEnds, "to_labels"),
    };
    formError.textContent = "";
    markInvalid(form, []);
    try {
      const saved = await api("POST", `${base}relation-types/`, item);
      store(saved);
      form.reset();
      setStatus(status, `Added “${saved.name}”.`, "ok");
    } catch (error) {
      markInvalid(form, fieldsIn(error));
      formError.textContent = `Not added. ${problems(error).join(" ")}`;
    }
  });

  /** The names of the types that allow label `id` at an end: the API keeps such a label from being deleted. */
  function using(id) {
    return types.filter((type) => type.from_labels.includes(id) || type.to_labels.includes(id)).map((t) => t.name);
  }

  return { render, store, refreshLabels, using, all: () => types };
}

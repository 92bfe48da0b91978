// One editable table of the settings page (labels, relation types, questions) and the form under it that adds an
// item. Each item is a <tbody>: its fields, any rows of its own, then a row for its messages, redrawn from the
// API's answer. Save PATCHes only the fields that changed; Delete refused with 409 (the item is in use) says why and
// offers to deactivate it instead, which keeps what uses it.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { changed, fieldsIn, markInvalid, problems, rowMessage } from "./settings-form.js";
import { setStatus } from "./status.js";

/** The inputs the tables share, named as the API's fields, so a refusal naming a field marks its input. */
export const field = {
  name: (value) => element("input", { type: "text", name: "name", value, maxLength: 100, "aria-label": "Name" }),
  key: (value) => element("input", {
    type: "text", name: "key", value, maxLength: 1, className: "key", "aria-label": "Key",
  }),
  color: (value) => element("input", { type: "color", name: "color", value, "aria-label": "Colour" }),
  description: (value) => element("textarea", { name: "description", value, rows: 2, "aria-label": "Description" }),
  flag: (name, checked, label) => element("input", { type: "checkbox", name, checked, "aria-label": label }),
};

/** The values of the inputs named `names` in `container` (the first of each name): a checkbox's ticked or not. */
export function readFields(container, names) {
  return Object.fromEntries(names.map((name) => {
    const input = container.querySelector(`[name="${name}"]`);
    return [name, input.type === "checkbox" ? input.checked : input.value];
  }));
}

// Labels and relation types: colour, name, key, description, active.
const COLOURED = ["name", "key", "color", "description", "active"];

export function colouredCells(item) {
  return [
    [field.color(item.color)], [field.name(item.name)], [field.key(item.key)],
    [field.description(item.description)], [field.flag("active", item.active, "Active")],
  ];
}

export const readColoured = (body) => readFields(body, COLOURED);

/** A new label's or relation type's fields from its add form. */
export function readColouredForm(form) {
  const { name, key, color, description } = readFields(form, ["name", "key", "color", "description"]);
  return { name: name.trim(), key, color, description };
}

// What a refused save says under its row or form: the lines not shown beside a field, or a pointer to them.
const refusal = (what, lines) => (lines.length ? `${what}. ${lines.join(" ")}` : `${what}: see the fields marked.`);

const rowAttribute = (singular) => `${singular.replace(/-(\w)/g, (_, letter) => letter.toUpperCase())}Row`;

/**
 * `plural` is the API's path under the project and names the page's elements (test id `${plural}-table`,
 * `#${plural}-status`, `#${plural}-empty`); `singular` names the add form (`#${singular}-add`, its error
 * `#${singular}-add-error`) and each row's `data-${singular}-row`. `cells(item)` gives the contents of the first
 * row's cells, `rows(item)` any further rows (each one wide cell); `read(body)` a row's values, `readForm(form)` a
 * new item's. `inUse(item)` gives the lines that say why an item in use stays, and whether to offer deactivating it
 * (`deactivate`, by default while it is active). `onChange()` runs after the table is drawn and after any item is
 * added, changed or deleted; `onReset(form)` after the add form is emptied. `actions(item, body)` gives more buttons
 * for a row, after Save and Delete. `explain(container, error)` shows a refusal beside the fields it names (in a row
 * or the add form) and gives the lines it did not place, for the message under them.
 */
export function settingsTable({
  base, plural, singular, items: initial, cells, rows = () => [], read, readForm, inUse,
  onChange = () => {}, onReset = () => {}, actions = () => [], explain = (container, error) => problems(error),
}) {
  let items = initial;
  const table = document.querySelector(`[data-testid='${plural}-table']`);
  const status = document.getElementById(`${plural}-status`);
  const empty = document.getElementById(`${plural}-empty`);
  const attribute = rowAttribute(singular);
  const find = (id) => items.find((item) => item.id === id);

  function row(item) {
    const body = element("tbody", { dataset: { [attribute]: String(item.id) } });
    const first = cells(item).map((contents) => element("td", {}, contents));
    const width = first.length + 1;
    const wide = (className, contents) => element("tr", { className }, [element("td", { colSpan: width }, contents)]);
    body.append(
      element("tr", {}, [
        ...first,
        element("td", { className: "row-actions" }, [
          button("Save", () => save(body, item.id), "save"),
          button("Delete", () => remove(body, item.id), "danger delete"),
          ...actions(item, body),
        ]),
      ]),
      ...rows(item).map(({ className, contents }) => wide(className, contents)),
      wide("message-row", [element("p", { className: "row-message", role: "alert" })]),
    );
    body.addEventListener("input", () => body.classList.add("dirty"));
    body.addEventListener("change", () => body.classList.add("dirty"));
    return body;
  }

  function render() {
    for (const body of table.querySelectorAll("tbody")) body.remove();
    table.append(...items.map(row));
    empty.hidden = items.length > 0;
    onChange();
  }

  /** Put an item the API returned into the page's list and redraw its row (or add one). */
  function store(saved) {
    const index = items.findIndex((item) => item.id === saved.id);
    const body = row(saved);
    if (index >= 0) {
      items[index] = saved;
      table.querySelector(`tbody[data-${singular}-row="${saved.id}"]`).replaceWith(body);
    } else {
      items.push(saved);
      table.append(body);
    }
    empty.hidden = true;
    onChange();
    return body;
  }

  async function patch(body, id, changes) {
    try {
      const saved = await api("PATCH", `${base}${plural}/${id}/`, changes);
      rowMessage(store(saved), [`Saved “${saved.name}”.`], "ok");
    } catch (error) {
      markInvalid(body, fieldsIn(error));
      rowMessage(body, [refusal("Not saved", explain(body, error))], "error");
    }
  }

  async function save(body, id) {
    const changes = changed(read(body), find(id));
    if (!Object.keys(changes).length) {
      rowMessage(body, ["Nothing to save: no field changed."]);
      return;
    }
    await patch(body, id, changes);
  }

  /** Take an item the API no longer has (merged into another) off the page's list and its row off the table. */
  function drop(id) {
    items = items.filter((other) => other.id !== id);
    table.querySelector(`tbody[data-${singular}-row="${id}"]`)?.remove();
    empty.hidden = items.length > 0;
    onChange();
  }

  async function remove(body, id) {
    const item = find(id);
    try {
      await api("DELETE", `${base}${plural}/${id}/`);
    } catch (error) {
      if (error.status === 409) {
        const { lines, deactivate = item.active } = inUse(item);
        const offer = button("Deactivate instead", () => patch(body, id, { active: false }), "link");
        rowMessage(body, lines, "error", deactivate ? [offer] : []);
      } else {
        rowMessage(body, [`Not deleted. ${problems(error).join(" ")}`], "error");
      }
      return;
    }
    items = items.filter((other) => other.id !== id);
    body.remove();
    empty.hidden = items.length > 0;
    setStatus(status, `Deleted “${item.name}”.`, "ok");
    onChange();
  }

  const form = document.getElementById(`${singular}-add`);
  const formError = document.getElementById(`${singular}-add-error`);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const item = readForm(form);
    formError.textContent = "";
    markInvalid(form, []);
    try {
      const saved = await api("POST", `${base}${plural}/`, item);
      store(saved);
      form.reset();
      onReset(form);
      setStatus(status, `Added “${saved.name}”.`, "ok");
    } catch (error) {
      markInvalid(form, fieldsIn(error));
      formError.textContent = refusal("Not added", explain(form, error));
    }
  });

  return { render, store, drop, table, form, status, all: () => items };
}

// The labels table and the form that adds one. Each label is a <tbody> (its fields, then a row for its messages)
// redrawn from the API's answer. `onChange()` runs after any label is added, changed or deleted.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { changed, fieldsIn, markInvalid, problems, rowMessage } from "./settings-form.js";
import { setStatus } from "./status.js";

export function labelSettings({ base, labels: initial, relationTypesUsing, onChange }) {
  let labels = initial;
  const table = document.querySelector("[data-testid='labels-table']");
  const status = document.getElementById("labels-status");
  const empty = document.getElementById("labels-empty");

  function row(label) {
    const body = element("tbody", { dataset: { labelRow: String(label.id) } });
    const color = element("input", { type: "color", name: "color", value: label.color, "aria-label": "Colour" });
    const name = element("input", {
      type: "text", name: "name", value: label.name, maxLength: 100, "aria-label": "Name",
    });
    const key = element("input", {
      type: "text", name: "key", value: label.key, maxLength: 1, className: "key", "aria-label": "Key",
    });
    const description = element("textarea", {
      name: "description", value: label.description, rows: 2, "aria-label": "Description",
    });
    const active = element("input", { type: "checkbox", name: "active", checked: label.active, "aria-label": "Active" });
    const save = button("Save", () => saveLabel(body, label.id), "save");
    const remove = button("Delete", () => deleteLabel(body, label.id), "danger delete");
    const fields = element("tr", {}, [
      element("td", {}, [color]),
      element("td", {}, [name]),
      element("td", {}, [key]),
      element("td", {}, [description]),
      element("td", {}, [active]),
      element("td", { className: "row-actions" }, [save, remove]),
    ]);
    const message = element("p", { className: "row-message", role: "alert" });
    body.append(fields, element("tr", { className: "message-row" }, [element("td", { colSpan: 6 }, [message])]));
    for (const input of [color, name, key, description, active]) {
      input.addEventListener("input", () => body.classList.add("dirty"));
      input.addEventListener("change", () => body.classList.add("dirty"));
    }
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
    table.append(...labels.map(row));
    empty.hidden = labels.length > 0;
    onChange();
  }

  /** Put a label the API returned into the page's list and redraw its row (or add one). */
  function store(saved) {
    const index = labels.findIndex((label) => label.id === saved.id);
    const body = row(saved);
    if (index >= 0) {
      labels[index] = saved;
      table.querySelector(`tbody[data-label-row="${saved.id}"]`).replaceWith(body);
    } else {
      labels.push(saved);
      table.append(body);
    }
    empty.hidden = true;
    onChange();
    return body;
  }

  async function patchLabel(body, id, changes) {
    try {
      const saved = await api("PATCH", `${base}labels/${id}/`, changes);
      rowMessage(store(saved), [`Saved “${saved.name}”.`], "ok");
    } catch (error) {
      markInvalid(body, fieldsIn(error));
      rowMessage(body, [`Not saved. ${problems(error).join(" ")}`], "error");
    }
  }

  async function saveLabel(body, id) {
    const label = labels.find((item) => item.id === id);
    const changes = changed(read(body), label);
    if (!Object.keys(changes).length) {
      rowMessage(body, ["Nothing to save: no field changed."]);
      return;
    }
    await patchLabel(body, id, changes);
  }

  async function deleteLabel(body, id) {
    const label = labels.find((item) => item.id === id);
    try {
      await api("DELETE", `${base}labels/${id}/`);
    } catch (error) {
      // 409: spans use the label. Deactivating keeps them and stops anyone picking it.
      // A relation type that allows the label at an end holds it too: taking the label off would widen the end.
      const types = relationTypesUsing(id);
      if (error.status === 409 && types.length) {
        rowMessage(
          body,
          [`“${label.name}” is allowed at an end of the relation type ${types.map((t) => `“${t}”`).join(", ")}, ` +
            "so it cannot be deleted. Take it off the relation type first, or untick “Active” to retire it."],
          "error",
        );
      } else if (error.status === 409) {
        const deactivate = button("Deactivate instead", () => patchLabel(body, id, { active: false }), "link");
        rowMessage(
          body,
          [`“${label.name}” is used by spans, so it cannot be deleted. Deactivate it instead: its spans stay, ` +
            "and annotators can no longer pick it."],
          "error",
          label.active ? [deactivate] : [],
        );
      } else {
        rowMessage(body, [`Not deleted. ${problems(error).join(" ")}`], "error");
      }
      return;
    }
    labels = labels.filter((item) => item.id !== id);
    body.remove();
    empty.hidden = labels.length > 0;
    setStatus(status, `Deleted “${label.name}”.`, "ok");
    onChange();
  }

  const form = document.getElementById("label-add");
  const formError = document.getElementById("label-add-error");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = form.elements;
    const item = {
      name: fields.name.value.trim(),
      key: fields.key.value,
      color: fields.color.value,
      description: fields.description.value,
    };
    formError.textContent = "";
    markInvalid(form, []);
    try {
      const saved = await api("POST", `${base}labels/`, item);
      store(saved);
      form.reset();
      setStatus(status, `Added “${saved.name}”.`, "ok");
    } catch (error) {
      markInvalid(form, fieldsIn(error));
      formError.textContent = `Not added. ${problems(error).join(" ")}`;
    }
  });

  return { render, store, all: () => labels };
}

// Deleting a document from the documents page, after the owner confirms in a dialog that says what goes with it.
import { api } from "./api.js";
import { problems } from "./settings-form.js";
import { setStatus } from "./status.js";

function plural(n, one) {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

function consequence({ spans, gold }) {
  const parts = [];
  if (spans) parts.push(plural(spans, "span"));
  if (gold) parts.push(plural(gold, "gold span"));
  const annotations = parts.length ? `its ${parts.join(" and ")}, ` : "";
  return `The document, ${annotations}its assignments and its place in every queue are deleted. This cannot be undone.`;
}

/** `deleted(id)` runs once the API has deleted the document. */
export function documentDelete({ base, deleted }) {
  const dialog = document.getElementById("delete-confirm");
  const heading = document.getElementById("delete-heading");
  const text = document.getElementById("delete-consequence");
  const status = document.getElementById("delete-status");
  const confirm = dialog.querySelector("[data-action='confirm']");
  let target = null;

  function ask(id, title, annotations) {
    target = id;
    heading.textContent = `Delete “${title}”?`;
    text.textContent = consequence(annotations);
    setStatus(status, "");
    confirm.disabled = false;
    dialog.showModal();
  }

  dialog.querySelector("[data-action='cancel']").addEventListener("click", () => dialog.close());

  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      await api("DELETE", `${base}${target}/`);
      dialog.close();
      deleted(target);
    } catch (error) {
      if (error.status === 404) {
        dialog.close();
        deleted(target);
        return;
      }
      setStatus(status, `Not deleted. ${problems(error).join(" ")}`, "error");
      confirm.disabled = false;
    }
  });

  return { ask, dialog };
}

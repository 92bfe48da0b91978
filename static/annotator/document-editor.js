// Editing one document from the documents page: its fields and, while nothing points into it, its text. The
// document is read from the REST API when the editor opens and saved with one PATCH of the fields that changed.
import { api } from "./api.js";
import { changed, fieldsIn, markInvalid, problems } from "./settings-form.js";
import { setStatus } from "./status.js";

const FIELDS = ["title", "source", "author", "url", "external_id", "language", "text"];

function plural(n, one) {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

/** Why the text is read-only, or "" when it may change: the API refuses a new text once spans point into it. */
export function frozenReason({ spans, gold }) {
  const parts = [];
  if (spans) parts.push(plural(spans, "span"));
  if (gold) parts.push(plural(gold, "gold span"));
  if (!parts.length) return "";
  return `The text cannot change while spans point into it (it has ${parts.join(" and ")}): they would no longer ` +
    "cover the words they were drawn on.";
}

/** `saved(document)` runs after a save with the document as the API answered; `gone(id)` when it was deleted. */
export function documentEditor({ base, saved, gone }) {
  const dialog = document.getElementById("document-editor");
  const form = document.getElementById("document-form");
  const status = document.getElementById("editor-status");
  const frozenNote = document.getElementById("text-frozen");
  const textArea = form.elements.text;
  let current = null; // the document as last read or saved

  function showErrors(error) {
    for (const slot of form.querySelectorAll("[data-error-for]")) slot.textContent = "";
    const fields = fieldsIn(error);
    markInvalid(form, fields);
    for (const field of fields) {
      const slot = form.querySelector(`[data-error-for="${field}"]`) || form.querySelector('[data-error-for="detail"]');
      slot.textContent = [slot.textContent, [].concat(error.body[field]).join(" ")].filter(Boolean).join(" ");
    }
  }

  function freeze(reason) {
    textArea.readOnly = Boolean(reason);
    frozenNote.hidden = !reason;
    frozenNote.textContent = reason;
    if (reason) textArea.setAttribute("aria-describedby", "text-frozen");
    else textArea.removeAttribute("aria-describedby");
  }

  function fill(doc) {
    current = doc;
    for (const name of FIELDS) form.elements[name].value = doc[name] ?? "";
  }

  function read() {
    const values = Object.fromEntries(FIELDS.map((name) => [name, form.elements[name].value]));
    if (textArea.readOnly) delete values.text;
    return values;
  }

  async function open(id, annotations) {
    showErrors(null);
    setStatus(status, "");
    freeze(frozenReason(annotations));
    try {
      fill(await api("GET", `${base}${id}/`));
    } catch (error) {
      if (error.status === 404) gone(id);
      return `Could not open the document. ${problems(error).join(" ")}`;
    }
    dialog.showModal();
    form.elements.title.focus();
    return "";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showErrors(null);
    const changes = changed(read(), current);
    if (!Object.keys(changes).length) {
      dialog.close();
      return;
    }
    setStatus(status, "Saving…");
    try {
      const doc = await api("PATCH", `${base}${current.id}/`, changes);
      current = doc;
      dialog.close();
      saved(doc);
    } catch (error) {
      if (error.status === 409) {
        // Someone drew a span since the page was loaded: the text is frozen now; keep the other changes.
        textArea.value = current.text;
        freeze("The text cannot change any more: spans point into it now. Save again to keep your other changes.");
        setStatus(status, "Not saved: the text is frozen.", "error");
        return;
      }
      if (error.status === 404) {
        dialog.close();
        gone(current.id);
        return;
      }
      if (error.status === 400) showErrors(error);
      setStatus(status, `Not saved. ${problems(error).join(" ")}`, "error");
    }
  });

  form.querySelector("[data-action='close']").addEventListener("click", () => dialog.close());

  return { open, dialog };
}

// The project's own fields and guidelines: saved with one PATCH of the fields that changed; the guidelines
// preview then shows the server's sanitised rendering. `onSave(changes)` runs after a save with the fields it changed.
import { api } from "./api.js";
import { changed, fieldsIn, markInvalid, problems } from "./settings-form.js";
import { setStatus } from "./status.js";

export function projectSettings({ base, project, onSave = () => {} }) {
  const form = document.getElementById("project-form");
  const status = document.getElementById("project-status");
  const preview = document.getElementById("guidelines-preview");

  function read() {
    const fields = form.elements;
    const perDocument = fields.annotators_per_document.value.trim();
    return {
      name: fields.name.value,
      description: fields.description.value,
      blind: fields.blind.checked,
      // A non-number goes as typed, so the API names the problem.
      annotators_per_document: /^\d{1,4}$/.test(perDocument) ? Number(perDocument) : perDocument,
      guidelines: fields.guidelines.value,
    };
  }

  function showErrors(error) {
    for (const slot of form.querySelectorAll("[data-error-for]")) slot.textContent = "";
    const fields = fieldsIn(error);
    markInvalid(form, fields);
    for (const field of fields) {
      const slot = form.querySelector(`[data-error-for="${field}"]`) || form.querySelector('[data-error-for="detail"]');
      slot.textContent = [].concat(error.body[field]).join(" ");
    }
  }

  // The preview is the server's sanitised rendering: take it from a fresh copy of this page.
  async function refreshPreview() {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("guidelines-preview");
    if (fresh) preview.replaceChildren(...[...fresh.childNodes].map((node) => document.importNode(node, true)));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = changed(read(), project);
    showErrors(null);
    if (!Object.keys(changes).length) {
      setStatus(status, "Nothing to save: no field changed.");
      return;
    }
    setStatus(status, "Saving…");
    try {
      const saved = await api("PATCH", base, changes);
      for (const name of Object.keys(project)) if (name in saved) project[name] = saved[name];
      document.getElementById("project-title").textContent = saved.name;
      document.title = `Settings · ${saved.name} · Slant`;
      if ("guidelines" in changes) await refreshPreview();
      setStatus(status, "Saved.", "ok");
      onSave(changes);
    } catch (error) {
      if (error.status === 400) showErrors(error);
      setStatus(status, `Not saved. ${problems(error).join(" ")}`, "error");
    }
  });
}

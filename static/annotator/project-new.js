// The new-project form: one POST to the projects API (which makes the caller the owner and, with a preset, adds
// its labels), then the new project's page. A refusal is shown beside the fields it names.
import { api } from "./api.js";
import { pageData } from "./dom.js";
import { fieldsIn, markInvalid, problems } from "./settings-form.js";
import { setStatus } from "./status.js";

const form = document.getElementById("new-project-form");
const status = document.getElementById("new-project-status");
const submit = form.querySelector("button[type=submit]");

function read() {
  const fields = form.elements;
  const perDocument = fields.annotators_per_document.value.trim();
  const body = {
    name: fields.name.value,
    description: fields.description.value,
    blind: fields.blind.checked,
    // A non-number goes as typed, so the API names the problem.
    annotators_per_document: /^\d{1,4}$/.test(perDocument) ? Number(perDocument) : perDocument,
  };
  // Without a preset the project starts with no labels, as the API has it.
  if (fields.label_preset.value) body.label_preset = fields.label_preset.value;
  return body;
}

function showErrors(error) {
  for (const slot of form.querySelectorAll("[data-error-for]")) slot.textContent = "";
  const fields = fieldsIn(error);
  markInvalid(form, fields);
  for (const field of fields) {
    const slot = form.querySelector(`[data-error-for="${field}"]`) || form.querySelector('[data-error-for="detail"]');
    slot.textContent = [slot.textContent, [].concat(error.body[field]).join(" ")].filter(Boolean).join(" ");
  }
  const first = fields.map((field) => form.querySelector(`[name="${field}"]`)).find(Boolean);
  if (first) first.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showErrors(null);
  submit.disabled = true;
  setStatus(status, "Creating the project…");
  try {
    const project = await api("POST", "projects/", read());
    setStatus(status, "Created; opening it…", "ok");
    window.location.assign(`${pageData("new-project-data").projects_url}projects/${project.id}/`);
  } catch (error) {
    if (error.status === 400) showErrors(error);
    setStatus(status, `Not created. ${problems(error).join(" ")}`, "error");
    submit.disabled = false;
  }
});

document.body.dataset.ready = "true";

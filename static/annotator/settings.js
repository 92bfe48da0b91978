// The settings page: project fields, labels, presets and members. Every change goes through the REST API, and
// the page follows each answer, so what it shows is what a reload would show.
import { api } from "./api.js";

const data = JSON.parse(document.getElementById("settings-data").textContent);
const base = `projects/${data.project.id}/`;
const state = { project: data.project, labels: data.labels, members: data.members };

const FIELD_NAMES = {
  name: "Name",
  key: "Key",
  color: "Colour",
  description: "Description",
  active: "Active",
  guidelines: "Guidelines",
  blind: "Blind",
  annotators_per_document: "Annotators per document",
  username: "Username",
  role: "Role",
};

// ---- small helpers -------------------------------------------------------------------------------------------

function make(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("aria-") || name === "role") node.setAttribute(name, value);
    else node[name] = value;
  }
  node.append(...children);
  return node;
}

function setStatus(node, text, kind = "") {
  node.textContent = text;
  node.classList.toggle("error", kind === "error");
  node.classList.toggle("ok", kind === "ok");
}

/** Readable lines for an API failure: {"detail"}, {field: [messages]}, or a list of those (a POSTed list). */
function problems(error, items = []) {
  const body = error && error.body;
  if (!error || error.status === undefined) return ["Could not reach the server; check the connection and retry."];
  if (!body || typeof body !== "object") return [error.message];
  if (Array.isArray(body)) {
    return body.flatMap((entry, index) =>
      problems({ status: error.status, body: entry }).map((line) =>
        items[index] ? `${items[index].name}: ${line}` : line,
      ),
    ).filter(Boolean);
  }
  return Object.entries(body).map(([field, messages]) => {
    const text = [].concat(messages).join(" ");
    return FIELD_NAMES[field] ? `${FIELD_NAMES[field]}: ${text}` : text;
  });
}

function fieldsIn(error) {
  const body = error && error.body;
  return body && typeof body === "object" && !Array.isArray(body) ? Object.keys(body) : [];
}

function markInvalid(container, fields) {
  for (const input of container.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const field of fields) {
    const input = container.querySelector(`[name="${field}"]`);
    if (input) input.setAttribute("aria-invalid", "true");
  }
}

function changed(values, saved) {
  return Object.fromEntries(Object.entries(values).filter(([name, value]) => value !== saved[name]));
}

// ---- project -------------------------------------------------------------------------------------------------

const projectForm = document.getElementById("project-form");
const projectStatus = document.getElementById("project-status");
const preview = document.getElementById("guidelines-preview");

function readProject() {
  const fields = projectForm.elements;
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

function showProjectErrors(error) {
  for (const slot of projectForm.querySelectorAll("[data-error-for]")) slot.textContent = "";
  const fields = fieldsIn(error);
  markInvalid(projectForm, fields);
  for (const field of fields) {
    const slot = projectForm.querySelector(`[data-error-for="${field}"]`) ||
      projectForm.querySelector('[data-error-for="detail"]');
    slot.textContent = [].concat(error.body[field]).join(" ");
  }
}

/** The preview is the server's sanitised rendering: take it from a fresh copy of this page. */
async function refreshPreview() {
  const response = await fetch(window.location.pathname, { credentials: "same-origin" });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("guidelines-preview");
  if (fresh) preview.replaceChildren(...[...fresh.childNodes].map((node) => document.importNode(node, true)));
}

projectForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const changes = changed(readProject(), state.project);
  showProjectErrors(null);
  if (!Object.keys(changes).length) {
    setStatus(projectStatus, "Nothing to save: no field changed.");
    return;
  }
  setStatus(projectStatus, "Saving…");
  try {
    const saved = await api("PATCH", base, changes);
    for (const name of Object.keys(state.project)) if (name in saved) state.project[name] = saved[name];
    document.getElementById("project-title").textContent = saved.name;
    document.title = `Settings · ${saved.name} · Slant`;
    if ("guidelines" in changes) await refreshPreview();
    setStatus(projectStatus, "Saved.", "ok");
  } catch (error) {
    if (error.status === 400) showProjectErrors(error);
    setStatus(projectStatus, `Not saved. ${problems(error).join(" ")}`, "error");
  }
});

// ---- labels --------------------------------------------------------------------------------------------------

const labelsTable = document.querySelector("[data-testid='labels-table']");
const labelsStatus = document.getElementById("labels-status");

function labelBody(label) {
  const body = make("tbody", { dataset: { labelRow: String(label.id) } });
  const color = make("input", { type: "color", name: "color", value: label.color, "aria-label": "Colour" });
  const name = make("input", { type: "text", name: "name", value: label.name, maxLength: 100, "aria-label": "Name" });
  const key = make("input", {
    type: "text", name: "key", value: label.key, maxLength: 1, className: "key", "aria-label": "Key",
  });
  const description = make("textarea", { name: "description", value: label.description, rows: 2,
    "aria-label": "Description" });
  const active = make("input", { type: "checkbox", name: "active", checked: label.active, "aria-label": "Active" });
  const save = make("button", { type: "button", textContent: "Save", className: "save" });
  const remove = make("button", { type: "button", textContent: "Delete", className: "danger delete" });
  const fields = make("tr", {}, [
    make("td", {}, [color]),
    make("td", {}, [name]),
    make("td", {}, [key]),
    make("td", {}, [description]),
    make("td", {}, [active]),
    make("td", { className: "row-actions" }, [save, remove]),
  ]);
  const message = make("p", { className: "row-message", role: "alert" });
  body.append(fields, make("tr", { className: "message-row" }, [make("td", { colSpan: 6 }, [message])]));
  for (const input of [color, name, key, description, active]) {
    input.addEventListener("input", () => body.classList.add("dirty"));
    input.addEventListener("change", () => body.classList.add("dirty"));
  }
  save.addEventListener("click", () => saveLabel(body, label.id));
  remove.addEventListener("click", () => deleteLabel(body, label.id));
  return body;
}

function readLabel(body) {
  const field = (name) => body.querySelector(`[name="${name}"]`);
  return {
    name: field("name").value,
    key: field("key").value,
    color: field("color").value,
    description: field("description").value,
    active: field("active").checked,
  };
}

function rowMessage(body, lines, kind = "", extra = []) {
  const message = body.querySelector(".row-message");
  message.replaceChildren(...lines.map((line) => make("span", { textContent: line })), ...extra);
  message.classList.toggle("error", kind === "error");
  message.classList.toggle("ok", kind === "ok");
}

function renderLabels() {
  for (const body of labelsTable.querySelectorAll("tbody")) body.remove();
  labelsTable.append(...state.labels.map(labelBody));
  document.getElementById("labels-empty").hidden = state.labels.length > 0;
  planPreset();
}

/** Put a label the API returned into the page state and redraw its row (or add one). */
function storeLabel(saved) {
  const index = state.labels.findIndex((label) => label.id === saved.id);
  const body = labelBody(saved);
  if (index >= 0) {
    state.labels[index] = saved;
    labelsTable.querySelector(`tbody[data-label-row="${saved.id}"]`).replaceWith(body);
  } else {
    state.labels.push(saved);
    labelsTable.append(body);
  }
  document.getElementById("labels-empty").hidden = true;
  planPreset();
  return body;
}

async function patchLabel(body, id, changes) {
  try {
    const saved = await api("PATCH", `${base}labels/${id}/`, changes);
    rowMessage(storeLabel(saved), [`Saved “${saved.name}”.`], "ok");
  } catch (error) {
    markInvalid(body, fieldsIn(error));
    rowMessage(body, [`Not saved. ${problems(error).join(" ")}`], "error");
  }
}

async function saveLabel(body, id) {
  const label = state.labels.find((item) => item.id === id);
  const changes = changed(readLabel(body), label);
  if (!Object.keys(changes).length) {
    rowMessage(body, ["Nothing to save: no field changed."]);
    return;
  }
  await patchLabel(body, id, changes);
}

async function deleteLabel(body, id) {
  const label = state.labels.find((item) => item.id === id);
  try {
    await api("DELETE", `${base}labels/${id}/`);
  } catch (error) {
    if (error.status === 409) {
      const deactivate = make("button", { type: "button", textContent: "Deactivate instead", className: "link" });
      deactivate.addEventListener("click", () => patchLabel(body, id, { active: false }));
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
  state.labels = state.labels.filter((item) => item.id !== id);
  body.remove();
  document.getElementById("labels-empty").hidden = state.labels.length > 0;
  setStatus(labelsStatus, `Deleted “${label.name}”.`, "ok");
  planPreset();
}

const labelForm = document.getElementById("label-add");
const labelFormError = document.getElementById("label-add-error");

labelForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = labelForm.elements;
  const item = {
    name: fields.name.value.trim(),
    key: fields.key.value,
    color: fields.color.value,
    description: fields.description.value,
  };
  labelFormError.textContent = "";
  markInvalid(labelForm, []);
  try {
    const saved = await api("POST", `${base}labels/`, item);
    storeLabel(saved);
    labelForm.reset();
    setStatus(labelsStatus, `Added “${saved.name}”.`, "ok");
  } catch (error) {
    markInvalid(labelForm, fieldsIn(error));
    labelFormError.textContent = `Not added. ${problems(error).join(" ")}`;
  }
});

// ---- presets -------------------------------------------------------------------------------------------------

const presetForm = document.getElementById("preset-add");
const presetPlan = document.getElementById("preset-plan");
const presetStatus = document.getElementById("preset-status");

/** What adding a preset would do: labels whose name the project has are skipped; a label whose key is taken
 * comes without a key (the owner can give it one), rather than not at all. */
function plan(preset) {
  const names = new Set(state.labels.map((label) => label.name));
  const keys = new Set(state.labels.map((label) => label.key).filter(Boolean));
  const result = { add: [], present: [], keyless: [] };
  for (const label of preset.labels) {
    if (names.has(label.name)) {
      result.present.push(label.name);
    } else if (label.key && keys.has(label.key)) {
      result.keyless.push(`${label.name} (${label.key})`);
      result.add.push({ ...label, key: "" });
    } else {
      result.add.push(label);
    }
  }
  return result;
}

function describePlan(result, done) {
  const lines = [];
  const count = (n) => `${n} label${n === 1 ? "" : "s"}`;
  if (!result.add.length) lines.push("Nothing to add: the project already has every label of this preset.");
  else lines.push(`${done ? "Added" : "Adds"} ${count(result.add.length)}: ${result.add.map((l) => l.name).join(", ")}.`);
  if (result.add.length && result.present.length) {
    lines.push(`${done ? "Skipped" : "Skips"} ${count(result.present.length)} the project already has: ` +
      `${result.present.join(", ")}.`);
  }
  if (result.keyless.length) {
    lines.push(`Without a key, because the project already uses it: ${result.keyless.join(", ")}.`);
  }
  return lines.join(" ");
}

function selectedPreset() {
  return data.presets.find((preset) => preset.name === presetForm.elements.preset.value);
}

function planPreset() {
  presetPlan.textContent = describePlan(plan(selectedPreset()), false);
}

presetForm.elements.preset.addEventListener("change", () => {
  setStatus(presetStatus, "");
  planPreset();
});

presetForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const preset = selectedPreset();
  const result = plan(preset);
  if (!result.add.length) {
    setStatus(presetStatus, describePlan(result, true));
    return;
  }
  try {
    // The labels API takes a list and stores it all or nothing: one request.
    const created = await api("POST", `${base}labels/`, result.add);
    for (const label of created) storeLabel(label);
    setStatus(presetStatus, describePlan(result, true), "ok");
  } catch (error) {
    setStatus(presetStatus, `Nothing added. ${problems(error, result.add).join(" ")}`, "error");
  }
});

// ---- members -------------------------------------------------------------------------------------------------

const membersTable = document.querySelector("[data-testid='members-table']");
const membersStatus = document.getElementById("members-status");

function memberBody(member) {
  const body = make("tbody", { dataset: { memberRow: String(member.id) } });
  const me = member.username === data.username;
  const role = make("select", { name: "role", "aria-label": `Role of ${member.username}` },
    data.roles.map((value) => make("option", { value, textContent: value, selected: value === member.role })));
  const remove = make("button", { type: "button", textContent: "Remove", className: "danger remove" });
  body.append(
    make("tr", {}, [
      make("td", {}, [make("span", { textContent: member.username, className: "username" }),
        ...(me ? [make("span", { textContent: " (you)", className: "muted" })] : [])]),
      make("td", {}, [role]),
      make("td", { className: "row-actions" }, [remove]),
    ]),
    make("tr", { className: "message-row" }, [make("td", { colSpan: 3 }, [make("p", {
      className: "row-message", role: "alert" })])]),
  );
  role.addEventListener("change", () => changeRole(body, member.id, role));
  remove.addEventListener("click", () => removeMember(body, member.id));
  return body;
}

function renderMembers() {
  for (const body of membersTable.querySelectorAll("tbody")) body.remove();
  membersTable.append(...state.members.map(memberBody));
}

function leaveIfNoLongerOwner(member, role) {
  // An owner who steps down or leaves can no longer use this page.
  if (member.username === data.username && role !== "owner") window.location.assign(data.overview_url);
}

async function changeRole(body, id, select) {
  const member = state.members.find((item) => item.id === id);
  try {
    const saved = await api("PATCH", `${base}members/${id}/`, { role: select.value });
    member.role = saved.role;
    rowMessage(body, [`${saved.username} is now ${saved.role}.`], "ok");
    leaveIfNoLongerOwner(saved, saved.role);
  } catch (error) {
    select.value = member.role;
    rowMessage(body, [`Role not changed. ${problems(error).join(" ")}`], "error");
  }
}

async function removeMember(body, id) {
  const member = state.members.find((item) => item.id === id);
  try {
    await api("DELETE", `${base}members/${id}/`);
  } catch (error) {
    rowMessage(body, [`Not removed. ${problems(error).join(" ")}`], "error");
    return;
  }
  state.members = state.members.filter((item) => item.id !== id);
  body.remove();
  setStatus(membersStatus, `Removed ${member.username} from the project.`, "ok");
  leaveIfNoLongerOwner(member, null);
}

const memberForm = document.getElementById("member-add");
const memberFormError = document.getElementById("member-add-error");

memberForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const item = { username: memberForm.elements.username.value.trim(), role: memberForm.elements.role.value };
  memberFormError.textContent = "";
  markInvalid(memberForm, []);
  try {
    const saved = await api("POST", `${base}members/`, item);
    state.members.push(saved);
    membersTable.append(memberBody(saved));
    memberForm.elements.username.value = "";
    setStatus(membersStatus, `Added ${saved.username} as ${saved.role}.`, "ok");
  } catch (error) {
    markInvalid(memberForm, fieldsIn(error));
    memberFormError.textContent = `Not added. ${problems(error).join(" ")}`;
  }
});

renderLabels();
renderMembers();
document.body.dataset.ready = "true";

// The import page: post each chosen file to the REST API in turn (one import each, all or nothing), then show
// per file what was stored and skipped, or every problem the server found in it (with its line or row), or why
// it was refused; and the totals. The files hold documents or (layer "suggestions") a model's predictions for
// documents the project has. A large file of documents is imported by a job on the server (202 with it): the page
// then polls the job, shows its progress in the file's row, and its counts or every problem once it ends. Server
// text goes in with textContent.
import { api, apiForm } from "./api.js";
import { element, pageData } from "./dom.js";
import { formatChoice } from "./formats.js";
import { fileTable } from "./import-files.js";
import { setStatus } from "./status.js";

// How often a running import job is asked about (as the jobs list does).
const JOB_POLL_MS = 1500;
// A file with thousands of problems would make a table nobody reads; the count of the rest is shown instead.
const MAX_PROBLEMS_SHOWN = 200;

const data = pageData("import-data");

const form = document.getElementById("import-form");
const { file: fileInput, format: formatSelect, source: sourceInput } = form.elements;
const submit = document.getElementById("import-submit");
const progress = document.getElementById("import-progress");
const status = document.getElementById("import-status");
const result = document.getElementById("import-result");
const resultHeading = document.getElementById("import-result-heading");
const labelsCreated = document.getElementById("labels-created");
const problemsBox = document.getElementById("import-problems");
const problemsHeading = document.getElementById("problems-heading");
const problemsSummary = document.getElementById("problems-summary");
const problemsWhere = document.getElementById("problems-where");
const problemsBody = problemsBox.querySelector("tbody");
const problemsMore = document.getElementById("problems-more");

const format = formatChoice(formatSelect, data.formats);
const files = fileTable(document.getElementById("import-files"), (name, body, formatName) =>
  showProblems(name, body, formatName, true),
);

/** What the files hold: "annotations" (documents) or "suggestions" (predictions), the API's `layer`. */
function layer() {
  return form.elements.layer.value;
}

/** The formats the chosen layer takes: every import format, or those that hold predictions. */
function allowed() {
  return layer() === "suggestions" ? data.formats.filter((fmt) => fmt.reads_predictions) : data.formats;
}

/** Show the fields and totals of the chosen layer; offer only the formats it takes. */
function showLayer() {
  const chosen = layer();
  for (const part of document.querySelectorAll("[data-layer]")) part.hidden = part.dataset.layer !== chosen;
  const names = new Set(allowed().map((fmt) => fmt.name));
  for (const option of formatSelect.options) option.disabled = !names.has(option.value);
  if (!names.has(formatSelect.value)) {
    formatSelect.value = allowed()[0].name;
    format.describe();
  }
}

function fits(fmt, filename) {
  const name = filename.toLowerCase();
  return (
    name.endsWith(fmt.extension) ||
    (fmt.extension === ".html" && name.endsWith(".htm")) ||
    (fmt.reads_zip && name.endsWith(".zip"))
  );
}

/** The format a file name suggests: the chosen one if its extension fits, else the first that fits. */
function formatFor(filename) {
  const current = format.chosen();
  if (current && fits(current, filename)) return current.name;
  const found = allowed().find((fmt) => fits(fmt, filename));
  return found ? found.name : null;
}

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(file) {
  return `Not imported: ${file.name} is ${megabytes(file.size)}; an import takes at most ${megabytes(data.max_bytes)}.`;
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function clearOutcome() {
  result.hidden = true;
  problemsBox.hidden = true;
  problemsBody.replaceChildren();
  problemsMore.hidden = true;
  labelsCreated.hidden = true;
  files.clear();
  setStatus(status, "");
}

function showTotals(total, created, imported, sent) {
  for (const cell of result.querySelectorAll("[data-count]")) {
    const [group, key] = cell.dataset.count.split(".");
    const value = total[group]?.[key];
    cell.textContent = value === undefined ? "" : String(value); // the other layer's rows are hidden
  }
  resultHeading.textContent = sent > 1 ? `Imported from ${imported} of ${plural(sent, "file")}` : "Imported";
  labelsCreated.hidden = created.length === 0;
  labelsCreated.textContent = created.length ? `New labels: ${created.join(", ")}.` : "";
  result.hidden = false;
}

function showProblems(filename, body, formatName, several) {
  const problems = Array.isArray(body.problems) ? body.problems : [];
  problemsWhere.textContent = formatName === "csv" ? "Row" : "Line";
  problemsHeading.textContent = several ? `Problems in ${filename}` : "Problems";
  problemsSummary.textContent = body.detail ? String(body.detail) : "Nothing was imported.";
  const rows = problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem) =>
    element("tr", {}, [
      element("td", { className: "num", textContent: String(problem.line ?? "file") }),
      element("td", { textContent: String(problem.message) }),
    ]),
  );
  problemsBody.replaceChildren(...rows);
  const rest = problems.length - rows.length;
  problemsMore.hidden = rest <= 0;
  problemsMore.textContent = rest > 0 ? `… and ${rest} more.` : "";
  problemsBox.hidden = false;
}

/** Text for a refusal without a problem list: {"detail"} or {field: [messages]}. */
function refusal(error) {
  const body = error.body;
  if (!body || typeof body !== "object") return error.message;
  if (body.detail) return String(body.detail);
  return Object.entries(body)
    .map(([field, messages]) => `${field === "file" ? "File" : field === "format" ? "Format" : field}: ` +
      [].concat(messages).join(" "))
    .join(" ");
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follow an import job to its end, showing its progress in row `index`: {counts} when done, else {message,
 * problems?} (a failed import's errors with their lines are the file's problems, as a 400 lists them). */
async function followJob(job, index) {
  let current = job;
  let lost = 0;
  while (current.status === "queued" || current.status === "running") {
    files.working(index, current);
    await pause(JOB_POLL_MS);
    try {
      current = await api("GET", `projects/${data.project}/jobs/${job.id}/`);
      lost = 0;
    } catch (error) {
      // A lost connection may come back; a refusal (signed out, no longer a member) will not.
      if (error.status !== undefined || (lost += 1) > 20) {
        return { message: `The import (job ${job.id}) could not be followed. ${refusal(error)}` };
      }
    }
  }
  if (current.status === "done") return { counts: current.result };
  const lines = current.errors.filter((error) => "line" in error);
  if (lines.length && lines.every((error) => error.line !== null)) {
    const problems = lines.map(({ line, message }) => ({ line, message }));
    const detail = `The file has ${plural(problems.length, "problem")}; nothing was imported.`;
    return { message: `Not imported: ${plural(problems.length, "problem")} in the file, listed below.`,
      problems: { detail, problems } };
  }
  return { message: `Not imported. ${current.errors.map((error) => error.message).join(" ")}` };
}

/** What the API said about one file: {counts} when stored, else {message, problems?}. */
async function importOne(file, formatName, index) {
  if (file.size > data.max_bytes) return { message: tooLarge(file) };
  const body = new FormData();
  body.append("file", file, file.name);
  body.append("format", formatName);
  body.append("layer", layer());
  if (layer() === "suggestions") {
    if (sourceInput.value.trim()) body.append("source", sourceInput.value.trim());
  } else {
    body.append("create_labels", form.elements.create_labels.checked ? "true" : "false");
  }
  try {
    const answer = await apiForm("POST", `projects/${data.project}/imports/`, body);
    return answer && answer.job ? await followJob(answer.job, index) : { counts: answer };
  } catch (error) {
    if (error.status === undefined) return { message: "Could not reach the server; check the connection and retry." };
    if (error.status === 400 && error.body && Array.isArray(error.body.problems)) {
      const count = error.body.problems.length;
      return { message: `Not imported: ${plural(count, "problem")} in the file, listed below.`, problems: error.body };
    }
    if (error.status === 413) return { message: `Not imported: ${refusal(error)}` };
    return { message: `Not imported. ${refusal(error)}` };
  }
}

function summary(total, imported, failed, sent) {
  if (sent === 1 && failed) return null;
  const from = sent > 1 ? ` from ${plural(imported, "file")}` : "";
  const refused = failed ? `; ${plural(failed, "file")} not imported, see below` : "";
  if (total.suggestions) {
    const { matched, unmatched } = total.documents;
    const { stored, skipped } = total.suggestions;
    const again = skipped ? `; ${plural(skipped, "suggestion")} already there ${skipped === 1 ? "was" : "were"} skipped` : "";
    const lacking = unmatched
      ? `; ${plural(unmatched, "record")} of documents the project lacks ${unmatched === 1 ? "was" : "were"} passed over`
      : "";
    return `Imported ${plural(stored, "suggestion")} on ${plural(matched, "document")}${from}${again}${lacking}${refused}.`;
  }
  const stored = `Imported ${plural(total.documents.stored, "document")} and ${plural(total.spans.stored, "span")}`;
  const n = total.documents.skipped;
  const skipped = n ? `; ${plural(n, "document")} already present ${n === 1 ? "was" : "were"} skipped` : "";
  return `${stored}${from}${skipped}${refused}.`;
}

/** Zero totals of the counts an import of `chosen` answers. */
function zeroTotals(chosen) {
  if (chosen === "suggestions") {
    return { documents: { matched: 0, unmatched: 0 }, suggestions: { stored: 0, skipped: 0 } };
  }
  return { documents: { stored: 0, skipped: 0 }, spans: { stored: 0, skipped: 0 } };
}

fileInput.addEventListener("change", () => {
  clearOutcome();
  const [first] = fileInput.files;
  if (!first) return;
  const suggested = formatFor(first.name);
  if (suggested && suggested !== formatSelect.value) {
    formatSelect.value = suggested;
    format.describe();
  }
  const large = [...fileInput.files].find((file) => file.size > data.max_bytes);
  if (large) setStatus(status, tooLarge(large), "error");
});

formatSelect.addEventListener("change", format.describe);
for (const choice of form.querySelectorAll("input[name='layer']")) {
  choice.addEventListener("change", () => {
    clearOutcome();
    showLayer();
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearOutcome();
  const chosen = [...fileInput.files];
  if (!chosen.length) {
    setStatus(status, "Choose a file to import.", "error");
    fileInput.focus();
    return;
  }
  const entries = chosen.map((file) => ({ file, format: formatFor(file.name) || formatSelect.value }));
  const several = entries.length > 1;
  const chosenLayer = layer();
  const total = zeroTotals(chosenLayer);
  const created = [];
  let imported = 0;
  let failed = 0;
  let firstRefusal = null;

  submit.disabled = true;
  progress.hidden = false;
  form.setAttribute("aria-busy", "true");
  files.start(entries, chosenLayer);
  // One file at a time: each import is a transaction of its own on the server, and the order stays the user's.
  for (const [index, { file, format: formatName }] of entries.entries()) {
    const position = several ? ` (${index + 1} of ${entries.length})` : "";
    setStatus(status, `Importing ${file.name}${position}, ${megabytes(file.size)}…`);
    files.sending(index);
    const answer = await importOne(file, formatName, index);
    if (answer.counts) {
      imported += 1;
      for (const [group, keys] of Object.entries(total)) {
        for (const key of Object.keys(keys)) total[group][key] += answer.counts[group][key];
      }
      created.push(...(answer.counts.labels_created || []));
      files.imported(index, answer.counts);
    } else {
      failed += 1;
      files.refused(index, answer.message, answer.problems, formatName);
      if (answer.problems && !firstRefusal) firstRefusal = { file, answer, formatName };
      if (!several) setStatus(status, answer.message, "error");
    }
  }
  files.done();
  submit.disabled = false;
  progress.hidden = true;
  form.removeAttribute("aria-busy");

  if (imported) showTotals(total, created, imported, entries.length);
  if (firstRefusal) showProblems(firstRefusal.file.name, firstRefusal.answer.problems, firstRefusal.formatName, several);
  const line = summary(total, imported, failed, entries.length);
  if (line) setStatus(status, line, failed ? "error" : "ok");
  if (!failed) {
    form.reset();
    form.querySelector(`input[name='layer'][value='${chosenLayer}']`).checked = true;
    format.describe();
    showLayer();
  }
});

format.describe();
showLayer();
document.body.dataset.ready = "true";

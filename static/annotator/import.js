// The import page: post the chosen file to the REST API, then show what was stored, or every problem the server
// found in the file (with its line or row), or why the file was refused. Server text goes in with textContent.
import { apiForm } from "./api.js";
import { element, pageData } from "./dom.js";
import { formatChoice } from "./formats.js";
import { setStatus } from "./status.js";

// A file with thousands of problems would make a table nobody reads; the count of the rest is shown instead.
const MAX_PROBLEMS_SHOWN = 200;

const data = pageData("import-data");

const form = document.getElementById("import-form");
const { file: fileInput, format: formatSelect } = form.elements;
const submit = document.getElementById("import-submit");
const progress = document.getElementById("import-progress");
const status = document.getElementById("import-status");
const result = document.getElementById("import-result");
const labelsCreated = document.getElementById("labels-created");
const problemsBox = document.getElementById("import-problems");
const problemsSummary = document.getElementById("problems-summary");
const problemsWhere = document.getElementById("problems-where");
const problemsBody = problemsBox.querySelector("tbody");
const problemsMore = document.getElementById("problems-more");

const format = formatChoice(formatSelect, data.formats);

/** The format a file name suggests: the chosen one if its extension fits, else the first that fits. */
function formatFor(filename) {
  const name = filename.toLowerCase();
  const fits = (fmt) => name.endsWith(fmt.extension) || (fmt.extension === ".html" && name.endsWith(".htm"));
  const current = format.chosen();
  if (current && fits(current)) return current.name;
  const found = data.formats.find(fits);
  return found ? found.name : null;
}

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(file) {
  return `Not imported: ${file.name} is ${megabytes(file.size)}; an import takes at most ${megabytes(data.max_bytes)}.`;
}

function clearOutcome() {
  result.hidden = true;
  problemsBox.hidden = true;
  problemsBody.replaceChildren();
  problemsMore.hidden = true;
  labelsCreated.hidden = true;
  setStatus(status, "");
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function showResult(counts) {
  for (const cell of result.querySelectorAll("[data-count]")) {
    const [group, key] = cell.dataset.count.split(".");
    cell.textContent = String(counts[group][key]);
  }
  const created = counts.labels_created || [];
  labelsCreated.hidden = created.length === 0;
  labelsCreated.textContent = created.length ? `New labels: ${created.join(", ")}.` : "";
  result.hidden = false;
  setStatus(
    status,
    `Imported ${plural(counts.documents.stored, "document")} and ${plural(counts.spans.stored, "span")}.`,
    "ok",
  );
}

function showProblems(body, formatName) {
  const problems = Array.isArray(body.problems) ? body.problems : [];
  problemsWhere.textContent = formatName === "csv" ? "Row" : "Line";
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
  setStatus(status, `Not imported: ${plural(problems.length, "problem")} in the file, listed below.`, "error");
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

fileInput.addEventListener("change", () => {
  clearOutcome();
  const file = fileInput.files[0];
  if (!file) return;
  const suggested = formatFor(file.name);
  if (suggested && suggested !== formatSelect.value) {
    formatSelect.value = suggested;
    format.describe();
  }
  if (file.size > data.max_bytes) setStatus(status, tooLarge(file), "error");
});

formatSelect.addEventListener("change", format.describe);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearOutcome();
  const file = fileInput.files[0];
  if (!file) {
    setStatus(status, "Choose a file to import.", "error");
    fileInput.focus();
    return;
  }
  // Sending a file the server will refuse would only make the user wait for the upload.
  if (file.size > data.max_bytes) {
    setStatus(status, tooLarge(file), "error");
    return;
  }
  const formatName = formatSelect.value;
  const body = new FormData();
  body.append("file", file, file.name);
  body.append("format", formatName);
  body.append("create_labels", form.elements.create_labels.checked ? "true" : "false");

  submit.disabled = true;
  progress.hidden = false;
  setStatus(status, `Importing ${file.name} (${megabytes(file.size)})…`);
  form.setAttribute("aria-busy", "true");
  try {
    showResult(await apiForm("POST", `projects/${data.project}/imports/`, body));
    form.reset();
    format.describe();
  } catch (error) {
    if (error.status === undefined) {
      setStatus(status, "Could not reach the server; check the connection and retry.", "error");
    } else if (error.status === 400 && error.body && Array.isArray(error.body.problems)) {
      showProblems(error.body, formatName);
    } else if (error.status === 413) {
      setStatus(status, `Not imported: ${refusal(error)}`, "error");
    } else {
      setStatus(status, `Not imported. ${refusal(error)}`, "error");
    }
  } finally {
    submit.disabled = false;
    progress.hidden = true;
    form.removeAttribute("aria-busy");
  }
});

format.describe();
document.body.dataset.ready = "true";

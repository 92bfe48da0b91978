// The documents page for owners: each row's Edit and Delete buttons, through the REST API. Rows and messages are
// updated in place with textContent; the rest of the page is the server's.
import { documentDelete } from "./document-delete.js";
import { documentEditor } from "./document-editor.js";
import { pageData } from "./dom.js";
import { setStatus } from "./status.js";

const data = pageData("documents-data");
const base = `projects/${data.project}/documents/`;
const table = document.querySelector("[data-testid='documents']");
const status = document.getElementById("documents-status");
const count = document.querySelector("[data-testid='count']");

const rowOf = (id) => table && table.querySelector(`tr[data-document-id="${id}"]`);
const annotationsOf = (row) => ({ spans: Number(row.dataset.spans || 0), gold: Number(row.dataset.gold || 0) });
const titleOf = (row) => row.querySelector("[data-field='title']").textContent.trim();

// A row without a title shows the first words of its text, as the server renders it.
function shownTitle(doc) {
  if (doc.title) return doc.title;
  const words = doc.text.split(/\s+/).filter(Boolean);
  return words.length > 12 ? `${words.slice(0, 12).join(" ")} …` : words.join(" ");
}

function labelButtons(row, title) {
  row.querySelector("[data-action='edit']").setAttribute("aria-label", `Edit ${title}`);
  row.querySelector("[data-action='delete']").setAttribute("aria-label", `Delete ${title}`);
}

function recount(change) {
  const n = Number.parseInt(count.textContent, 10) + change;
  const match = count.dataset.filtered ? ` match${n === 1 ? "es" : ""}` : "";
  count.textContent = `${n} document${n === 1 ? "" : "s"}${match}`;
}

function removeRow(id) {
  const row = rowOf(id);
  if (!row) return;
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  recount(-1);
  // Focus stays on the table rather than falling back to the top of the page.
  const focus = next && next.querySelector("[data-action='edit']");
  if (focus) focus.focus();
}

const editor = documentEditor({
  base,
  saved(doc) {
    const row = rowOf(doc.id);
    if (!row) return;
    const title = shownTitle(doc);
    row.querySelector("[data-field='title']").textContent = title;
    row.querySelector("[data-field='source']").textContent = doc.source;
    row.querySelector("[data-field='external_id']").textContent = doc.external_id;
    labelButtons(row, title);
    setStatus(status, `Saved “${title}”.`, "ok");
    row.querySelector("[data-action='edit']").focus();
  },
  gone(id) {
    removeRow(id);
    setStatus(status, "That document no longer exists; it was deleted meanwhile.", "error");
  },
});

const remover = documentDelete({
  base,
  deleted(id) {
    const title = rowOf(id) ? titleOf(rowOf(id)) : "The document";
    removeRow(id);
    setStatus(status, `Deleted “${title}”.`, "ok");
  },
});

if (table) {
  table.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const row = button.closest("tr[data-document-id]");
    const id = Number(row.dataset.documentId);
    if (button.dataset.action === "edit") {
      setStatus(status, "");
      const problem = await editor.open(id, annotationsOf(row));
      if (problem) setStatus(status, problem, "error");
    } else if (button.dataset.action === "delete") {
      remover.ask(id, titleOf(row), annotationsOf(row));
    }
  });
}

document.body.dataset.ready = "true";

// A project's jobs list: each job's recommender, status, progress (a bar with done of total), who asked, when it was
// queued, started and finished, and its errors with the documents they concern. While any job is queued or running
// the list asks the jobs API for the newest jobs every POLL_MS, and stops once none is.
import { api } from "./api.js";
import { element } from "./dom.js";
import { problems } from "./settings-form.js";
import { setStatus } from "./status.js";

export const POLL_MS = 1500;
const ACTIVE = new Set(["queued", "running"]);
// A job that failed on many documents lists its first errors here; the API lists them all.
const ERRORS_SHOWN = 10;
const DOCUMENTS_SHOWN = 20;

const time = (iso) => element("time", { dateTime: iso, textContent: new Date(iso).toLocaleString() });
const plural = (count, word) => `${count.toLocaleString()} ${word}${count === 1 ? "" : "s"}`;

function progress(job) {
  const share = job.total ? Math.floor((100 * job.done) / job.total) : 100;
  const bar = element("progress", {
    max: Math.max(job.total, 1), value: job.total ? job.done : Number(job.status === "done"),
    "aria-label": `Job ${job.id} progress`,
  });
  return element("div", { className: "job-progress" }, [
    bar,
    element("span", {
      className: "progress-text", textContent: `${job.done.toLocaleString()} of ${plural(job.total, "document")} ` +
        `(${share}%)`,
    }),
  ]);
}

function times(job) {
  const parts = [["Queued ", job.created_at], [" · started ", job.started_at], [" · finished ", job.finished_at]];
  const shown = parts.filter(([, iso]) => iso).flatMap(([text, iso]) => [text, time(iso)]);
  const by = job.created_by ? [` · by ${job.created_by}`] : [];
  return element("p", { className: "job-times muted" }, [...shown, ...by]);
}

function errorList(job, documentsUrl) {
  if (!job.errors.length) return [];
  const link = (id) => element("a", { href: `${documentsUrl}${id}/`, textContent: String(id) });
  const items = job.errors.slice(0, ERRORS_SHOWN).map(({ documents, line, message }) => {
    const ids = documents.slice(0, DOCUMENTS_SHOWN).flatMap((id, index) => (index ? [", ", link(id)] : [link(id)]));
    const more = documents.length > DOCUMENTS_SHOWN ? [` and ${documents.length - DOCUMENTS_SHOWN} more`] : [];
    const which = documents.length
      ? [element("span", { className: "error-documents" }, [
        documents.length === 1 ? "Document " : "Documents ", ...ids, ...more, ": "])]
      : [];
    const where = line === undefined || line === null ? "" : `Line ${line}: `;
    return element("li", { dataset: { documents: documents.join(" ") } }, [...which, where, message]);
  });
  const rest = job.errors.length - ERRORS_SHOWN;
  if (rest > 0) {
    items.push(element("li", { className: "muted", textContent: `and ${plural(rest, "more error")} (the jobs API ` +
      "lists them all)" }));
  }
  return [element("ul", { className: "job-errors", "aria-label": `Errors of job ${job.id}` }, items)];
}

/**
 * The list `list` (an <ol>) of the project's newest `shown` jobs, starting from `jobs` (each with `recommender`, its
 * recommender's name, which the page knows and the API leaves out). `documentsUrl` + id + "/" opens a document.
 */
export function jobsList({ base, jobs, shown, documentsUrl, list, empty, status }) {
  const names = new Map(jobs.map((job) => [job.id, job.recommender]));
  let current = jobs;
  let timer = null;

  function item(job) {
    // A job queued elsewhere after the page opened: the API does not name its recommender, a reload does.
    const name = names.has(job.id) ? names.get(job.id) : undefined;
    const title = job.kind === "import" ? "An import" : job.kind === "gamma" ? "Agreement: γ per document"
      : name === undefined ? "A recommender run" : name === null ? "A deleted recommender" : name;
    return element("li", { className: "job", dataset: { jobId: String(job.id), status: job.status } }, [
      element("div", { className: "job-head" }, [
        element("strong", { className: "job-name", textContent: title }),
        element("span", { className: "muted", textContent: ` job ${job.id} ` }),
        element("span", { className: `state state-${job.status}`, textContent: job.status }),
      ]),
      progress(job),
      times(job),
      ...errorList(job, documentsUrl),
    ]);
  }

  function draw() {
    list.replaceChildren(...current.map(item));
    empty.hidden = current.length > 0;
    list.dataset.polling = String(timer !== null);
  }

  const active = () => current.some((job) => ACTIVE.has(job.status));

  function follow() {
    if (timer === null && active()) timer = setTimeout(poll, POLL_MS);
    list.dataset.polling = String(timer !== null);
  }

  async function poll() {
    try {
      const page = await api("GET", `${base}jobs/?page_size=${shown}`);
      current = page.results;
      setStatus(status, "");
    } catch (error) {
      timer = null;
      setStatus(status, `The jobs could not be refreshed. ${problems(error).join(" ")}`, "error");
      // A refusal (signed out, no longer a member) will not change by asking again; a lost connection may.
      if (error.status !== undefined && error.status < 500) {
        list.dataset.polling = "false";
        return;
      }
    }
    timer = null;
    draw();
    follow();
  }

  /** A job just queued (by Run), shown at once and followed. */
  function add(job, recommender) {
    names.set(job.id, recommender);
    current = [job, ...current.filter((other) => other.id !== job.id)].slice(0, shown);
    draw();
    follow();
  }

  draw();
  follow();
  return { add };
}

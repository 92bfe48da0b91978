// The import page's table of files: one row per file sent, its counts once the API has answered, or why it was
// not imported (with a button that shows its problems). Names and messages go in with textContent.
import { button, element } from "./dom.js";

// The counts each row shows, with their column headings, by what the files hold (the API's `layer`).
export const COLUMNS = {
  annotations: [
    ["documents.stored", "Documents stored"],
    ["documents.skipped", "Documents skipped"],
    ["spans.stored", "Spans stored"],
    ["spans.skipped", "Spans skipped"],
  ],
  suggestions: [
    ["documents.matched", "Documents named"],
    ["documents.unmatched", "Not in the project"],
    ["suggestions.stored", "Suggestions stored"],
    ["suggestions.skipped", "Suggestions skipped"],
  ],
};

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** `showProblems(file, body, formatName)` runs when a row's "Show problems" is pressed. */
export function fileTable(box, showProblems) {
  const body = box.querySelector("tbody");

  function start(entries, layer = "annotations") {
    const columns = COLUMNS[layer];
    box.querySelectorAll("thead .count-heading").forEach((cell, index) => {
      cell.textContent = columns[index][1];
    });
    body.replaceChildren(
      ...entries.map(({ file, format }) =>
        element("tr", { dataset: { file: file.name } }, [
          element("th", { scope: "row", textContent: file.name }),
          element("td", { textContent: format }),
          ...columns.map(([count]) => element("td", { className: "num", dataset: { count }, textContent: "–" })),
          element("td", { className: "outcome", textContent: "Waiting" }),
        ]),
      ),
    );
    box.dataset.state = "running";
    box.hidden = false;
  }

  const row = (index) => body.rows[index];
  const outcome = (index) => row(index).querySelector(".outcome");

  return {
    start,
    sending(index) {
      outcome(index).textContent = "Importing…";
    },
    /** A job imports the file: its progress (documents read and written of about `total`, while it runs). */
    working(index, job) {
      const cell = outcome(index);
      if (job.status === "queued") {
        cell.textContent = "Queued for a worker…";
        return;
      }
      if (!job.total) {
        cell.textContent = `Importing… ${plural(job.done, "document")}`;
        return;
      }
      const label = `${row(index).dataset.file} progress`;
      const bar = element("progress", { max: job.total, value: job.done, "aria-label": label });
      cell.replaceChildren(bar, ` ${job.done.toLocaleString()} of about ${plural(job.total, "document")}`);
    },
    imported(index, counts) {
      for (const cell of row(index).querySelectorAll("[data-count]")) {
        const [group, key] = cell.dataset.count.split(".");
        cell.textContent = String(counts[group][key]);
      }
      const created = counts.labels_created || [];
      const notes = created.length ? [`new labels: ${created.join(", ")}`] : [];
      // Relations and answers have no columns of their own: a note says what came along.
      for (const [group, one] of [["relations", "relation"], ["answers", "answer"]]) {
        const stored = counts[group]?.stored;
        if (stored) notes.push(`${plural(stored, one)} stored`);
      }
      // brat's events, attributes and comments: counted, so that nobody thinks they came along.
      if (counts.lines_skipped) notes.push(`${plural(counts.lines_skipped, "other line")} skipped`);
      outcome(index).textContent = ["Imported", ...notes].join("; ");
    },
    refused(index, message, problemsBody = null, formatName = "") {
      const cell = outcome(index);
      cell.replaceChildren(element("span", { className: "refused", textContent: message }));
      if (problemsBody) {
        const file = row(index).dataset.file;
        const count = Array.isArray(problemsBody.problems) ? problemsBody.problems.length : 0;
        cell.firstChild.textContent = `Not imported: ${plural(count, "problem")}`;
        cell.append(
          " ",
          button("Show problems", () => showProblems(file, problemsBody, formatName), "link"),
        );
      }
    },
    done() {
      box.dataset.state = "done";
    },
    clear() {
      body.replaceChildren();
      box.hidden = true;
      delete box.dataset.state;
    },
  };
}

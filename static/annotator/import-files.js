// The import page's table of files: one row per file sent, its counts once the API has answered, or why it was
// not imported (with a button that shows its problems). Names and messages go in with textContent.
import { button, element } from "./dom.js";

const COUNTS = ["documents.stored", "documents.skipped", "spans.stored", "spans.skipped"];

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** `showProblems(file, body, formatName)` runs when a row's "Show problems" is pressed. */
export function fileTable(box, showProblems) {
  const body = box.querySelector("tbody");

  function start(entries) {
    body.replaceChildren(
      ...entries.map(({ file, format }) =>
        element("tr", { dataset: { file: file.name } }, [
          element("th", { scope: "row", textContent: file.name }),
          element("td", { textContent: format }),
          ...COUNTS.map((count) => element("td", { className: "num", dataset: { count }, textContent: "–" })),
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

// The codebook's history: the current version, then each version newest first (its number, when, who, and the lines
// of what changed), a page at a time from the versions API; and a comparison of any two versions: the change lines
// between them and, when the guidelines differ, their lines diffed (both from the API's `?against=`, which diffs with
// the annotate page's Python). The page calls refresh() after each change of its own that may make a version.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { problems } from "./settings-form.js";
import { setStatus } from "./status.js";

export const PAGE_SIZE = 20;

const time = (iso) => element("time", { dateTime: iso, textContent: new Date(iso).toLocaleString() });

function changeList(lines, label) {
  return element("ul", { className: "version-changes", "aria-label": label },
    lines.map((line) => element("li", { textContent: line })));
}

// A guidelines line as a list item: an added one inside <ins>, a removed one inside <del>, each with its sign shown
// and said in words, so neither colour nor the sign alone carries it.
const MARKS = {
  add: { tag: "ins", sign: "+", words: "Added: " },
  del: { tag: "del", sign: "−", words: "Removed: " },
  same: { tag: "span", sign: " ", words: "" },
};

function diffLine(entry) {
  if (entry.op === "skip") {
    return element("li", { className: "diff-skip muted", textContent: "… unchanged lines left out" });
  }
  const { tag, sign, words } = MARKS[entry.op];
  return element("li", { className: `diff-${entry.op}` }, [
    element(tag, {}, [
      element("span", { className: "diff-sign", textContent: sign, "aria-hidden": "true" }),
      ...(words ? [element("span", { className: "sr-only", textContent: words })] : []),
      element("span", { className: "diff-text", textContent: entry.line }),
    ]),
  ]);
}

/** `current` is the codebook's version number as the page was rendered. */
export function codebookHistory({ base, current }) {
  const path = `${base}codebook/versions/`;
  const list = document.querySelector("[data-testid='codebook-versions']");
  const status = document.getElementById("codebook-history-status");
  const currentNode = document.getElementById("codebook-current");
  const older = document.getElementById("codebook-older");
  const form = document.getElementById("codebook-compare");
  const from = form.elements.from;
  const to = form.elements.to;
  const compareStatus = document.getElementById("codebook-compare-status");
  const result = document.querySelector("[data-testid='codebook-diff']");

  // The versions shown, newest first: always the newest ones, none skipped, so the next older page follows on.
  let shown = [];
  let total = 0;
  let newest = 0;

  function item(version) {
    const by = version.created_by === null ? "by a migration" : `by ${version.created_by}`;
    const compare = version.version > 1
      ? [button("Compare with the one before", () => compareRow(version.version), "link compare-previous")]
      : [];
    const changes = version.changes.length
      ? [changeList(version.changes, `Changes in version ${version.version}`)]
      : [element("p", { className: "muted version-changes", textContent: "The first version." })];
    return element("li", { className: "codebook-version", dataset: { version: String(version.version) } }, [
      element("div", { className: "version-head" }, [
        element("strong", { textContent: `Version ${version.version}` }),
        element("span", { className: "muted" }, [" · ", time(version.created_at), " · ",
          element("span", { className: "version-author", textContent: by })]),
        ...compare,
      ]),
      ...changes,
    ]);
  }

  function draw() {
    list.replaceChildren(...shown.map(item));
    older.hidden = shown.length >= total;
    list.dataset.newest = String(newest);
  }

  /** Offer every version up to `number` in both selects (numbers run from 1 without gaps), keeping the choices. */
  function setCurrent(number) {
    const first = newest === 0;
    newest = Math.max(newest, number);
    currentNode.textContent = String(newest);
    for (const select of [from, to]) {
      const have = select.options.length;
      const fresh = [];
      for (let n = newest; n > have; n -= 1) fresh.push(element("option", { value: String(n), textContent: `Version ${n}` }));
      select.prepend(...fresh);
    }
    if (first) {
      to.value = String(newest);
      from.value = String(Math.max(newest - 1, 1));
    }
  }

  async function loadNewest() {
    const page = await api("GET", `${path}?page_size=${PAGE_SIZE}`);
    total = page.count;
    const top = shown.length ? shown[0].version : 0;
    const fresh = page.results.filter((version) => version.version > top);
    // More new versions than a page holds: start again from the newest rather than leave a hole.
    const hole = shown.length && fresh.length === page.results.length && fresh.at(-1).version > top + 1;
    shown = hole ? page.results : [...fresh, ...shown];
    if (page.results.length) setCurrent(page.results[0].version);
  }

  async function loadOlder() {
    const bottom = shown.at(-1).version;
    const page = await api("GET", `${path}?page_size=${PAGE_SIZE}&page=${Math.floor(shown.length / PAGE_SIZE) + 1}`);
    const next = page.results.filter((version) => version.version < bottom);
    if (page.count !== total || (next.length && next[0].version !== bottom - 1)) return false;
    shown = [...shown, ...next];
    return true;
  }

  // One load at a time, in the order asked; a refresh asked while one waits to start is the same refresh.
  let chain = Promise.resolve();
  let waiting = false;

  function queue(work, failure) {
    chain = chain.then(async () => {
      try {
        await work();
        setStatus(status, "");
      } catch (error) {
        setStatus(status, `${failure} ${problems(error).join(" ")}`, "error");
      }
      draw();
    });
    return chain;
  }

  function refresh() {
    if (waiting) return chain;
    waiting = true;
    return queue(async () => {
      waiting = false;
      await loadNewest();
    }, "The codebook history could not be loaded.");
  }

  older.addEventListener("click", () => queue(async () => {
    // Versions made elsewhere since the last load shift the pages: take them first, then the older page.
    if (!(await loadOlder())) {
      await loadNewest();
      await loadOlder();
    }
  }, "The older versions could not be loaded."));

  async function compare() {
    const [m, n] = [Number(from.value), Number(to.value)];
    setStatus(compareStatus, "Comparing…");
    try {
      showDiff(await api("GET", `${path}${n}/?against=${m}`));
      setStatus(compareStatus, `Compared version ${m} with version ${n}: the changes are below.`);
    } catch (error) {
      setStatus(compareStatus, `Not compared. ${problems(error).join(" ")}`, "error");
    }
  }

  function showDiff(target) {
    const [m, n] = [target.against, target.version];
    const heading = element("h3", { id: "codebook-diff-heading", tabIndex: -1, textContent: `From version ${m} to version ${n}` });
    const parts = [heading];
    if (m === n) {
      parts.push(element("p", { className: "muted", textContent: "The same version: nothing to compare." }));
    } else {
      parts.push(element("h4", { textContent: "Changes" }));
      parts.push(target.diff.length
        ? changeList(target.diff, `Changes from version ${m} to version ${n}`)
        : element("p", { className: "muted", textContent: "No changes." }));
    }
    if (target.guidelines_diff === null) {
      parts.push(element("h4", { textContent: "Guidelines" }),
        element("p", { className: "muted", textContent: "The guidelines changed; they are too long to compare line " +
          "by line here." }));
    } else if (target.guidelines_diff.length) {
      parts.push(
        element("h4", { textContent: "Guidelines" }),
        element("p", { className: "muted", textContent: "Lines added are marked + and underlined, lines removed − " +
          "and struck through." }),
        element("ul", { className: "guidelines-diff", "aria-label": `Guidelines from version ${m} to version ${n}` },
          target.guidelines_diff.map(diffLine)),
      );
    }
    result.replaceChildren(...parts);
    result.dataset.compared = `${m}-${n}`;
    return heading;
  }

  function compareRow(number) {
    to.value = String(number);
    from.value = String(number - 1);
    compare().then(() => document.getElementById("codebook-diff-heading")?.focus());
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    compare();
  });

  setCurrent(current);
  refresh();
  return { refresh };
}

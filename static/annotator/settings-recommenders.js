// The recommenders table and the form that adds one (settings-table.js). Under each recommender's name, kind and
// active flag sits its config, edited as its kind takes it: a lexicon's phrases per label, one per line; the three
// labels attribution gives its roles; a remote model's URL and timeout; nothing for memory. Changing the kind swaps
// the editor. A refusal is shown beside the part it names (config.url, entries[3].phrase, cue). Run queues a job over
// every document; the jobs list (jobs.js) follows it.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { problems, rowMessage } from "./settings-form.js";
import { field, readFields, settingsTable } from "./settings-table.js";

const KINDS = [
  ["lexicon", "Lexicon"],
  ["memory", "Memory"],
  ["attribution", "Attribution"],
  ["http", "HTTP model"],
  ["labelstudio-ml", "Label Studio ML backend"],
];
const REMOTE = new Set(["http", "labelstudio-ml"]);
const ROLES = [
  ["source", "Source"],
  ["cue", "Cue"],
  ["content", "Content"],
];
const NAME_MAX = 85; // annotator/models.py RECOMMENDER_NAME_MAX
const PHRASE_MAX = 1000; // annotator/recommenders/lexicon.py
const TIMEOUT_MAX = 60;
const DEFAULT_TIMEOUT = 30;

function kindSelect(kind) {
  return element("select", { name: "kind", "aria-label": "Kind" },
    KINDS.map(([value, text]) => element("option", { value, textContent: text, selected: value === kind })));
}

const errorSlot = (name) => element("p", { className: "field-error", role: "alert", dataset: { errorFor: name } });

// A label picker: every label of the project (an inactive one marked: the API refuses it, and says so beside it).
// `blank` is the text of a first, empty choice. Rebuilt by refreshOptions when the project's labels change.
function labelSelect(name, value, labels, { blank = "", label = "Label" } = {}) {
  const select = element("select", { name, "aria-label": label, dataset: { labelChoice: blank } });
  fillLabels(select, labels, value);
  return select;
}

function fillLabels(select, labels, value) {
  const blank = select.dataset.labelChoice;
  const choices = labels.map((label) => element("option", {
    value: String(label.id),
    textContent: label.active ? label.name : `${label.name} (inactive)`,
  }));
  if (value !== null && value !== undefined && value !== "" && !labels.some((label) => label.id === Number(value))) {
    choices.push(element("option", { value: String(value), textContent: `label ${value} (deleted)` }));
  }
  select.replaceChildren(...(blank ? [element("option", { value: "", textContent: blank })] : []), ...choices);
  select.value = value === null || value === undefined ? "" : String(value);
  if (select.selectedIndex < 0) select.selectedIndex = 0;
}

// --- lexicon: groups of phrases, one group per label ---

function phraseGroup(labelId, phrases, labels) {
  const textarea = element("textarea", {
    name: "phrases", rows: 4, value: phrases.join("\n"), "aria-label": "Phrases, one per line",
    placeholder: "one phrase per line",
  });
  const group = element("div", { className: "phrase-group" }, [
    element("div", { className: "phrase-group-head" }, [
      labelSelect("lexicon-label", labelId, labels),
      button("Remove", () => {
        const editor = group.closest(".lexicon-editor");
        group.remove();
        editor.dispatchEvent(new Event("change", { bubbles: true }));
      }, "link remove-group"),
    ]),
    textarea,
    errorSlot("group"),
  ]);
  return group;
}

// The entries grouped by label, in the order each label first appears.
function groups(entries) {
  const byLabel = new Map();
  for (const { label, phrase } of entries) {
    if (!byLabel.has(label)) byLabel.set(label, []);
    byLabel.get(label).push(phrase);
  }
  return [...byLabel];
}

function lexiconEditor(config, labels) {
  const entries = config.entries || [];
  const first = labels.find((label) => label.active);
  const start = entries.length ? groups(entries) : [[first ? first.id : "", []]];
  const list = element("div", { className: "phrase-groups" }, start.map(([label, phrases]) =>
    phraseGroup(label, phrases, labels)));
  const add = button("Add phrases for another label", () => {
    const group = phraseGroup("", [], labelsOf(list));
    list.append(group);
    group.querySelector("select").focus();
  }, "link add-group");
  return element("fieldset", { className: "kind-editor lexicon-editor", dataset: { kind: "lexicon" } }, [
    element("legend", { textContent: "Phrases by label" }),
    element("p", { className: "muted hint", textContent: "Every occurrence of a phrase that starts and ends on a " +
      "word boundary becomes a suggestion with its label. Phrases are plain text, not patterns." }),
    list, add,
    element("div", { className: "lexicon-options" }, [
      element("label", { className: "toggle" }, [
        element("input", { type: "checkbox", name: "case_sensitive", checked: Boolean(config.case_sensitive) }),
        " Case-sensitive",
      ]),
      element("label", { className: "bound" }, [
        element("span", { textContent: "Score" }),
        element("input", {
          type: "number", name: "score", min: 0, max: 1, step: "any",
          value: String(config.score === undefined ? 1 : config.score),
        }),
      ]),
    ]),
    errorSlot("config.score"),
  ]);
}

// The labels a lexicon editor's pickers offer, kept on the editor so a group added later offers the same.
const labelLists = new WeakMap();
const labelsOf = (node) => labelLists.get(node.closest(".recommender-config")) || [];

// A number as a number; anything else as typed, so the API names the problem.
function number(input) {
  const value = input.value.trim();
  return value !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
}

/** A lexicon's config, and for each entry the [group, line] it came from, so a refusal naming entries[i] is shown
 * beside its group. Blank lines are no phrases. */
function readLexicon(editor) {
  const entries = [];
  const origins = [];
  editor.querySelectorAll(".phrase-group").forEach((group, index) => {
    const label = group.querySelector("select").value;
    group.querySelector("textarea").value.split("\n").forEach((line, lineIndex) => {
      if (!line.trim()) return;
      entries.push({ label: label === "" ? null : Number(label), phrase: line });
      origins.push([index, lineIndex + 1]);
    });
  });
  const config = {
    entries,
    case_sensitive: editor.querySelector("[name='case_sensitive']").checked,
    score: number(editor.querySelector("[name='score']")),
  };
  return { config, origins };
}

// --- attribution: a label for each role ---

function attributionEditor(config, labels) {
  return element("fieldset", { className: "kind-editor attribution-editor", dataset: { kind: "attribution" } }, [
    element("legend", { textContent: "Labels for each role" }),
    element("p", { className: "muted hint", textContent: "English reported speech: the speaker as source, the " +
      "reporting verb as cue, the quotation or clause as content." }),
    ...ROLES.map(([role, text]) => element("div", { className: "role-choice" }, [
      element("label", {}, [
        element("span", { textContent: text }),
        labelSelect(`config.${role}`, config[role], labels, { blank: `the label named ${text}`, label: text }),
      ]),
      errorSlot(`config.${role}`),
    ])),
  ]);
}

function readAttribution(editor) {
  const config = {};
  for (const [role] of ROLES) {
    const value = editor.querySelector(`[name='config.${role}']`).value;
    if (value !== "") config[role] = Number(value);
  }
  return config;
}

// --- http and labelstudio-ml: where the model answers ---

function remoteEditor(config) {
  return element("fieldset", { className: "kind-editor remote-editor", dataset: { kind: "remote" } }, [
    element("legend", { textContent: "Remote model" }),
    element("div", { className: "remote-field" }, [
      element("label", {}, [
        element("span", { textContent: "URL" }),
        element("input", {
          type: "text", name: "config.url", value: config.url || "", inputMode: "url", className: "url",
          placeholder: "http://models.example.org:9090/", autocomplete: "off",
        }),
      ]),
      errorSlot("config.url"),
    ]),
    element("div", { className: "remote-field" }, [
      element("label", {}, [
        element("span", { textContent: "Timeout (seconds)" }),
        element("input", {
          type: "number", name: "config.timeout", min: 1, max: TIMEOUT_MAX, step: "any",
          value: String(config.timeout === undefined ? DEFAULT_TIMEOUT : config.timeout),
        }),
      ]),
      errorSlot("config.timeout"),
    ]),
    element("p", { className: "muted hint", textContent: "Only the hosts the server's administrator lists (the " +
      "setting SLANT_RECOMMENDER_HOSTS) can be called." }),
  ]);
}

function readRemote(editor) {
  return { url: editor.querySelector("[name='config.url']").value.trim(), timeout: number(editor.querySelector(
    "[name='config.timeout']")) };
}

// --- the editor of any kind ---

const editorKind = (kind) => (REMOTE.has(kind) ? "remote" : kind);

/** The config editors of every kind, the one `kind` takes shown; each starts from `config` when it is of its kind. */
function configEditor(kind, config, labels) {
  const own = (editor) => (editorKind(kind) === editor ? config : {});
  const container = element("div", { className: "recommender-config" }, [
    lexiconEditor(own("lexicon"), labels),
    element("p", { className: "kind-editor muted", dataset: { kind: "memory" }, textContent: "Memory takes no " +
      "settings: each run learns from the project's accepted and gold spans, and suggests each text they label " +
      "wherever it occurs, with the label most often given to it." }),
    attributionEditor(own("attribution"), labels),
    remoteEditor(own("remote")),
    errorSlot("config"),
  ]);
  labelLists.set(container, labels);
  showKind(container, kind);
  return container;
}

function showKind(container, kind) {
  for (const editor of container.querySelectorAll(".kind-editor")) editor.hidden = editor.dataset.kind !== editorKind(kind);
}

// The config of the kind chosen; the lexicon's entry origins are kept for explain().
const origins = new WeakMap();

function readConfig(container, kind) {
  const config = container.querySelector(".recommender-config");
  const editor = config.querySelector(`.kind-editor[data-kind='${editorKind(kind)}']`);
  if (kind === "lexicon") {
    const read = readLexicon(editor);
    origins.set(container, read.origins);
    return read.config;
  }
  if (kind === "attribution") return readAttribution(editor);
  if (REMOTE.has(kind)) return readRemote(editor);
  return {};
}

function readRecommender(container) {
  const { name, kind } = readFields(container, ["name", "kind"]);
  return { name: name.trim(), kind, config: readConfig(container, kind) };
}

// A config refusal names its part first: "entries[3].phrase: may not be blank.", "cue: label 9 is …".
const PART = /^(entries\[(\d+)\](?:\.(\w+))?|source|cue|content|score)\s*:\s*(.*)$/s;

/** Show each refusal beside the field it names (in a row or the add form); give back the lines placed nowhere. */
function explain(container, error) {
  for (const slot of container.querySelectorAll(".field-error[data-error-for]")) slot.textContent = "";
  const body = error && error.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) return problems(error);
  const left = [];
  const place = (name, text, root = container) => {
    const slot = root.querySelector(`.field-error[data-error-for='${name}']`);
    if (!slot || slot.closest("[hidden]")) return false;
    slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
    return true;
  };
  for (const [name, messages] of Object.entries(body)) {
    for (const message of [].concat(messages)) {
      const text = String(message);
      if (name === "config" && !placeConfig(container, text, place)) left.push(text);
      else if (name !== "config" && !place(name, text)) left.push(...problems({ status: error.status, body: { [name]: [text] } }));
    }
  }
  return left;
}

function placeConfig(container, text, place) {
  const match = PART.exec(text);
  if (!match) return place("config", text);
  const [, part, index, attribute, message] = match;
  if (index === undefined) return place(`config.${part}`, message) || place("config", text);
  const origin = (origins.get(container) || [])[Number(index)];
  const group = origin && container.querySelectorAll(".lexicon-editor .phrase-group")[origin[0]];
  if (!group) return place("config", text);
  const input = group.querySelector(attribute === "label" ? "select" : "textarea");
  input.setAttribute("aria-invalid", "true");
  return place("group", attribute === "label" ? message : `Line ${origin[1]}: ${message}`, group);
}

/** The kind select swaps the config editor within its own row or form. */
function followKind(container) {
  container.addEventListener("change", (event) => {
    if (event.target.name !== "kind") return;
    showKind(event.target.closest("tbody, form").querySelector(".recommender-config"), event.target.value);
  });
}

const NEW = { kind: "lexicon", config: {} };

/** `labels()` gives the project's labels now; `jobs` is the jobs list (jobs.js) a run's job goes into. */
export function recommenderSettings({ base, recommenders, labels, jobs }) {
  // `unannotated`: only the documents nobody has drawn a span on yet (the API's {"unannotated": true}).
  async function run(recommender, body, { unannotated = false } = {}) {
    // A run uses the recommender as saved; edits not saved yet would silently not count.
    if (body.classList.contains("dirty")) {
      rowMessage(body, ["Save your changes first: Run uses the saved settings."], "error");
      return;
    }
    try {
      const request = unannotated ? { unannotated: true } : {};
      const { job } = await api("POST", `${base}recommenders/${recommender.id}/run/`, request);
      jobs.add(job, recommender.name);
      const documents = `${job.total} document${job.total === 1 ? "" : "s"}`;
      rowMessage(body, [`Job ${job.id} queued: “${recommender.name}” runs over ${documents}; the jobs list below ` +
        "follows it."], "ok");
    } catch (error) {
      rowMessage(body, [`Not run. ${problems(error).join(" ")}`], "error");
    }
  }

  const table = settingsTable({
    base,
    plural: "recommenders",
    singular: "recommender",
    items: recommenders,
    cells: (recommender) => [
      [element("input", {
        type: "text", name: "name", value: recommender.name, maxLength: NAME_MAX, "aria-label": "Name",
      }), errorSlot("name")],
      [kindSelect(recommender.kind), errorSlot("kind")],
      [field.flag("active", recommender.active, "Active")],
    ],
    rows: (recommender) => [{
      className: "config-row", contents: [configEditor(recommender.kind, recommender.config, labels())],
    }],
    read: (body) => ({ ...readRecommender(body), active: body.querySelector("[name='active']").checked }),
    readForm: (form) => ({ ...readRecommender(form), active: form.querySelector("[name='active']").checked }),
    inUse: () => ({ lines: ["This recommender could not be deleted."], deactivate: false }),
    actions: (recommender, body) => [
      button("Run", () => run(recommender, body), "run"),
      button("Run on unannotated", () => run(recommender, body, { unannotated: true }), "run-unannotated"),
    ],
    explain,
    onReset: (form) => {
      for (const slot of form.querySelectorAll(".field-error[data-error-for]")) slot.textContent = "";
      form.querySelector(".recommender-config").replaceWith(configEditor(NEW.kind, NEW.config, labels()));
    },
  });
  followKind(table.table);
  followKind(table.form);
  table.form.querySelector(".recommender-config").replaceWith(configEditor(NEW.kind, NEW.config, labels()));

  /** Offer the project's labels now in every label picker, keeping what each has chosen. */
  function refreshLabels() {
    const now = labels();
    for (const config of document.querySelectorAll(".recommender-config")) labelLists.set(config, now);
    for (const select of document.querySelectorAll(".recommender-config select[name='lexicon-label'], " +
      ".recommender-config select[name^='config.']")) {
      fillLabels(select, now, select.value);
    }
  }

  return { render: table.render, store: table.store, refreshLabels, all: table.all };
}

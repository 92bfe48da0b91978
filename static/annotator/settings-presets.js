// Adding a preset's labels, and the relation types and questions it carries: the plan (what would be added, skipped,
// or added without its key) is shown before the owner adds them, and again after. `existing.labels()`,
// `existing.types()` and `existing.questions()` give the project's now; `store.labels(label)`, `store.types(type)`
// and `store.questions(question)` take each new one.
import { api } from "./api.js";
import { problems } from "./settings-form.js";
import { setStatus } from "./status.js";

/** What adding `wanted` (a preset's labels, or its relation types) to `existing` would do: one whose name the
 * project has is skipped; one whose key is taken comes without a key (the owner can give it one), rather than not
 * at all. Labels, relation types and questions each have keys of their own, as the API checks them. */
function planOf(wanted, existing) {
  const names = new Set(existing.map((item) => item.name));
  const keys = new Set(existing.map((item) => item.key).filter(Boolean));
  const result = { add: [], present: [], keyless: [] };
  for (const item of wanted) {
    if (names.has(item.name)) {
      result.present.push(item.name);
    } else if (item.key && keys.has(item.key)) {
      result.keyless.push(`${item.name} (${item.key})`);
      result.add.push({ ...item, key: "" });
    } else {
      result.add.push(item);
    }
  }
  return result;
}

// What a preset carries, in the order it is added: the relation types name labels, so the labels go first.
const PARTS = [
  { part: "labels", field: "labels", noun: "label", path: "labels/" },
  { part: "types", field: "relation_types", noun: "relation type", path: "relation-types/" },
  { part: "questions", field: "questions", noun: "question", path: "questions/" },
];

function plan(preset, existing) {
  return Object.fromEntries(PARTS.map(({ part, field }) => [part, planOf(preset[field], existing[part]())]));
}

// "source (Cue → Source)": a relation type of a preset with the labels of its ends by name.
export function presetTypeName(type) {
  const end = (names) => (names.length ? names.join(" or ") : "any label");
  return `${type.name} (${end(type.from_labels)} → ${end(type.to_labels)})`;
}

// "Tone (one of 3 options)": a question of a preset with what it asks for.
function presetQuestionName(question) {
  if (question.kind === "scale") return `${question.name} (${question.min} to ${question.max})`;
  return `${question.name} (${question.kind === "multi" ? "any" : "one"} of ${question.options.length} options)`;
}

const NAMES = { labels: (label) => label.name, types: presetTypeName, questions: presetQuestionName };
const capital = (text) => text[0].toUpperCase() + text.slice(1);
const plural = (noun, n = 2) => `${noun}${n === 1 ? "" : "s"}`;

// "label", "label and relation type", "label, relation type and question".
function nouns(list) {
  return list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)}` : list[0];
}

function describeOne(result, { done, noun, name }) {
  const count = (n) => `${n} ${plural(noun, n)}`;
  const lines = [`${done ? "Added" : "Adds"} ${count(result.add.length)}: ${result.add.map(name).join(", ")}.`];
  if (result.present.length) {
    lines.push(`${done ? "Skipped" : "Skips"} ${count(result.present.length)} the project already has: ` +
      `${result.present.join(", ")}.`);
  }
  if (result.keyless.length) {
    const what = noun === "label" ? "Without a key" : `${capital(plural(noun))} without a key`;
    lines.push(`${what}, because the project already uses it: ${result.keyless.join(", ")}.`);
  }
  return lines;
}

// The parts a preset carries: its labels always, its relation types and questions when it has some.
const carried = (result) =>
  PARTS.filter(({ part }) => part === "labels" || result[part].add.length + result[part].present.length);

function describePlan(result, done) {
  const parts = carried(result);
  if (parts.every(({ part }) => !result[part].add.length)) {
    return `Nothing to add: the project already has every ${nouns(parts.map(({ noun }) => noun))} of this preset.`;
  }
  const lines = result.labels.add.length
    ? describeOne(result.labels, { done, noun: "label", name: NAMES.labels })
    : ["The project already has every label of this preset."];
  for (const { part, noun } of parts.slice(1)) {
    if (!result[part].add.length) continue;
    lines.push(...describeOne(result[part], { done, noun, name: NAMES[part] }));
    if (!done && part === "types") {
      lines.push("The relation types come along with the labels, each end limited to the labels named.");
    }
  }
  return lines.join(" ");
}

export function presetSettings({ base, presets, existing, store }) {
  const form = document.getElementById("preset-add");
  const planned = document.getElementById("preset-plan");
  const status = document.getElementById("preset-status");
  const submit = form.querySelector("button[type=submit]");

  const selected = () => presets.find((preset) => preset.name === form.elements.preset.value);

  function showPlan() {
    const preset = selected();
    const result = plan(preset, existing);
    planned.textContent = describePlan(result, false);
    const parts = PARTS.filter(({ part, field }) => part === "labels" || preset[field].length);
    submit.textContent = `Add missing ${nouns(parts.map(({ noun }) => plural(noun)))}`;
  }

  // The preset's relation types name their ends' labels; the project's labels by those names give the ids, once
  // the labels are in.
  function withLabelIds(type) {
    const ids = (names) => names.map((name) => {
      const label = existing.labels().find((item) => item.name === name);
      return label ? label.id : name;
    });
    return { ...type, from_labels: ids(type.from_labels), to_labels: ids(type.to_labels) };
  }
  const shape = { labels: (label) => label, types: withLabelIds, questions: (question) => question };

  form.elements.preset.addEventListener("change", () => {
    setStatus(status, "");
    showPlan();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = plan(selected(), existing);
    if (PARTS.every(({ part }) => !result[part].add.length)) {
      setStatus(status, describePlan(result, true));
      return;
    }
    // Each API takes a list and stores it all or nothing: one request for the labels, then one for the relation
    // types, whose ends need the labels' ids, then one for the questions. Should a later one fail, what went before
    // stays and adding again adds the rest.
    const added = [];
    for (const { part, noun, path } of PARTS) {
      const items = result[part].add;
      if (!items.length) continue;
      try {
        const created = await api("POST", `${base}${path}`, items.map(shape[part]));
        for (const item of created) store[part](item);
      } catch (error) {
        const lines = problems(error, items).join(" ");
        const partly = `The ${nouns(added)} were added, but not the ${plural(noun)}.`;
        setStatus(status, added.length ? `${partly} ${lines} Adding the preset again adds the rest.`
          : `Nothing added. ${lines}`, "error");
        showPlan();
        return;
      }
      added.push(plural(noun));
    }
    setStatus(status, describePlan(result, true), "ok");
    showPlan();
  });

  return { showPlan };
}

// Adding a preset's labels, and the relation types it carries: the plan (what would be added, skipped, or added
// without its key) is shown before the owner adds them, and again after. `labels()` and `relationTypes()` give the
// project's now; `store(label)` and `storeRelationType(type)` take each new one.
import { api } from "./api.js";
import { problems } from "./settings-form.js";
import { setStatus } from "./status.js";

/** What adding `wanted` (a preset's labels, or its relation types) to `existing` would do: one whose name the
 * project has is skipped; one whose key is taken comes without a key (the owner can give it one), rather than not
 * at all. Labels and relation types each have keys of their own, as the API checks them. */
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

function plan(preset, labels, relationTypes) {
  return { labels: planOf(preset.labels, labels), types: planOf(preset.relation_types, relationTypes) };
}

// "source (Cue → Source)": a relation type of a preset with the labels of its ends by name.
export function presetTypeName(type) {
  const end = (names) => (names.length ? names.join(" or ") : "any label");
  return `${type.name} (${end(type.from_labels)} → ${end(type.to_labels)})`;
}

function describeOne(result, { done, noun, name }) {
  const count = (n) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const lines = [`${done ? "Added" : "Adds"} ${count(result.add.length)}: ${result.add.map(name).join(", ")}.`];
  if (result.present.length) {
    lines.push(`${done ? "Skipped" : "Skips"} ${count(result.present.length)} the project already has: ` +
      `${result.present.join(", ")}.`);
  }
  if (result.keyless.length) {
    const what = noun === "label" ? "Without a key" : "Relation types without a key";
    lines.push(`${what}, because the project already uses it: ${result.keyless.join(", ")}.`);
  }
  return lines;
}

function describePlan(result, done) {
  const { labels, types } = result;
  const carriesTypes = types.add.length + types.present.length > 0;
  if (!labels.add.length && !types.add.length) {
    return carriesTypes
      ? "Nothing to add: the project already has every label and relation type of this preset."
      : "Nothing to add: the project already has every label of this preset.";
  }
  const lines = labels.add.length
    ? describeOne(labels, { done, noun: "label", name: (label) => label.name })
    : ["The project already has every label of this preset."];
  if (types.add.length) {
    lines.push(...describeOne(types, { done, noun: "relation type", name: presetTypeName }));
    if (!done) lines.push("The relation types come along with the labels, each end limited to the labels named.");
  }
  return lines.join(" ");
}

export function presetSettings({ base, presets, labels, relationTypes, store, storeRelationType }) {
  const form = document.getElementById("preset-add");
  const planned = document.getElementById("preset-plan");
  const status = document.getElementById("preset-status");
  const submit = form.querySelector("button[type=submit]");

  const selected = () => presets.find((preset) => preset.name === form.elements.preset.value);

  function showPlan() {
    const preset = selected();
    planned.textContent = describePlan(plan(preset, labels(), relationTypes()), false);
    submit.textContent = preset.relation_types.length ? "Add missing labels and relation types" : "Add missing labels";
  }

  // The preset's relation types name their ends' labels; the project's labels by those names give the ids, once
  // the labels are in.
  function withLabelIds(type) {
    const ids = (names) => names.map((name) => {
      const label = labels().find((item) => item.name === name);
      return label ? label.id : name;
    });
    return { ...type, from_labels: ids(type.from_labels), to_labels: ids(type.to_labels) };
  }

  form.elements.preset.addEventListener("change", () => {
    setStatus(status, "");
    showPlan();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = plan(selected(), labels(), relationTypes());
    if (!result.labels.add.length && !result.types.add.length) {
      setStatus(status, describePlan(result, true));
      return;
    }
    // Each API takes a list and stores it all or nothing: one request for the labels, then one for the relation
    // types, whose ends need the labels' ids. Should the second fail, the labels stay and adding again adds the rest.
    try {
      if (result.labels.add.length) {
        const created = await api("POST", `${base}labels/`, result.labels.add);
        for (const label of created) store(label);
      }
    } catch (error) {
      setStatus(status, `Nothing added. ${problems(error, result.labels.add).join(" ")}`, "error");
      return;
    }
    try {
      if (result.types.add.length) {
        const created = await api("POST", `${base}relation-types/`, result.types.add.map(withLabelIds));
        for (const type of created) storeRelationType(type);
      }
    } catch (error) {
      const added = result.labels.add.length ? "The labels were added, but not the relation types. " : "";
      const lines = problems(error, result.types.add).join(" ");
      setStatus(status, `${added || "Relation types not added. "}${lines} Adding the preset again adds the rest.`, "error");
      showPlan();
      return;
    }
    setStatus(status, describePlan(result, true), "ok");
    showPlan();
  });

  return { showPlan };
}

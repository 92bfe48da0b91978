// Adding a preset's labels: the plan (what would be added, skipped, or added without its key) is shown before the
// owner adds them, and again after. `labels()` gives the project's labels now; `store(label)` takes each new one.
import { api } from "./api.js";
import { problems } from "./settings-form.js";
import { setStatus } from "./status.js";

/** What adding a preset would do: labels whose name the project has are skipped; a label whose key is taken
 * comes without a key (the owner can give it one), rather than not at all. */
function plan(preset, labels) {
  const names = new Set(labels.map((label) => label.name));
  const keys = new Set(labels.map((label) => label.key).filter(Boolean));
  const result = { add: [], present: [], keyless: [] };
  for (const label of preset.labels) {
    if (names.has(label.name)) {
      result.present.push(label.name);
    } else if (label.key && keys.has(label.key)) {
      result.keyless.push(`${label.name} (${label.key})`);
      result.add.push({ ...label, key: "" });
    } else {
      result.add.push(label);
    }
  }
  return result;
}

function describePlan(result, done) {
  const lines = [];
  const count = (n) => `${n} label${n === 1 ? "" : "s"}`;
  if (!result.add.length) lines.push("Nothing to add: the project already has every label of this preset.");
  else lines.push(`${done ? "Added" : "Adds"} ${count(result.add.length)}: ${result.add.map((l) => l.name).join(", ")}.`);
  if (result.add.length && result.present.length) {
    lines.push(`${done ? "Skipped" : "Skips"} ${count(result.present.length)} the project already has: ` +
      `${result.present.join(", ")}.`);
  }
  if (result.keyless.length) {
    lines.push(`Without a key, because the project already uses it: ${result.keyless.join(", ")}.`);
  }
  return lines.join(" ");
}

export function presetSettings({ base, presets, labels, store }) {
  const form = document.getElementById("preset-add");
  const planned = document.getElementById("preset-plan");
  const status = document.getElementById("preset-status");

  const selected = () => presets.find((preset) => preset.name === form.elements.preset.value);

  function showPlan() {
    planned.textContent = describePlan(plan(selected(), labels()), false);
  }

  form.elements.preset.addEventListener("change", () => {
    setStatus(status, "");
    showPlan();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = plan(selected(), labels());
    if (!result.add.length) {
      setStatus(status, describePlan(result, true));
      return;
    }
    try {
      // The labels API takes a list and stores it all or nothing: one request.
      const created = await api("POST", `${base}labels/`, result.add);
      for (const label of created) store(label);
      setStatus(status, describePlan(result, true), "ok");
    } catch (error) {
      setStatus(status, `Nothing added. ${problems(error, result.add).join(" ")}`, "error");
    }
  });

  return { showPlan };
}

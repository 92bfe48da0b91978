// The labels table and the form that adds one (settings-table.js). `relationTypesUsing(id)` names the relation
// types that allow a label at an end; `onChange()` runs after any label is added, changed or deleted; `onMerge()`
// after a label is merged into another, whose relation types' ends and recommenders' configs changed with it.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { problems, rowMessage } from "./settings-form.js";
import { colouredCells, readColoured, readColouredForm, settingsTable } from "./settings-table.js";
import { setStatus } from "./status.js";

const plural = (count, noun) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** What a merge moved, in words: "3 spans, 1 gold span and 0 suggestions moved; 1 copy dropped". */
function movedLine({ spans, gold_spans: gold, suggestions, duplicates_dropped: dropped }) {
  const moved = `${plural(spans, "span")}, ${plural(gold, "gold span")} and ${plural(suggestions, "suggestion")} moved`;
  return dropped ? `${moved}; ${plural(dropped, "copy")} of spans the label already had dropped` : moved;
}

export function labelSettings({ base, labels, relationTypesUsing, onChange, onMerge = async () => {} }) {
  // Merge: pick another active label in the row's message, read what will happen, then confirm.
  function offerMerge(label, body) {
    if (!label.active) {
      rowMessage(body, [`“${label.name}” is deactivated; tick “Active” and save it before merging it.`], "error");
      return;
    }
    const targets = table.all().filter((other) => other.id !== label.id && other.active);
    if (!targets.length) {
      rowMessage(body, ["There is no other active label to merge into."], "error");
      return;
    }
    const select = element("select", { name: "into", "aria-label": "Merge into" },
      targets.map((target) => element("option", { value: String(target.id), textContent: target.name })));
    const explain = () => [
      `Merge “${label.name}” into “${select.selectedOptions[0].textContent}”? Every span, gold span and suggestion ` +
        `of “${label.name}” moves there, relation types and recommenders follow, and “${label.name}” is deleted. ` +
        "This cannot be undone.",
    ];
    const controls = [
      select,
      button("Merge", () => merge(label, body, Number(select.value)), "danger merge-confirm"),
      button("Cancel", () => rowMessage(body, []), "link"),
    ];
    select.addEventListener("change", () => rowMessage(body, explain(), "", controls));
    rowMessage(body, explain(), "", controls);
  }

  async function merge(label, body, into) {
    let result;
    try {
      result = await api("POST", `${base}labels/${label.id}/merge/`, { into });
    } catch (error) {
      rowMessage(body, [`Not merged. ${problems(error).join(" ")}`], "error");
      return;
    }
    table.drop(label.id);
    table.store(result.label);
    const merged = `Merged “${label.name}” into “${result.label.name}”`;
    try {
      await onMerge();  // the status says "merged" once the relation types and recommenders shown are current
    } catch (error) {
      setStatus(table.status, `${merged}, but the relation types and recommenders shown may be out of date ` +
        `(${problems(error).join(" ")}); reload the page.`, "error");
      return;
    }
    setStatus(table.status, `${merged}: ${movedLine(result.moved)}.`, "ok");
  }

  const table = settingsTable({
    base,
    plural: "labels",
    singular: "label",
    items: labels,
    cells: colouredCells,
    read: readColoured,
    readForm: readColouredForm,
    onChange,
    actions: (label, body) => [button("Merge into…", () => offerMerge(label, body), "merge")],
    inUse(label) {
      // 409: spans use the label. Deactivating keeps them and stops anyone picking it.
      // A relation type that allows the label at an end holds it too: taking the label off would widen the end.
      const types = relationTypesUsing(label.id);
      if (types.length) {
        return {
          lines: [`“${label.name}” is allowed at an end of the relation type ${types.map((t) => `“${t}”`).join(", ")}, ` +
            "so it cannot be deleted. Take it off the relation type first, or untick “Active” to retire it."],
          deactivate: false,
        };
      }
      return {
        lines: [`“${label.name}” is used by spans, so it cannot be deleted. Deactivate it instead: its spans stay, ` +
          "and annotators can no longer pick it; or merge it into another label."],
      };
    },
  });
  return table;
}

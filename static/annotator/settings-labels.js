// The labels table and the form that adds one (settings-table.js). `relationTypesUsing(id)` names the relation
// types that allow a label at an end; `onChange()` runs after any label is added, changed or deleted.
import { colouredCells, readColoured, readColouredForm, settingsTable } from "./settings-table.js";

export function labelSettings({ base, labels, relationTypesUsing, onChange }) {
  return settingsTable({
    base,
    plural: "labels",
    singular: "label",
    items: labels,
    cells: colouredCells,
    read: readColoured,
    readForm: readColouredForm,
    onChange,
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
          "and annotators can no longer pick it."],
      };
    },
  });
}

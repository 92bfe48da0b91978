// A project's labels on a page: found by id or by key, shown as coloured swatches and as the label bar's buttons,
// and offered in the <select> of a span's card.
import { element } from "./dom.js";

// byKey holds only active labels with a key: a retired label's key no longer draws spans.
export function labelMaps(labels) {
  return {
    byId: new Map(labels.map((label) => [label.id, label])),
    byKey: new Map(labels.filter((label) => label.active && label.key).map((label) => [label.key, label])),
  };
}

// The colour comes from data-color because the CSP refuses style attributes in the markup; CSSOM is allowed.
export function paintSwatches(root = document) {
  for (const swatch of root.querySelectorAll(".swatch[data-color]")) {
    swatch.style.setProperty("background", swatch.dataset.color);
  }
}

// `pick(label)` on a click on one of the bar's [data-label-id] buttons.
export function wireLabelBar(bar, labelsById, pick) {
  // A mousedown on a button would clear the text selection the label is meant for.
  bar.addEventListener("mousedown", (event) => {
    if (event.target.closest("[data-label-id]")) event.preventDefault();
  });
  bar.addEventListener("click", (event) => {
    const chosen = event.target.closest("[data-label-id]");
    if (chosen) pick(labelsById.get(Number(chosen.dataset.labelId)));
  });
}

// The active labels, plus the current one even if it was retired, so a span's label is never shown wrong.
export function labelSelect(labelsById, currentId, props = {}) {
  const select = element("select", { name: "label", ...props });
  for (const label of labelsById.values()) {
    if (!label.active && label.id !== currentId) continue;
    select.append(element("option", { value: String(label.id), textContent: label.name, selected: label.id === currentId }));
  }
  return select;
}

// Each label's description is folded away behind its "?" button, so the label list stays short enough to see whole.
export function wireDescriptions(bar) {
  bar.addEventListener("click", (event) => {
    const toggle = event.target.closest("[aria-controls][aria-expanded]");
    if (!toggle) return;
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.getElementById(toggle.getAttribute("aria-controls")).hidden = !open;
  });
}

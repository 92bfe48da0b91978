// Whether this page may change the document: at once for an annotator it is assigned to; for anyone else only
// after they turn the page's switch on (owners and reviewers: the API lets them annotate any document), so that
// a label key pressed while reading never saves a span by accident. Off on every load.
export function editingMode(editable, { switchBox, note, controls }) {
  const mode = { on: editable };
  const show = () => {
    for (const control of controls.querySelectorAll("[data-label-id], [data-relation-type-id], [data-option], [data-value], [data-suggestion-control]")) control.disabled = !mode.on;
    if (note) note.hidden = mode.on;
    document.body.classList.toggle("read-only", !mode.on);
  };
  if (switchBox) {
    switchBox.checked = mode.on;
    switchBox.addEventListener("change", () => {
      mode.on = switchBox.checked;
      show();
      mode.onChange?.();
    });
  }
  show();
  return mode;
}

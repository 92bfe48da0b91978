// The file-format <select> of the import and export pages. The chosen format's description goes in the element
// the select names in aria-describedby, so what is shown is what a screen reader reads with the select.
export function formatChoice(select, formats) {
  const byName = new Map(formats.map((fmt) => [fmt.name, fmt]));
  const description = document.getElementById(select.getAttribute("aria-describedby"));
  const chosen = () => byName.get(select.value);
  return {
    chosen,
    describe() {
      description.textContent = chosen()?.description ?? "";
    },
  };
}

// The export page: the form is a plain GET to the API, which the browser downloads. This script only keeps the
// browser from landing on the API's JSON refusal: it explains the choices the API would refuse and blocks them.
import { pageData } from "./dom.js";
import { formatChoice } from "./formats.js";

const data = pageData("export-data");

const form = document.getElementById("export-form");
const { format: formatSelect, annotator: annotatorSelect } = form.elements;
const submit = document.getElementById("export-submit");
const explanation = document.getElementById("export-explanation");
const format = formatChoice(formatSelect, data.formats);

/** Why the API would refuse the form as it stands, or "" when it would answer with the file. */
function refusal() {
  const fmt = format.chosen();
  const gold = form.elements.layer.value === "gold";
  if (fmt && fmt.one_layer && !gold && !annotatorSelect.value) {
    return `${fmt.title} holds one layer of spans: choose an annotator, or the gold layer.`;
  }
  return "";
}

// Only CSV comes in tables; a disabled choice is left out of the request, which the other formats do not take.
const tables = document.getElementById("export-table");

function update() {
  format.describe();
  tables.disabled = formatSelect.value !== "csv";
  // A disabled control is left out of the request, as the API wants for the gold layer.
  annotatorSelect.disabled = form.elements.layer.value === "gold";
  const why = refusal();
  submit.disabled = why !== "";
  explanation.textContent = why;
}

form.addEventListener("change", update);

form.addEventListener("submit", (event) => {
  if (refusal()) event.preventDefault();
});

// "All annotators" is no annotator at all: the API takes a missing `annotator`, not an empty one.
form.addEventListener("formdata", (event) => {
  if (!event.formData.get("annotator")) event.formData.delete("annotator");
});

update();
document.body.dataset.ready = "true";

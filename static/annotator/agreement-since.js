// The overview's agreement: choosing which codebook versions' annotations to compare reloads the figures at once
// (the form's own button does the same without this script).
const form = document.getElementById("since-form");

if (form) {
  form.elements.since_version.addEventListener("change", () => form.requestSubmit());
}

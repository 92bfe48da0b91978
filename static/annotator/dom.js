// Building the page's DOM. Text goes in as a property (textContent, value), never as markup, so article text and
// user input are shown as typed and can never become elements or scripts.

const MARKUP = new Set(["innerHTML", "outerHTML"]);

// element("p", {className: "muted", textContent: text}, [child, …]): properties are set as properties, except
// `dataset` (merged) and aria-* / role (attributes, which have no property in every browser).
export function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (MARKUP.has(name)) throw new Error(`element(): ${name} would parse text as markup; use textContent`);
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("aria-") || name === "role") node.setAttribute(name, value);
    else node[name] = value;
  }
  node.append(...children);
  return node;
}

export function button(text, onClick, className = "") {
  const node = element("button", { type: "button", textContent: text, ...(className && { className }) });
  node.addEventListener("click", onClick);
  return node;
}

// The JSON a page embeds for its script with json_script.
export function pageData(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

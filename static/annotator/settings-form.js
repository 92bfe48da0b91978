// What the settings sections share: an API refusal as readable lines, the fields it names marked invalid, the
// fields a form changed, and a message under a table row.
import { element } from "./dom.js";
import { setStatus } from "./status.js";

const FIELD_NAMES = {
  name: "Name",
  key: "Key",
  color: "Colour",
  description: "Description",
  active: "Active",
  from_labels: "From labels",
  to_labels: "To labels",
  guidelines: "Guidelines",
  blind: "Blind",
  annotators_per_document: "Annotators per document",
  username: "Username",
  role: "Role",
  kind: "Kind",
  options: "Options",
  min: "From",
  max: "To",
  required: "Required",
  config: "Settings",
  documents: "Documents",
  into: "Merge into",
  option: "Option",
};

/** Readable lines for an API failure: {"detail"}, {field: [messages]}, or a list of those (a POSTed list). */
export function problems(error, items = []) {
  const body = error && error.body;
  if (!error || error.status === undefined) return ["Could not reach the server; check the connection and retry."];
  if (!body || typeof body !== "object") return [error.message];
  if (Array.isArray(body)) {
    return body.flatMap((entry, index) =>
      problems({ status: error.status, body: entry }).map((line) =>
        items[index] ? `${items[index].name}: ${line}` : line,
      ),
    ).filter(Boolean);
  }
  return Object.entries(body).map(([field, messages]) => {
    const text = [].concat(messages).join(" ");
    return FIELD_NAMES[field] ? `${FIELD_NAMES[field]}: ${text}` : text;
  });
}

export function fieldsIn(error) {
  const body = error && error.body;
  return body && typeof body === "object" && !Array.isArray(body) ? Object.keys(body) : [];
}

export function markInvalid(container, fields) {
  for (const input of container.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const field of fields) {
    const input = container.querySelector(`[name="${field}"]`);
    if (input) input.setAttribute("aria-invalid", "true");
  }
}

// A list (a question's options, a relation type's ends) is the same when it holds the same items in the same order;
// an object (a recommender's config) when it holds the same values under the same keys, in any order.
const isObject = (value) => value !== null && typeof value === "object";
const canonical = (value) => JSON.stringify(value, (key, inner) => (
  isObject(inner) && !Array.isArray(inner)
    ? Object.fromEntries(Object.keys(inner).sort().map((name) => [name, inner[name]]))
    : inner
));
const same = (a, b) => a === b || (isObject(a) && isObject(b) && canonical(a) === canonical(b));

// Only what differs from the saved object goes in a PATCH, so an unchanged field cannot overwrite someone else's.
export function changed(values, saved) {
  return Object.fromEntries(Object.entries(values).filter(([name, value]) => !same(value, saved[name])));
}

// The message row under a table row (a <tbody> per item): lines of text, then any controls (`extra`).
export function rowMessage(body, lines, kind = "", extra = []) {
  const message = body.querySelector(".row-message");
  setStatus(message, "", kind);
  message.replaceChildren(...lines.map((line) => element("span", { textContent: line })), ...extra);
}

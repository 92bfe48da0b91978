// The REST API from the browser: the session cookie plus Django's CSRF token on every write.

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    super(describe(body) || `The server answered ${status}.`);
    this.status = status;
    this.body = body;
  }
}

function describe(body) {
  if (!body || typeof body !== "object") return "";
  if (body.detail) return String(body.detail);
  return Object.entries(body)
    .map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`)
    .join("; ");
}

async function answer(response) {
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export async function api(method, path, body, headers = {}) {
  const response = await fetch(`/api/v1/${path}`, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(response);
}

/** Send a FormData (a file upload) as multipart; the browser writes the Content-Type with its boundary. */
export async function apiForm(method, path, form) {
  const response = await fetch(`/api/v1/${path}`, {
    method,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
    body: form,
  });
  return answer(response);
}

/** A 409 to a versioned write carries the object as it now is, with a `detail`: {current, detail}, or null. */
export function conflict(error) {
  if (!error || error.status !== 409 || !error.body || !error.body.id) return null;
  const { detail, ...current } = error.body;
  return { current, detail };
}

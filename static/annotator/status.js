// The status lines: one message each, marked as an error or a success (CSS colours them; role="status" reads
// them out). And what a failed save says, where a 409 brings the object as it now is.
import { conflict } from "./api.js";

export function setStatus(node, text, kind = "") {
  node.textContent = text;
  node.classList.toggle("error", kind === "error");
  node.classList.toggle("ok", kind === "ok");
}

// say(message, isError) for a page with one status line.
export function statusLine(node) {
  return (message, isError = false) => setStatus(node, message, isError ? "error" : "");
}

// say(message, isError) for a page whose status line is a toast: a success fades after a few seconds so it does
// not sit over the text; an error stays until the next message.
export function toast(node, { after = 5000 } = {}) {
  let timer = null;
  return (message, isError = false) => {
    clearTimeout(timer);
    setStatus(node, message, isError ? "error" : "");
    if (!isError) timer = setTimeout(() => setStatus(node, ""), after);
  };
}

// A stale write (409) is not the user's mistake: show the object as it now is (`adopt(current)`) and say why;
// anything else is reported as not saved.
export function reportSaveFailure(error, { say, adopt, what = "this" }) {
  const found = conflict(error);
  if (found) {
    adopt(found.current);
    say(`Someone changed ${what} meanwhile; it is shown as it now is. ${found.detail}`, true);
  } else {
    say(`Not saved: ${error.message}`, true);
  }
}

// Submit marks the caller's work on the document done, then opens the next document of their queue; after the
// queue's last one the page stays and says where the queue stands (finished, or which document is still open).
import { api } from "./api.js";

// A submit refused for unanswered required questions (400 {"questions": [names]}) names them and hands the names
// to `onMissing`, which marks the questions and focuses the first.
export function wireSubmit(button, { path, say, onMissing }) {
  if (!button) return;
  button.addEventListener("click", async () => {
    try {
      await api("POST", path);
    } catch (error) {
      const missing = error.status === 400 && Array.isArray(error.body?.questions) ? error.body.questions : null;
      if (missing) {
        say(`Not submitted: first answer the required ${missing.length > 1 ? "questions" : "question"} ${missing.join(", ")}.`, true);
        onMissing?.(missing);
      } else {
        say(`Not submitted: ${error.message}`, true);
      }
      return;
    }
    if (button.dataset.next) {
      window.location.assign(button.dataset.next);
      return;
    }
    button.hidden = true;
    document.querySelector("[data-testid='submitted']").hidden = false;
    const notice = document.querySelector("[data-testid='queue-finished']");
    notice.hidden = false;
    notice.querySelector("a").focus();
  });
}

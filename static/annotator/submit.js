// Submit marks the caller's work on the document done, then opens the next document of their queue; after the
// queue's last one the page stays and says where the queue stands (finished, or which document is still open).
import { api } from "./api.js";

export function wireSubmit(button, { path, say }) {
  if (!button) return;
  button.addEventListener("click", async () => {
    try {
      await api("POST", path);
    } catch (error) {
      say(`Not submitted: ${error.message}`, true);
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

// The codebook news on the annotate page: "Mark as read", or opening the guidelines panel, records that the member
// has read the guidelines of the codebook version the page shows (POST …/codebook/read/), and the banner that said
// they changed (or the nudge to a member who never opened them) goes away. Only ever the signed-in member's own
// record, so a reviewer reading a document read-only records their own reading, nobody else's.
import { api } from "./api.js";

export function wireGuidelines({ project, codebook, say }) {
  const panel = document.querySelector("[data-testid='guidelines']");
  const news = document.querySelector(".guidelines-news");
  const badge = document.querySelector("[data-testid='codebook-version']");
  let recorded = codebook.read !== null && codebook.read >= codebook.version;
  let sending = null;

  async function markRead() {
    if (recorded) return hide();
    if (sending) return sending;
    sending = api("POST", `projects/${project}/codebook/read/`, { version: codebook.version })
      .then(() => {
        recorded = true;
        hide();
      })
      .catch((error) => say(`Could not record that you read the guidelines: ${error.message}`, true))
      .finally(() => {
        sending = null;
      });
    return sending;
  }

  function hide() {
    if (!news || news.hidden) return;
    const hadFocus = news.contains(document.activeElement);
    news.hidden = true;
    if (hadFocus) (panel && panel.open ? panel.querySelector("summary") : badge)?.focus();
    say(`Guidelines v${codebook.version} marked as read.`);
  }

  panel?.addEventListener("toggle", () => {
    if (panel.open) markRead();
  });
  document.getElementById("guidelines-read")?.addEventListener("click", markRead);
  for (const button of document.querySelectorAll("[data-guidelines-open]")) {
    button.addEventListener("click", () => {
      if (!panel) return;
      panel.open = true; // its toggle event records the reading
      panel.scrollIntoView({ block: "nearest" });
      panel.querySelector("summary").focus();
    });
  }
}

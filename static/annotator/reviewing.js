// What the review page does alike for an annotator's span, relation or answer: the reviewer's controls on its card,
// the review sent with the version the page last saw, and the "n of m reviewed" lines.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { reportSaveFailure } from "./status.js";

// The item's state, the annotator's note, a comment and the actions (`decide(decision, comment)`, `copy()`, the
// latter's button saying `copyText`).
export function reviewControls(item, { decide, copy, copyText = "Copy to gold" }) {
  const comment = element("textarea", {
    name: "comment", rows: 2, value: item.review_comment || "", placeholder: "Comment for the annotator",
  });
  const parts = [element("p", { className: "verdict", textContent: item.review_status, dataset: { status: item.review_status } })];
  if (item.note) parts.push(element("p", { className: "muted", textContent: `Note: ${item.note}` }));
  parts.push(
    element("label", { textContent: "Comment" }, [comment]),
    element("div", { className: "actions" }, [
      button("Accept", () => decide("accepted", comment.value)),
      button("Reject", () => decide("rejected", comment.value), "danger"),
      button(copyText, copy, "secondary"),
    ]),
  );
  return parts;
}

// POST a review of an item (`kind`: "spans", "relations", "answers") of the document at `base` with the version the
// page last saw: the item as it now is, or null once the failure is reported (a conflict hands the item as it now
// is to `adopt`).
export async function sendReview(base, kind, item, decision, comment, { say, adopt }) {
  try {
    const path = `${base}${kind}/${item.id}/review/`;
    return await api("POST", path, { decision, comment }, { "If-Match": `"${item.version}"` });
  } catch (error) {
    reportSaveFailure(error, { say, adopt });
    return null;
  }
}

export const decided = (decision) => (decision === "accepted" ? "Accepted" : "Rejected");

// "12 of 15 spans reviewed" in the line `testid`, when the page has it.
export function showReviewed(testid, items, noun) {
  const progress = document.querySelector(`[data-testid='${testid}']`);
  if (!progress) return;
  const reviewed = items.filter((item) => item.review_status !== "pending").length;
  progress.textContent = `${reviewed} of ${items.length} ${noun}${items.length === 1 ? "" : "s"} reviewed`;
}

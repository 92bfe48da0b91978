// The annotate page: select text, press a label's key or click the label; the span is saved at once.
import { api } from "./api.js";
import { renderSpans } from "./highlight.js";
import { OffsetMap } from "./offsets.js";
import { SpanPanel } from "./spanpanel.js";

const data = JSON.parse(document.getElementById("annotate-data").textContent);
const text = data.document.text;
const offsets = new OffsetMap(text);
const labelsById = new Map(data.labels.map((label) => [label.id, label]));
const labelsByKey = new Map(data.labels.filter((l) => l.active && l.key).map((label) => [label.key, label]));
const container = document.querySelector("[data-testid='document-text']");
const status = document.getElementById("status");
const spans = data.spans;

for (const swatch of document.querySelectorAll(".swatch[data-color]")) {
  swatch.style.setProperty("background", swatch.dataset.color);
}

function draw() {
  renderSpans(container, text, offsets, spans, labelsById);
}

function say(message, isError = false) {
  status.textContent = message;
  status.classList.toggle("error", isError);
}

const panel = new SpanPanel(document.getElementById("span-panel"), { data, spans, labelsById, onChange: draw, say });

// A click on a highlight (not the end of a drag) opens every span under it, innermost first.
container.addEventListener("click", (event) => {
  if (!window.getSelection().isCollapsed) return;
  const ids = [];
  for (let node = event.target; node && node !== container; node = node.parentElement) {
    if (node.dataset && node.dataset.spanId) ids.push(Number(node.dataset.spanId));
  }
  panel.show(ids);
});

// UTF-16 offset of a DOM position inside the article, counted over its text.
function utf16Offset(node, offset) {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

function selectedRange() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const start = offsets.toCodePoint(utf16Offset(range.startContainer, range.startOffset));
  const end = offsets.toCodePoint(utf16Offset(range.endContainer, range.endOffset));
  return start < end ? { start, end } : null;
}

async function annotate(label) {
  const range = selectedRange();
  if (!range) {
    say("Select some text first.", true);
    return;
  }
  const body = {
    label: label.id,
    start: range.start,
    end: range.end,
    text: text.slice(offsets.toUtf16(range.start), offsets.toUtf16(range.end)),
  };
  try {
    const span = await api("POST", `projects/${data.project}/documents/${data.document.id}/spans/`, body);
    spans.push(span);
    window.getSelection().removeAllRanges();
    draw();
    say(`Saved “${span.text}” as ${label.name}.`);
  } catch (error) {
    say(`Not saved: ${error.message}`, true);
  }
}

document.getElementById("labels").addEventListener("mousedown", (event) => {
  if (event.target.closest("[data-label-id]")) event.preventDefault(); // keep the text selection
});
document.getElementById("labels").addEventListener("click", (event) => {
  const button = event.target.closest("[data-label-id]");
  if (button) annotate(labelsById.get(Number(button.dataset.labelId)));
});
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea")) return;
  const label = labelsByKey.get(event.key);
  if (label && selectedRange()) {
    event.preventDefault();
    annotate(label);
  }
});

draw();
container.dataset.ready = "true";

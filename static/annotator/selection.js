// The user's selection inside an article container, in code points, optionally snapped to whole words; and
// the spans under a click. Shared by the annotate and review pages.

const wordChar = /[\p{L}\p{N}\p{M}_]/u;

export function isWordChar(ch) {
  return ch !== undefined && wordChar.test(ch);
}

// Trim white space off both ends; with `toWords`, widen each end to the edge of the word it cuts.
export function snapped(chars, { start, end }, toWords) {
  while (start < end && /\s/u.test(chars[start])) start += 1;
  while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
  if (!toWords || start === end) return { start, end };
  while (start > 0 && isWordChar(chars[start - 1]) && isWordChar(chars[start])) start -= 1;
  while (end < chars.length && isWordChar(chars[end - 1]) && isWordChar(chars[end])) end += 1;
  return { start, end };
}

// UTF-16 offset of a DOM position inside `container`, counted over its text.
function utf16Offset(container, node, offset) {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

// The selection inside `container` as code points {start, end} (trimmed, snapped when asked), or null.
export function selectedRange(container, offsets, chars, toWords) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const chosen = snapped(
    chars,
    {
      start: offsets.toCodePoint(utf16Offset(container, range.startContainer, range.startOffset)),
      end: offsets.toCodePoint(utf16Offset(container, range.endContainer, range.endOffset)),
    },
    toWords,
  );
  return chosen.start < chosen.end ? chosen : null;
}

// Ids of the highlights under a click target, innermost first.
export function spanIdsAt(target, container) {
  const ids = [];
  for (let node = target; node && node !== container; node = node.parentElement) {
    if (node.dataset && node.dataset.spanId) ids.push(Number(node.dataset.spanId));
  }
  return ids;
}

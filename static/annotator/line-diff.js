// A line diff of two texts (a codebook's guidelines at two versions): the longest common subsequence of their lines,
// so the lines kept are as many as can be, and what is left is removed from the old text or added in the new. Pure:
// no DOM, so the tests run it against Python's answer.

// Past this many cells (lines of one × lines of the other, after the common ends are set aside) the table would cost
// more memory than a settings page should take: the middle is then shown as removed whole and added whole.
export const MAX_CELLS = 25_000_000;

const linesOf = (text) => (text === "" ? [] : text.replace(/\r\n?/g, "\n").split("\n"));

/** [{op: "same" | "del" | "add", line}] that turn `before` into `after`, line by line, in reading order. */
export function lineDiff(before, after) {
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    tail += 1;
  }
  const same = (line) => ({ op: "same", line });
  return [
    ...a.slice(0, head).map(same),
    ...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map(same),
  ];
}

function middle(a, b) {
  const n = a.length;
  const m = b.length;
  if (!n || !m || n * m > MAX_CELLS) {
    return [...a.map((line) => ({ op: "del", line })), ...b.map((line) => ({ op: "add", line }))];
  }
  // lengths[i * (m + 1) + j]: the LCS of a[i:] and b[j:].
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * width + j] = a[i] === b[j]
        ? lengths[(i + 1) * width + j + 1] + 1
        : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  const result = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      result.push({ op: "same", line: a[i] });
      i += 1;
      j += 1;
    } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
      result.push({ op: "del", line: a[i] });
      i += 1;
    } else {
      result.push({ op: "add", line: b[j] });
      j += 1;
    }
  }
  for (; i < n; i += 1) result.push({ op: "del", line: a[i] });
  for (; j < m; j += 1) result.push({ op: "add", line: b[j] });
  return result;
}

/** The diff with each run of unchanged lines longer than 2 × `context` cut to its ends: the cut is
 * {op: "skip", count}. */
export function withContext(diff, context = 3) {
  const result = [];
  let start = 0;
  while (start < diff.length) {
    if (diff[start].op !== "same") {
      result.push(diff[start]);
      start += 1;
      continue;
    }
    let end = start;
    while (end < diff.length && diff[end].op === "same") end += 1;
    const keepHead = start === 0 ? 0 : context;
    const keepTail = end === diff.length ? 0 : context;
    if (end - start > keepHead + keepTail) {
      result.push(...diff.slice(start, start + keepHead), { op: "skip", count: end - start - keepHead - keepTail },
        ...diff.slice(end - keepTail, end));
    } else {
      result.push(...diff.slice(start, end));
    }
    start = end;
  }
  return result;
}

// Offsets: the API counts Unicode code points, the DOM counts UTF-16 code units. One table per text
// converts both ways, so an emoji, a flag or a combining accent before a span never shifts it.

export class OffsetMap {
  constructor(text) {
    // utf16At[cp] = UTF-16 offset of code point cp; one entry past the end.
    this.utf16At = [0];
    let unit = 0;
    for (const ch of text) {
      unit += ch.length;
      this.utf16At.push(unit);
    }
    this.length = this.utf16At.length - 1;
  }

  toUtf16(codePoint) {
    return this.utf16At[Math.max(0, Math.min(codePoint, this.length))];
  }

  // The code point at or before a UTF-16 offset (an offset inside a surrogate pair rounds down).
  toCodePoint(utf16) {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.utf16At[mid] <= utf16) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

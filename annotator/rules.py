"""The rules an annotation keeps, as pure functions that return what is wrong: (field, message) pairs, none when it
is sound. The span service, the file codecs and the imports all call them, so one mistake is named the same way
wherever it is made; relations, suggestions and answers add their rules here."""


def span_problems(text, start, end, given_text=None):
    """What is wrong with the span [start, end) of `text` (code points, half-open) and with `given_text`, the text
    its author says it covers (None: not said)."""
    if start < 0:
        return [("start", f"start {start} is negative")]
    if start >= len(text):
        return [("start", f"start {start} is past the end of the text ({len(text)} code points)")]
    if end <= start:
        return [("end", f"start {start} is not before end {end}")]
    if end > len(text):
        return [("end", f"end {end} is past the end of the text ({len(text)} code points)")]
    if given_text is not None and text[start:end] != given_text:
        return [("text", f"text {given_text!r} is not the text at {start}:{end} ({text[start:end]!r})")]
    return []


def label_problems(label, *, named):
    """What is wrong with giving a span `label`: a Label (or anything with `name` and `active`), or None when the
    project has no label `named` (how the caller named it: an id, a name)."""
    if label is None:
        return [("label", f"label {named} is not in this project")]
    if not label.active:
        return [("label", f"label {label.name!r} is deactivated")]
    return []

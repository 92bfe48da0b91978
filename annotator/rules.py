"""The rules Slant's data keeps (a span's offsets and label; a document's text, metadata and url), as pure functions
that return what is wrong: (field, message) pairs, none when it is sound. The API's services and serializers, the
file codecs and the imports all call them, so one mistake is named the same way wherever it is made; relations,
suggestions and answers add their rules here."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator


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


def relation_type_problems(relation_type, *, named):
    """What is wrong with giving a relation `relation_type`: a RelationType (or anything with `name` and `active`),
    or None when the project has no relation type `named`."""
    if relation_type is None:
        return [("type", f"relation type {named} is not in this project")]
    if not relation_type.active:
        return [("type", f"relation type {relation_type.name!r} is deactivated")]
    return []


def relation_problems(
    *, from_span, to_span, named_from, named_to, from_labels=(), to_labels=(), type_name="", layer="your spans"
):
    """What is wrong with a relation between `from_span` and `to_span`: each a span (anything with `pk` and
    `label_id`) the relation may join, or None when `layer` (the caller's spans, the gold layer) has no such span
    on the document (how the caller named it: `named_from`, `named_to`); the message is the same whether the id
    is another's, another document's or nobody's. The ends differ; when the type restricts its ends (`from_labels`,
    `to_labels`: label ids, empty = any label), each end carries one of them."""
    problems = []
    if from_span is None:
        problems.append(("from_span", f"span {named_from} is not one of {layer} of this document"))
    if to_span is None:
        problems.append(("to_span", f"span {named_to} is not one of {layer} of this document"))
    if problems:
        return problems
    if from_span.pk == to_span.pk:
        return [("to_span", "a relation joins two different spans; from_span and to_span are the same")]
    if from_labels and from_span.label_id not in from_labels:
        problems.append(("from_span", f"relation type {type_name!r} does not start at a span with this label"))
    if to_labels and to_span.label_id not in to_labels:
        problems.append(("to_span", f"relation type {type_name!r} does not end at a span with this label"))
    return problems


SOURCE_LENGTH_MAX = 100


def suggestion_problems(*, score, source):
    """What is wrong with a suggestion's `score` (None, or a number in [0, 1]) and `source` (1–100 characters: who
    or what made it)."""
    problems = []
    if score is not None and not 0 <= score <= 1:
        problems.append(("score", f"score {score} is not between 0 and 1"))
    if not source or len(source) > SOURCE_LENGTH_MAX:
        problems.append(("source", f"source must be 1 to {SOURCE_LENGTH_MAX} characters, not {len(source or '')}"))
    return problems


# A multi answer is written into one CSV cell joined with "|" (SPEC's Export), so no option holds one. A scale has at
# most this many steps beyond its first: the stats count, and the pages draw, every value of it.
WORKER_STOPPED = (
    "The worker running this job stopped before it finished (its process ended or lost the database). Every "
    "document counted in done is complete and the others are untouched: run the recommender again; it adds no "
    "suggestion twice."
)
IMPORT_WORKER_STOPPED = (
    "The worker running this import stopped before it finished (its process ended or lost the database). Nothing of"
    " the file was stored: import it again."
)


def worker_stopped(kind):
    """The error a job whose worker stopped shows, by its kind."""
    return IMPORT_WORKER_STOPPED if kind == "import" else WORKER_STOPPED


def job_lost(*, status, lease_until, now):
    """Whether a job is running without a worker: its worker renews the lease as it goes, and it has run out."""
    return status == "running" and lease_until is not None and lease_until < now


OPTION_SEPARATOR = "|"
OPTIONS_MAX = 100
OPTION_LENGTH_MAX = 200
SCALE_STEPS_MAX = 100


def question_problems(*, kind, options, min, max):
    """What is wrong with a question of `kind` ("single", "multi", "scale") with these `options` and bounds
    (None: not given): single and multi take two or more distinct, non-blank option strings and no bounds; scale
    takes integers min < max (at most SCALE_STEPS_MAX apart) and no options."""
    if kind == "scale":
        problems = []
        if options:
            problems.append(("options", "a scale question has no options; it has min and max"))
        for field, bound in (("min", min), ("max", max)):
            if type(bound) is not int:
                problems.append((field, f"a scale question needs an integer {field}"))
        if problems:
            return problems
        if min >= max:
            return [("max", f"max {max} is not above min {min}")]
        if max - min > SCALE_STEPS_MAX:
            return [("max", f"a scale spans at most {SCALE_STEPS_MAX} steps; {min} to {max} spans {max - min}")]
        return []
    bounds = {"min": min, "max": max}
    problems = [
        (field, f"a {kind} question has options, not {field}") for field, bound in bounds.items() if bound is not None
    ]
    if not isinstance(options, list) or len(options) < 2:
        return [*problems, ("options", f"a {kind} question needs two or more options")]
    if len(options) > OPTIONS_MAX:
        return [*problems, ("options", f"a question has at most {OPTIONS_MAX} options")]
    for option in options:
        if not isinstance(option, str) or not option.strip():
            return [*problems, ("options", "each option is a non-blank string")]
        if len(option) > OPTION_LENGTH_MAX:
            return [*problems, ("options", f"an option is at most {OPTION_LENGTH_MAX} characters long")]
        if OPTION_SEPARATOR in option:
            return [*problems, ("options", f"option {option[:80]!r} holds {OPTION_SEPARATOR!r}, which joins a "
                                           "multi answer's options in CSV")]  # fmt: skip
        if UNSTORABLE.search(option):
            return [*problems, ("options", "an option holds a NUL character or an unpaired UTF-16 surrogate")]
    if len(set(options)) != len(options):
        twice = next(option for option in options if options.count(option) > 1)
        return [*problems, ("options", f"option {twice[:80]!r} is given twice; options are distinct")]
    return problems


def answered_question_problems(question, *, named):
    """What is wrong with answering `question`: a Question (or anything with `name` and `active`), or None when
    the project has no question `named`."""
    if question is None:
        return [("question", f"question {named} is not in this project")]
    if not question.active:
        return [("question", f"question {question.name!r} is deactivated")]
    return []


def answer_problems(question, value):
    """What is wrong with `value` as an answer to `question` (anything with `kind`, `options`, `min`, `max`): one
    of the options (single), a non-empty list of distinct options (multi) or an integer from min to max (scale)."""
    kind, options = question.kind, question.options
    if kind == "scale":
        if type(value) is not int:
            return [("value", f"the answer to a scale question is an integer from {question.min} to {question.max}")]
        if not question.min <= value <= question.max:
            return [("value", f"{value} is outside the scale, {question.min} to {question.max}")]
        return []
    if kind == "single":
        if not isinstance(value, str):
            return [("value", "the answer to a single-choice question is one of its options, a string")]
        if value not in options:
            return [("value", f"{value[:80]!r} is not an option of this question")]
        return []
    if not isinstance(value, list) or not value:
        return [("value", "the answer to a multiple-choice question is a non-empty list of its options")]
    allowed = set(options)  # a list in a 10 MB body holds a million items: one pass, each looked up in a set
    for option in value:
        if not isinstance(option, str):
            return [("value", "each chosen option is a string")]
        if option not in allowed:
            return [("value", f"{option[:80]!r} is not an option of this question")]
    if len(set(value)) != len(value):
        return [("value", "an option is chosen twice; the options chosen are distinct")]
    return []


def answer_value(question, value):
    """`value`, a sound answer to `question`, as stored: a multi answer's options in the question's order (SPEC:
    order not kept), so that equal sets are equal values."""
    if question.kind == "multi":
        return [option for option in question.options if option in value]
    return value


def text_problems(text, *, limit):
    """What is wrong with a document's `text`: longer than `limit` code points (the setting
    SLANT_TEXT_MAX_CODE_POINTS)."""
    if len(text) > limit:
        return [("text", f"text has {len(text):,} code points; a document holds at most {limit:,}")]
    return []


METADATA_DEPTH = 32
INT64 = range(-(2**63), 2**63)
# PostgreSQL stores neither NUL nor an unpaired surrogate (only a JSON escape such as "\ud83d" can make one).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def metadata_problems(value):
    """What is wrong with a document's `metadata`: not a JSON object, nested deeper than METADATA_DEPTH, a number
    that is not an integer or a finite float within ±2⁶³ (pandas, `datasets` and PostgreSQL's jsonb read no
    other), or a string (a key too) holding NUL or an unpaired surrogate, which PostgreSQL cannot store. Walks the
    value with a stack, never recursion, so no input can overflow it."""
    if not isinstance(value, dict):
        return [("metadata", "metadata must be a JSON object")]
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > METADATA_DEPTH:
                return [("metadata", f"metadata is nested deeper than {METADATA_DEPTH} levels")]
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            if UNSTORABLE.search(item):
                return [("metadata", "metadata holds a NUL character or an unpaired UTF-16 surrogate")]
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if item not in INT64:
                return [("metadata", f"metadata holds {str(item)[:30]}, an integer past 64 bits")]
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                return [("metadata", "metadata holds a number that is not finite")]
            if not -(2.0**63) <= item < 2.0**63:
                # PostgreSQL's jsonb writes 1.5e300 out as a whole number, which reads back as an integer past 64 bits.
                return [("metadata", f"metadata holds {item!r}, a number past ±2⁶³")]
        else:
            return [("metadata", f"metadata holds a {type(item).__name__}, which JSON does not have")]
    return []


_web_address = URLValidator(schemes=["http", "https"])
# Never in an IRI (RFC 3987): white space, controls and these marks; Django's URLValidator lets some through.
NOT_IN_AN_IRI = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')


def url_problems(value):
    """What is wrong with a document's `url`: only http(s) addresses (a page may render it as a link, and
    javascript: must never be one), written as an IRI, as the API's schema says (no space, quote, <, >, \\, ^, `,
    {, |, })."""
    if not value:
        return []
    try:
        _web_address(value)
    except ValidationError:
        return [("url", f"url {value[:80]!r} is not an http or https address")]
    if NOT_IN_AN_IRI.search(value):
        return [("url", f"url {value[:80]!r} holds a space, a quote or a mark no address may hold; percent-encode it")]
    return []

"""Label Studio's JSON export of a text-labeling project: a list of tasks, offsets in code points.

Label Studio has stored code points (Python's str indices) since its emoji fix, so an offset is used as it is.

Import: each task's `data.text` (or its only string field) is the document; other `data` keys that name
Document fields fill them, the rest go to metadata (with the task `id` as `metadata.labelstudio_id` when `data`
has no `external_id`: Label Studio's ids count within one of its projects). Every `labels` result of every
annotation that was not cancelled becomes one span per label it names; `predictions` are left out. The span's
annotator is the annotation's `completed_by` when that is a name, or an object with a `username` or `email`
(an address Slant made up, `alice@slant.invalid`, gives back `alice`), else the email in `created_username`
("alice@example.com, 3"), else nobody (the importing user). Region notes (`meta.text`) become the span's note. A
`value.text` that differs from the text at the offsets is a problem.
Every `relation` result (`{"from_id", "to_id", "type": "relation", "direction", "labels"}`, as Label Studio's
editor serializes one: web/libs/editor/src/stores/RelationStore.js) becomes one relation per label it names, the
label its type, between the spans of the `labels` results whose `id`s it names in the same annotation (Label Studio
resolves them there too, `<id>#<annotation>`); a region that names several labels is joined by the span of its
first. `direction` "right" (the default) reads from → to, "left" to → from, and "bi" (no direction: Slant's
relations all have one) from → to as drawn. A relation result without labels has no type to give it, so it is a
problem, as is an id that is no `labels` result of its own annotation.
Predictions (an import of suggestions, `read_predictions`): the tasks as above, but each task's `predictions` in
place of its annotations: every `labels` result of each prediction becomes one predicted span per label it names,
its `score` the result's `score` when it has one, else the prediction's, and its source the prediction's
`model_version` (none when it is missing or empty: the import gives its default); other results are passed over.
Every `choices` result (`value.choices`, a list of options) and `rating` result (`value.rating`) becomes an answer
of the annotation's annotator to the question its `from_name` names: a single question's answer is the list's one
option; a rating r is the r-th step of the question's scale, min + r - 1 (Label Studio's stars run from 1 to
maxRating: a scale from -2 to 2 is 5 stars, and 3 stars is 0).
Export: one task per document (`id`, `data` with the Document fields), one annotation per annotator, each span a
`labels` result from `label` to `text`, as in the labeling config `label_config()` writes (a zipped export holds
it as label_config.xml, with a `<Relations>` tag naming the relation types), and the relations between the same
two spans in one `relation` result, direction "right", that lists their types: Label Studio keeps one relation
per ordered pair of regions and drops a second (RelationStore.addRelation). A relation's note goes into the
result's `meta.text`, as a region's does (Label Studio ignores it; Slant reads it back, the notes of one result's
relations joined). `completed_by` is `{"email": …}`, the one shape Label Studio 1.23 imports (it refuses an
object without `email`, and an email that is no member of its organization unless
ALLOW_IMPORT_TASKS_WITH_UNKNOWN_EMAILS is on): a username that is an email address as it is, any other
`<username>@slant.invalid` (RFC 2606: never anyone's address), which the import turns back into the username.
The gold layer's annotation, with no annotator, has no `completed_by` (Label Studio gives it to the importing
user) and is `ground_truth`. Each answer is a `choices` result (a multiple-choice answer lists its options, a
single one its option) or, for a scale, a `rating` result counted from 1 as above, `from_name` the question's name;
the labeling config has a `Choices` (choice "single" or "multiple") or `Rating` (maxRating max - min + 1) tag of
that name for each question, under a `Header` naming it.
"""

import json
import re
from xml.sax.saxutils import quoteattr

from annotator.formats.base import (
    CHOICES,
    DOCUMENT_FIELDS,
    RATING,
    Answers,
    Buffer,
    ExternalIds,
    Predictions,
    Problems,
    Relations,
    Spans,
    decode,
    document,
    dumps,
    exported_document,
    finish,
    rating_of,
    type_name,
    with_metadata,
)

WHITESPACE = re.compile(r"[ \t\n\r]*")
TASK_KEYS = frozenset({"id", "annotations", "completions", "predictions", "drafts", "meta", "created_at", "updated_at"})


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON value")


def _tasks(text, problems):
    """Yield (line, task) for each element of the JSON list `text`; broken JSON adds a Problem and stops."""
    decoder = json.JSONDecoder(parse_constant=_refuse_constant)
    pos = WHITESPACE.match(text).end()
    line, counted = 1, 0

    def line_at(position):
        nonlocal line, counted
        line += text.count("\n", counted, position)
        counted = position
        return line

    if text.startswith("{", pos):  # one task on its own
        text = f"[{text}]"
        pos = 0
    elif not text.startswith("[", pos):
        problems.add(line_at(pos), "a Label Studio export is a JSON list of tasks ([{\"data\": …}, …])")
        return
    pos = WHITESPACE.match(text, pos + 1).end()
    closed = text.startswith("]", pos)
    while not closed:
        start_line = line_at(pos)
        try:
            task, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            problems.add(error.lineno, f"not valid JSON ({error.msg} at column {error.colno})")
            return
        except ValueError as error:
            problems.add(start_line, f"not valid JSON ({error})")
            return
        except RecursionError:  # the json module recurses once per level of nesting
            problems.add(start_line, "the task is nested too deeply to read")
            return
        yield start_line, task
        pos = WHITESPACE.match(text, end).end()
        if text.startswith(",", pos):
            pos = WHITESPACE.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            closed = True
        elif pos == len(text):
            problems.add(line_at(pos), "the file ends before the list of tasks is closed with ]")
            return
        else:
            problems.add(line_at(pos), "expected , or ] after a task")
            return
    if WHITESPACE.match(text, pos + 1).end() != len(text):
        problems.add(line_at(pos), "unexpected text after the list of tasks")


# The domain of the addresses an export makes up for usernames that are not email addresses.
EMAIL_DOMAIN = "@slant.invalid"


def annotator_email(username):
    """The `completed_by` email of `username`: itself when it is an email address, else `<username>@slant.invalid`."""
    return username if "@" in username else f"{username}{EMAIL_DOMAIN}"


def _username(email):
    email = email.strip()
    return email.removesuffix(EMAIL_DOMAIN) if email.endswith(EMAIL_DOMAIN) else email


def _annotator(annotation):
    who = annotation.get("completed_by")
    if isinstance(who, str) and who.strip():
        return _username(who)
    if isinstance(who, dict):
        if isinstance(who.get("username"), str) and who["username"].strip():
            return who["username"]
        if isinstance(who.get("email"), str) and who["email"].strip():
            return _username(who["email"])
    name = annotation.get("created_username")
    if isinstance(name, str) and name.strip():
        return _username(name.rpartition(",")[0] if "," in name else name)
    return None


def _note(result):
    meta = result.get("meta")
    text = meta.get("text") if isinstance(meta, dict) else None
    if isinstance(text, str):
        return text
    if isinstance(text, list) and all(isinstance(part, str) for part in text):
        return "\n".join(text)
    return None


def _fields(task, where, line, problems):
    """The Document fields of a task, with its text field's name; None when the task has no text."""
    data = task.get("data") if "data" in task else {key: value for key, value in task.items() if key not in TASK_KEYS}
    if not isinstance(data, dict):
        problems.add(line, f"{where}: data must be an object, not {type_name(data)}")
        return None
    key = "text"
    if key not in data:
        strings = [name for name, value in data.items() if isinstance(value, str) and name not in DOCUMENT_FIELDS]
        if len(strings) != 1:
            problems.add(line, f"{where}: data has no text field")
            return None
        key = strings[0]
    fields = {name: data[name] for name in DOCUMENT_FIELDS if name in data and name != "text"}
    fields["text"] = data[key]
    extra = {name: value for name, value in data.items() if name != key and name not in DOCUMENT_FIELDS}
    if "id" in task and "external_id" not in data:
        extra["labelstudio_id"] = task["id"]
    return with_metadata(fields, extra)


def _task(task, index, line, problems, *, predictions=False):
    where = f"task {index}"
    if not isinstance(task, dict):
        problems.add(line, f"{where}: must be an object, not {type_name(task)}")
        return None
    fields = _fields(task, where, line, problems)
    if fields is None:
        return None
    record, newline_map = document(fields, line=line, problems=problems, where=where, surrogates=True)
    original = fields["text"]
    if predictions:
        spans = Predictions(original=original, record=record, newline_map=newline_map, line=line, problems=problems,
                            surrogates=True)  # fmt: skip
        _predicted(task, where, spans)
        return record
    spans = Spans(original=original, record=record, newline_map=newline_map, line=line, problems=problems,
                  surrogates=True)
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        problems.add(line, f"{where}: annotations must be a list, not {type_name(annotations)}")
        return record
    relations = Relations(spans)
    answers = Answers(record, line=line, problems=problems)
    regions = {}  # (annotation number, result id) → the id of its (first) span in the record
    for number, annotation in enumerate(annotations, 1):
        if not isinstance(annotation, dict):
            problems.add(line, f"{where}, annotation {number}: must be an object, not {type_name(annotation)}")
            continue
        if annotation.get("was_cancelled"):
            continue
        annotator = _annotator(annotation)
        results = annotation.get("result") or []
        if not isinstance(results, list):
            problems.add(line, f"{where}, annotation {number}: result must be a list, not {type_name(results)}")
            continue
        links = []
        for position, result in enumerate(results, 1):
            here = f"{where}, annotation {number}, result {position}"
            if not isinstance(result, dict):
                problems.add(line, f"{here}: must be an object, not {type_name(result)}")
                continue
            if result.get("type") == "hypertextlabels":
                problems.add(line, f"{here}: HyperText regions (XPath offsets) do not import; use a Text project")
                continue
            if result.get("type") == "relation":
                links.append((here, result))
                continue
            if type(result.get("type")) is str and result["type"] in ANSWER_RESULTS:
                _answer(result, here, annotator, answers)
                continue
            if result.get("type") != "labels":
                continue  # text areas, taxonomies…: nothing Slant keeps
            value = result.get("value")
            labels = value.get("labels") if isinstance(value, dict) else None
            if not isinstance(labels, list) or not labels:
                problems.add(line, f"{here}: value must hold start, end and a list of labels")
                continue
            region = _region(result.get("id"), number, regions)
            start, end = value.get("start"), value.get("end")
            for label in labels:
                raw = {"start": start, "end": end, "label": label, "annotator": annotator, "note": _note(result)}
                if region is not None:
                    raw["id"] = regions[(number, region)] = f"{region}#{number}"
                    region = None  # the region's first span is the one its relations join
                if "text" in value:
                    raw["text"] = value["text"]  # must be what the offsets cover
                spans.add(raw, here)
        for here, result in links:
            _relation(result, here, number, annotator, regions, relations)
    return record


def _model_version(prediction, where, spans):
    """The source a prediction's `model_version` gives (None: missing or empty, the import's default)."""
    version = prediction.get("model_version")
    if version is None or version == "":
        return None
    if type(version) is int:
        return str(version)
    if type(version) is not str:
        spans.problems.add(spans.line, f"{where}: model_version must be a string, not {type_name(version)}")
        return None
    return version


def _predicted(task, where, spans):
    """Add the spans of every `labels` result of the task's `predictions` to `spans` (a Predictions)."""
    line, problems = spans.line, spans.problems
    predictions = task.get("predictions") or []
    if not isinstance(predictions, list):
        problems.add(line, f"{where}: predictions must be a list, not {type_name(predictions)}")
        return
    for number, prediction in enumerate(predictions, 1):
        here = f"{where}, prediction {number}"
        if not isinstance(prediction, dict):
            problems.add(line, f"{here}: must be an object, not {type_name(prediction)}")
            continue
        source = _model_version(prediction, here, spans)
        results = prediction.get("result") or []
        if not isinstance(results, list):
            problems.add(line, f"{here}: result must be a list, not {type_name(results)}")
            continue
        for position, result in enumerate(results, 1):
            there = f"{here}, result {position}"
            if not isinstance(result, dict):
                problems.add(line, f"{there}: must be an object, not {type_name(result)}")
                continue
            if result.get("type") == "hypertextlabels":
                problems.add(line, f"{there}: HyperText regions (XPath offsets) do not import; use a Text project")
                continue
            if result.get("type") != "labels":
                continue  # choices, relations, text areas…: no span to suggest
            value = result.get("value")
            labels = value.get("labels") if isinstance(value, dict) else None
            if not isinstance(labels, list) or not labels:
                problems.add(line, f"{there}: value must hold start, end and a list of labels")
                continue
            score = result.get("score")
            if score is None:
                score = prediction.get("score")
            for label in labels:
                raw = {"start": value.get("start"), "end": value.get("end"), "label": label, "score": score,
                       "source": source}  # fmt: skip
                if "text" in value:
                    raw["text"] = value["text"]  # must be what the offsets cover
                spans.add(raw, there)


def _region(ident, number, regions):
    """The result id `ident` when it can name a region of annotation `number` that has none of that id yet."""
    if (type(ident) is str or type(ident) is int) and (number, ident) not in regions:
        return ident
    return None


# A result type that answers a question, and the key of its value that holds the answer.
ANSWER_RESULTS = {"choices": CHOICES, "rating": RATING}


def _answer(result, where, annotator, answers):
    """Add the answer a `choices` or `rating` result gives to the question its `from_name` names."""
    kind = result["type"]
    value = result.get("value")
    if not isinstance(value, dict) or kind not in value:
        answers.problems.add(answers.line, f"{where}: value must hold {kind}")
        return
    raw = {"question": result.get("from_name"), "value": value[kind], "annotator": annotator}
    answers.add(raw, where, form=ANSWER_RESULTS[kind])


DIRECTIONS = ("right", "left", "bi")


def _relation(result, where, number, annotator, regions, relations):
    """Add the relations of the `relation` result of annotation `number`, one per label, to `relations`."""
    spans = relations.spans
    line, problems = spans.line, spans.problems
    ends = []
    for name in ("from_id", "to_id"):
        ident = result.get(name)
        end = regions.get((number, ident)) if type(ident) is str or type(ident) is int else None
        if end is None:
            elsewhere = sorted(other for other, region in regions if region == ident and other != number)
            hint = f" (it is one of annotation {elsewhere[0]})" if elsewhere else ""
            problems.add(line, f"{where}: {name} {ident!r} is not the id of a labels result of this annotation{hint}")
        ends.append(end)
    direction = result.get("direction", "right")
    if direction not in DIRECTIONS:
        problems.add(line, f"{where}: direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
        return
    labels = result.get("labels")
    if not labels:
        problems.add(line, f"{where}: a relation without labels has no type; label it in Label Studio or remove it")
        return
    if not isinstance(labels, list):
        problems.add(line, f"{where}: labels must be a list of relation type names, not {type_name(labels)}")
        return
    if None in ends:
        return
    start, end = ends if direction != "left" else reversed(ends)
    for label in labels:
        relations.add({"type": label, "from": start, "to": end, "annotator": annotator, "note": _note(result)},
                      where)  # fmt: skip


def read(data, *, filename="", predictions=False):
    """Return the documents of a Label Studio JSON export; raise FormatError listing every problem and its line.
    `predictions`: their spans are the tasks' predictions (see the module's docstring)."""
    problems = Problems()
    external_ids = ExternalIds(problems)
    records = []
    for index, (line, task) in enumerate(_tasks(decode(data), problems), 1):
        record = _task(task, index, line, problems, predictions=predictions)
        external_ids.check(record, line)
        if record is not None:
            records.append(record)
    return finish(records, problems)


def read_predictions(data, *, filename=""):
    """Return the documents of a Label Studio JSON export with their predictions as spans (each with `score` and
    `source`); raise FormatError listing every problem and its line."""
    return read(data, filename=filename, predictions=True)


def _relation_results(relations, regions):
    """(annotator, `relation` result) pairs: one result per ordered pair of spans, listing the types of every
    relation between them (Label Studio keeps one relation per pair), in the annotation of its spans. `regions` maps
    a span id to (its annotator, its `labels` result's id); a relation between spans of two annotations (never
    exported) is left out."""
    pairs = {}
    for item in relations:
        start, end = regions.get(item["from"]), regions.get(item["to"])
        if start is None or end is None or start[0] != end[0]:
            continue
        annotator, result = pairs.get((start, end), (start[0], None))
        if result is None:
            result = {"from_id": start[1], "to_id": end[1], "type": "relation", "direction": "right", "labels": []}
            pairs[(start, end)] = (annotator, result)
        result["labels"].append(item["type"])
        if item.get("note"):
            result.setdefault("meta", {"text": []})["text"].append(item["note"])
    return pairs.values()


def _answer_result(item, number, questions):
    """The `choices` or `rating` result of the answer `item`; `questions` maps a question's name to its kind and
    min."""
    kind, minimum = questions.get(item["question"], (None, None))
    value = item["value"]
    if kind == "scale" or (kind is None and type(value) is int):
        kind, value = "rating", {"rating": rating_of(value, minimum=minimum or 1)}
    else:
        kind, value = "choices", {"choices": value if isinstance(value, list) else [value]}
    return {"id": f"a{number}", "from_name": item["question"], "to_name": "text", "type": kind, "origin": "manual",
            "value": value}  # fmt: skip


def exported(record, questions=None):
    fields = exported_document(record)
    task_id = fields.pop("id")
    text = fields["text"]
    by_annotator = {}
    regions = {}  # span id → (annotator, its labels result's id)
    for number, item in enumerate(record.get("spans", ()), 1):
        start, end = item["start"], item["end"]
        result = {
            "id": f"s{number}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
            "value": {
                "start": start,
                "end": end,
                "text": text[start:end],
                "labels": [item["label"]],
            },
        }
        if item.get("note"):
            result["meta"] = {"text": [item["note"]]}
        annotator = item.get("annotator")
        by_annotator.setdefault(annotator, []).append(result)
        if item.get("id") is not None:
            regions[item["id"]] = (annotator, result["id"])
    for annotator, result in _relation_results(record.get("relations", ()), regions):
        by_annotator[annotator].append(result)
    for number, item in enumerate(record.get("answers", ()), 1):
        by_annotator.setdefault(item.get("annotator"), []).append(_answer_result(item, number, questions or {}))
    annotations = []
    for annotator, results in by_annotator.items():
        annotation = {"completed_by": {"email": annotator_email(annotator)}} if annotator is not None else {}
        annotation.update(result=results, was_cancelled=False, ground_truth=annotator is None)
        annotations.append(annotation)
    return {"id": task_id, "data": fields, "annotations": annotations, "predictions": []}


def write(records, *, labels=(), questions=()):
    """Yield a JSON list of Label Studio tasks, one task a line, in chunks of about 64 KB; `questions` ([{name,
    kind, min, …}]) say which answers are ratings and where their scales start."""
    kinds = {question["name"]: (question["kind"], question.get("min")) for question in questions}
    buffer = Buffer()
    separator = b"[\n"
    for record in records:
        if buffer.add(separator + dumps(exported(record, kinds))):
            yield buffer.take()
        separator = b",\n"
    buffer.add(b"[]\n" if separator == b"[\n" else b"\n]\n")
    yield buffer.take()


def _choice(tag, item):
    """One `<Label>` or `<Relation>` line of the labeling config: the name as its value, the colour as background."""
    color = f" background={quoteattr(item['color'])}" if item.get("color") else ""
    return f"    <{tag} value={quoteattr(item['name'])}{color}/>"


def _question_tags(question):
    """The `Header` and the `Choices` or `Rating` control of one question, on the text."""
    name = quoteattr(question["name"])
    lines = [f"  <Header value={name}/>"]
    if question["kind"] == "scale":
        steps = rating_of(question["max"], minimum=question["min"])
        return [*lines, f'  <Rating name={name} toName="text" maxRating="{steps}"/>']
    choice = "multiple" if question["kind"] == "multi" else "single"
    options = [f"    <Choice value={quoteattr(option)}/>" for option in question["options"]]
    return [*lines, f'  <Choices name={name} toName="text" choice="{choice}">', *options, "  </Choices>"]


def label_config(labels, relation_types=(), questions=()):
    """Label Studio's labeling config (XML) for these labels, relation types and questions, matching what `write`
    exports: a `Labels` control called `label` on a `Text` object called `text` that shows `$text`, a task's
    data.text, a `Relations` tag whose `Relation` values are the relation types' names, and after the text each
    question's `Choices` or `Rating` control, named as the question."""
    lines = ["<View>"]
    if relation_types:
        lines += ["  <Relations>", *(_choice("Relation", kind) for kind in relation_types), "  </Relations>"]
    lines += ['  <Labels name="label" toName="text">', *(_choice("Label", label) for label in labels), "  </Labels>"]
    lines.append('  <Text name="text" value="$text"/>')
    for question in questions:
        lines += _question_tags(question)
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def companions(labels, relation_types=(), questions=()):
    """The files a zipped export holds beside the tasks: the labeling config that Label Studio opens them with."""
    return [("label_config.xml", label_config(labels, relation_types, questions).encode())]

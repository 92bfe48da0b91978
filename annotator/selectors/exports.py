"""Reads for exports: a project's documents with the spans, relations and answers of one layer, as plain records, a
chunk at a time."""

from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from typing import NamedTuple

import orjson
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, TextField, Value
from django.utils import timezone
from django.utils.text import slugify

from annotator import formats
from annotator.choices import ReviewStatus, Role
from annotator.dbfunctions import JsonRows
from annotator.errors import InvalidInput
from annotator.formats import brat
from annotator.formats.base import DOCUMENT_FIELDS, UniqueNames
from annotator.formats.csv import TABLES as CSV_TABLES
from annotator.models import (
    Answer,
    Assignment,
    CodebookVersion,
    Document,
    GoldAnswer,
    GoldRelation,
    GoldSpan,
    Label,
    Member,
    Question,
    Relation,
    RelationType,
    RelationTypeLabel,
    Span,
)
from annotator.selectors.agreement import project_agreement
from annotator.selectors.stats import question_values, value_counts

LAYERS = ("annotations", "accepted", "gold")
CHUNK = 500
# Formats whose label names are made into type names (brat types, CoNLL tags): the dataset card lists the mapping.
TYPE_NAMED_FORMATS = ("brat", "conll")


def _documents(project, annotator):
    documents = Document.objects.filter(project=project)
    if annotator is not None:
        # One annotator's dataset: the documents they were given or marked, not every document of the project.
        documents = documents.filter(
            Exists(Assignment.objects.filter(document=OuterRef("pk"), user=annotator))
            | Exists(Span.objects.filter(document=OuterRef("pk"), annotator=annotator))
            | Exists(Answer.objects.filter(document=OuterRef("pk"), annotator=annotator))
        )
    return documents


def _per_document(rows, *columns, ordering):
    """The JSON text of the [columns] arrays of the outer document's `rows`, in `ordering` (None without rows): a
    correlated subquery (JsonRows), so that the driver builds a string a document rather than a tuple a span, and
    each document's rows are found through its index whatever the planner's statistics (an IN list over a table
    never analyzed, just after a bulk import, had PostgreSQL scan every span of the table for each chunk)."""
    return Subquery(
        rows.order_by().values("document_id").annotate(rows=JsonRows(*columns, ordering=ordering)).values("rows")
    )


def _of(documents):
    """The filter on `document` for `documents`: ids, a queryset, or the outer document of a subquery."""
    return {"document": documents} if isinstance(documents, OuterRef) else {"document__in": documents}


def _spans(layer, documents, annotator):
    """{document id: JSON [[span id, label name, start, end, annotator name, review status, note, origin, codebook
    version], ...]} (gold: [[id, label name, start, end, note, codebook version], ...]) by start, end and id."""
    if layer == "gold":
        return _per_document(GoldSpan.objects.filter(**_of(documents)),
                             "id", "label__name", "start", "end", "note", "codebook_version",
                             ordering=("start", "end", "id"))  # fmt: skip
    spans = Span.objects.filter(**_of(documents))
    if layer == "accepted":
        spans = spans.filter(review_status=ReviewStatus.ACCEPTED)
    if annotator is not None:
        spans = spans.filter(annotator=annotator)
    return _per_document(spans, "id", "label__name", "start", "end", "annotator__username", "review_status", "note",
                         "origin", "codebook_version", ordering=("start", "end", "id"))  # fmt: skip


def _layer_relations(layer, documents, annotator):
    """The relations (gold relations for `gold`) of `layer` on `documents` (ids or a queryset); `accepted` keeps an
    accepted relation only when both its spans are accepted too, so that its ends are in the export."""
    if layer == "gold":
        return GoldRelation.objects.filter(**_of(documents))
    relations = Relation.objects.filter(**_of(documents))
    if layer == "accepted":
        accepted = ReviewStatus.ACCEPTED
        relations = relations.filter(
            review_status=accepted, from_span__review_status=accepted, to_span__review_status=accepted
        )
    if annotator is not None:
        relations = relations.filter(annotator=annotator)
    return relations


def _relations(layer, documents, annotator):
    """{document id: JSON [[relation id, type name, from span id, to span id, annotator name, review status, note,
    codebook version], ...]} (gold: [[id, type name, from, to, note, codebook version], ...]) by id."""
    relations = _layer_relations(layer, documents, annotator)
    if layer == "gold":
        return _per_document(relations, "id", "type__name", "from_span_id", "to_span_id", "note", "codebook_version",
                             ordering=("id",))  # fmt: skip
    return _per_document(relations, "id", "type__name", "from_span_id", "to_span_id", "annotator__username",
                         "review_status", "note", "codebook_version", ordering=("id",))  # fmt: skip


def _layer_answers(layer, documents, annotator):
    """The answers (gold answers for `gold`) of `layer` on `documents` (ids or a queryset)."""
    if layer == "gold":
        return GoldAnswer.objects.filter(**_of(documents))
    answers = Answer.objects.filter(**_of(documents))
    if layer == "accepted":
        answers = answers.filter(review_status=ReviewStatus.ACCEPTED)
    if annotator is not None:
        answers = answers.filter(annotator=annotator)
    return answers


def _answers(layer, documents, annotator):
    """{document id: JSON [[question id, question name, value, annotator name, review status, codebook version],
    ...]} (gold: [[question id, question name, value, codebook version], ...]) by question, then annotator."""
    answers = _layer_answers(layer, documents, annotator)
    if layer == "gold":
        return _per_document(answers, "question_id", "question__name", "value", "codebook_version",
                             ordering=("question_id",))  # fmt: skip
    return _per_document(answers, "question_id", "question__name", "value", "annotator__username", "review_status",
                         "codebook_version", ordering=("question_id", "annotator__username"))  # fmt: skip


# How many threads read an export's next chunks of documents while the current one is written (_chunks).
READERS = 2


def _chunks(documents, columns, chunk):
    """Yield the `columns` rows of `documents` in id order, `chunk` documents at a time, each chunk a list.

    Outside a transaction the next chunks are read on READERS threads of their own, each on its own connection
    (closed there when the export ends or is stopped), while this one is written: PostgreSQL builds the documents'
    JSON on one core while Python writes on the other (a W2 export's 1,000,000 spans: 3.3 s of the database's work
    and 1.8 s of Python's). Their bounds come from the documents' ids, read first. Inside a transaction (a test's,
    or a caller's) those threads could not see its writes: one chunk at a time, each after the last one's id."""
    ordered = documents.order_by("id")
    if connection.in_atomic_block:
        last = 0
        while rows := list(ordered.filter(id__gt=last).values_list(*columns)[:chunk]):
            last = rows[-1][0]  # read first: the caller empties the chunk as it goes
            yield rows
        return
    ids = list(ordered.values_list("id", flat=True))
    bounds = [(ids[i], ids[min(i + chunk, len(ids)) - 1]) for i in range(0, len(ids), chunk)]
    del ids

    def fetch(first, last):
        return list(ordered.filter(id__gte=first, id__lte=last).values_list(*columns))

    readers = [ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") for _ in range(READERS)]
    try:
        pending = deque(readers[n % READERS].submit(fetch, *bounds[n]) for n in range(min(READERS, len(bounds))))
        for n in range(len(bounds)):
            rows = pending.popleft().result()
            if n + READERS < len(bounds):
                pending.append(readers[(n + READERS) % READERS].submit(fetch, *bounds[n + READERS]))
            yield rows
    finally:
        for reader in readers:
            # after its reads still under way; `connection` is the reader thread's own there
            reader.submit(lambda: connection.close()).result()  # noqa: PLW0108
            reader.shutdown()


RECORD_FIELDS = ("id", *DOCUMENT_FIELDS)
# Where the database does not order a document's rows (JsonRows.ordered), they are sorted by the same keys.
SPAN_ORDER = itemgetter(2, 3, 0)
RELATION_ORDER = itemgetter(0)
ANSWER_ORDER = itemgetter(0, 3)
GOLD_ANSWER_ORDER = itemgetter(0)


def _rows(text, order):
    if text is None:
        return ()
    rows = orjson.loads(text)
    if order is not None:
        rows.sort(key=order)
    return rows


def export_records(*, project, layer="annotations", annotator=None, chunk=CHUNK):
    """Yield one record per document of `project` (id order) with its spans, relations and answers of `layer`,
    `annotator`'s only when given: one query per `chunk` documents, each document's spans, relations and answers
    one JSON text each (a correlated subquery, _per_document), parsed as its record is made, so memory stays flat
    however large the project."""
    documents = _documents(project, annotator).order_by("id")
    # A project without relation types has no relations, one without questions no answers: its export reads none.
    related = RelationType.objects.filter(project=project).exists()
    asked = Question.objects.filter(project=project).exists()
    gold = layer == "gold"
    ordered = JsonRows.ordered(connection)
    span_order = None if ordered else SPAN_ORDER
    relation_order = None if ordered else RELATION_ORDER
    answer_order = None if ordered else (GOLD_ANSWER_ORDER if gold else ANSWER_ORDER)
    outer = OuterRef("pk")
    documents = documents.annotate(
        span_rows=_spans(layer, outer, annotator),
        relation_rows=_relations(layer, outer, annotator) if related else Value(None, TextField()),
        answer_rows=_answers(layer, outer, annotator) if asked else Value(None, TextField()),
    )
    columns = ("id", *DOCUMENT_FIELDS, "span_rows", "relation_rows", "answer_rows")
    for rows in _chunks(documents, columns, chunk):
        # Each document's rows are parsed as its record is made and let go once it is out, so that a chunk holds
        # its rows as compact JSON text, not as Python objects. A span's text is left to the writers, which slice
        # it when they write it (formats/__init__.py): slicing it here too cost 5% of a JSONL export's time.
        rows.reverse()
        while rows:
            *fields, span_rows, relation_rows, answer_rows = rows.pop()
            row = dict(zip(RECORD_FIELDS, fields, strict=True))
            if gold:
                own = [
                    {"id": pk, "start": start, "end": end, "label": label, "annotator": None, "review_status": None,
                     "note": note, "origin": None, "codebook_version": version}
                    for pk, label, start, end, note, version in _rows(span_rows, span_order)
                ]  # fmt: skip
                linked = [
                    {"id": pk, "type": kind, "from": start, "to": end, "annotator": None, "review_status": None,
                     "note": note, "codebook_version": version}
                    for pk, kind, start, end, note, version in _rows(relation_rows, relation_order)
                ]  # fmt: skip
                answered = [
                    {"question": question, "value": value, "annotator": None, "review_status": None,
                     "codebook_version": version}
                    for _, question, value, version in _rows(answer_rows, answer_order)
                ]  # fmt: skip
            else:
                own = [
                    {"id": pk, "start": start, "end": end, "label": label, "annotator": username,
                     "review_status": status, "note": note, "origin": origin, "codebook_version": version}
                    for pk, label, start, end, username, status, note, origin, version
                    in _rows(span_rows, span_order)
                ]  # fmt: skip
                linked = [
                    {"id": pk, "type": kind, "from": start, "to": end, "annotator": username,
                     "review_status": status, "note": note, "codebook_version": version}
                    for pk, kind, start, end, username, status, note, version
                    in _rows(relation_rows, relation_order)
                ]  # fmt: skip
                answered = [
                    {"question": question, "value": value, "annotator": username, "review_status": status,
                     "codebook_version": version}
                    for _, question, value, username, status, version
                    in _rows(answer_rows, answer_order)
                ]  # fmt: skip
            published = row["published_at"]
            yield {
                **row,
                "published_at": published.isoformat() if published else None,
                "spans": own,
                "relations": linked,
                "answers": answered,
            }


def export_annotators(*, project_id):
    """Usernames an export can be narrowed to: the project's annotators and any other member with spans or answers
    in it (an owner whose imported spans had no annotator), by username."""
    has_spans = Exists(Span.objects.filter(document__project_id=project_id, annotator_id=OuterRef("user_id")))
    has_answers = Exists(Answer.objects.filter(document__project_id=project_id, annotator_id=OuterRef("user_id")))
    return list(
        Member.objects.filter(project_id=project_id)
        .filter(Q(role=Role.ANNOTATOR) | has_spans | has_answers)
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )


def _brat_folders(*, project, layer, annotator):
    """Usernames that get a brat folder of their own: every annotator of the project and whoever has spans in the
    layer (a former member too); None when the export is one layer already (one annotator, or gold)."""
    if layer == "gold" or annotator is not None:
        return None
    spans = Span.objects.filter(document__project=project)
    if layer == "accepted":
        spans = spans.filter(review_status=ReviewStatus.ACCEPTED)
    authors = spans.values_list("annotator__username", flat=True).distinct()
    annotators = Member.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user__username", flat=True)
    return sorted(set(authors) | set(annotators))


def export_relation_types(*, project):
    """The project's relation types as an export's configuration names them: [{name, color, description,
    from_labels, to_labels}], the ends' label names in label id order (empty: any label), types in id order."""
    ends = {}
    for type_id, end, name in (
        RelationTypeLabel.objects.filter(type__project=project)
        .order_by("label_id")
        .values_list("type_id", "end", "label__name")
    ):
        ends.setdefault((type_id, end), []).append(name)
    return [
        {
            "name": name,
            "color": color,
            "description": description,
            "from_labels": ends.get((pk, "from"), []),
            "to_labels": ends.get((pk, "to"), []),
        }
        for pk, name, color, description in RelationType.objects.filter(project=project)
        .order_by("id")
        .values_list("id", "name", "color", "description")
    ]


def export_questions(*, project):
    """The project's questions as an export's configuration names them: [{name, kind, options, min, max,
    description}], in id order."""
    return list(
        Question.objects.filter(project=project)
        .order_by("id")
        .values("name", "kind", "options", "min", "max", "description")
    )


def _question_summary(layer, documents, annotator, project):
    """Per question of the project: its name, kind, whether active, the layer's answers to it and how many chose
    each value (stats.value_counts: a multi answer under each option it chose, a scale under each integer)."""
    counted = defaultdict(lambda: defaultdict(int))
    answered = defaultdict(int)
    for question_id, value, n in (
        _layer_answers(layer, documents, annotator)
        .values_list("question_id", "value")
        .annotate(n=Count("id"))
        .values_list("question_id", "value", "n")
    ):
        answered[question_id] += n
        for chosen in value if isinstance(value, list) else [value]:
            counted[question_id][chosen] += n
    return [
        {"name": name, "kind": kind, "active": active, "answers": answered.get(pk, 0),
         "values": value_counts(question_values(kind, options, low, high), counted.get(pk, {}))}
        for pk, name, kind, active, options, low, high in Question.objects.filter(project=project)
        .order_by("id")
        .values_list("id", "name", "kind", "active", "options", "min", "max")
    ]  # fmt: skip


def export_summary(*, project, layer="annotations", annotator=None):
    """Counts for a dataset card: documents, spans per label and per annotator, relations per type, answers per
    question and value, under the export's filters."""
    documents = _documents(project, annotator)
    if layer == "gold":
        spans = GoldSpan.objects.filter(document__in=documents)
        per_annotator = {}
    else:
        spans = Span.objects.filter(document__in=documents)
        if layer == "accepted":
            spans = spans.filter(review_status=ReviewStatus.ACCEPTED)
        if annotator is not None:
            spans = spans.filter(annotator=annotator)
        per_annotator = dict(
            spans.values_list("annotator__username").annotate(n=Count("id")).values_list("annotator__username", "n")
        )
    per_label = dict(spans.values_list("label_id").annotate(n=Count("id")).values_list("label_id", "n"))
    per_type = dict(
        _layer_relations(layer, documents, annotator)
        .values_list("type_id")
        .annotate(n=Count("id"))
        .values_list("type_id", "n")
    )
    labels = [
        {"name": name, "key": key, "color": color, "description": description, "active": active,
         "spans": per_label.get(pk, 0)}
        for pk, name, key, color, description, active in Label.objects.filter(project=project)
        .order_by("id")
        .values_list("id", "name", "key", "color", "description", "active")
    ]  # fmt: skip
    relation_types = [
        {"name": name, "active": active, "relations": per_type.get(pk, 0)}
        for pk, name, active in RelationType.objects.filter(project=project)
        .order_by("id")
        .values_list("id", "name", "active")
    ]
    questions = _question_summary(layer, documents, annotator, project)
    return {
        "codebook": _codebook_summary(
            project, spans, _layer_relations(layer, documents, annotator), _layer_answers(layer, documents, annotator)
        ),  # fmt: skip
        "documents": documents.count(),
        "spans": sum(per_label.values()),
        "relations": sum(per_type.values()),
        "answers": sum(question["answers"] for question in questions),
        "labels": labels,
        "relation_types": relation_types,
        "questions": questions,
        "annotators": dict(sorted(per_annotator.items())),
    }


def _codebook_summary(project, spans, relations, answers):
    """Each version of the project's codebook, oldest first, with its lines and how many of the export's spans,
    relations and answers were made (or last changed) under it: four queries however many versions."""
    counts = {}
    for kind, rows in (("spans", spans), ("relations", relations), ("answers", answers)):
        per_version = rows.values_list("codebook_version").annotate(n=Count("id")).values_list("codebook_version", "n")
        for number, n in per_version:
            counts.setdefault(number, {})[kind] = n
    versions = (
        CodebookVersion.objects.filter(project=project)
        .order_by("number")
        .values_list("number", "created_at", "created_by__username", "changes")
    )
    return [
        {"version": number, "created_at": created_at, "created_by": username, "changes": changes,
         **{kind: counts.get(number, {}).get(kind, 0) for kind in ("spans", "relations", "answers")}}
        for number, created_at, username, changes in versions
    ]  # fmt: skip


def _codebook_card(versions):
    """The dataset card's codebook history: every version, its changes and the annotations made under it."""
    lines = ["", "## Codebook versions", "",
             "Each span, relation and answer records the codebook version it was made or last changed under"
             " (`codebook_version`).", "",
             "| version | date | by | changes | spans | relations | answers |",
             "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for row in versions:
        changes = "; ".join(row["changes"]) if row["changes"] else ("the first" if row["version"] == 1 else "—")
        lines.append(
            f"| {row['version']} | {row['created_at'].date().isoformat()} | {_cell(row['created_by'] or '—')} "
            f"| {_cell(changes)} | {row['spans']} | {row['relations']} | {row['answers']} |"
        )
    return lines


def _agreement_row(name, documents, figures):
    measures = ("span_f1_exact", "span_f1_overlap", "cohen_kappa", "krippendorff_alpha")
    cells = " | ".join("—" if figures[m] is None else f"{figures[m]:.3f}" for m in measures)
    return f"| {name} | {documents} | {cells} |"


def _cell(value):
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return " ".join(str(value).split()).replace("|", "\\|")


QUESTION_KINDS = {"single": "one option", "multi": "any options", "scale": "a scale"}


def _question_card(question):
    """The dataset card's section on one question: its kind, its answers, and how many chose each value."""
    inactive = "" if question["active"] else " (inactive)"
    lines = ["", f"## Question: {_cell(question['name'])}{inactive}", "",
             f"{QUESTION_KINDS[question['kind']]}; {question['answers']} answers"
             + (" (a multiple-choice answer counts under each option it chose)" if question["kind"] == "multi" else "")
             + ".", "", "| value | answers |", "| --- | --- |"]  # fmt: skip
    return lines + [f"| {_cell(row['value'])} | {row['answers']} |" for row in question["values"]]


def dataset_card(*, project, format, layer, annotator=None, when, agreement=None, offsets=None):
    """The README.md of a zipped export: what the file holds, its label scheme, counts and filters."""
    summary = export_summary(project=project, layer=layer, annotator=annotator)
    lines = [
        f"# {_cell(project.name)}: dataset card",
        "",
        _cell(project.description) if project.description else "",
        "",
        f"Exported from Slant on {when.isoformat(timespec='seconds')}.",
        "",
        "## What this export holds",
        "",
        f"- format: `{format}`",
        f"- layer: `{layer}`"
        + {
            "annotations": " (every annotator's spans)",
            "accepted": " (spans a reviewer accepted)",
            "gold": " (the curated gold layer)",
        }[layer],  # fmt: skip
        f"- annotator: `{annotator.username}`" if annotator is not None else "- annotator: all",
        *(
            [
                "- layout: one folder per annotator (`<username>/`), each with every document's `.txt` and that"
                " annotator's `.ann`"
            ]
            if format == "brat" and layer != "gold" and annotator is None
            else []
        ),
        *([f"- tables: {', '.join(f'`{name}`' for name in CSV_TABLES)} (one file each)"] if format == "csv" else []),
        f"- documents: {summary['documents']}",
        f"- spans: {summary['spans']}",
        f"- relations: {summary['relations']}",
        f"- answers: {summary['answers']}",
        "- offsets: "
        + (
            "UTF-16 code units, half-open, as doccano's annotation UI counts them (JavaScript's string indices)"
            if (offsets or formats.export_format(format).offsets[0]) == formats.UTF16
            else "Unicode code points, half-open (`text[start:end]` in Python)"
        ),
        "",
        "## Label scheme",
        "",
        "| label | key | spans | description |",
        "| --- | --- | --- | --- |",
    ]
    for label in summary["labels"]:
        name = _cell(label["name"]) + ("" if label["active"] else " (inactive)")
        lines.append(f"| {name} | {_cell(label['key'])} | {label['spans']} | {_cell(label['description'])} |")
    if format in TYPE_NAMED_FORMATS:
        label_names = [label["name"] for label in summary["labels"]]
        if format == "brat":
            # brat also names relation types, in the same namespace as the labels.
            names = brat.type_names(label_names, [kind["name"] for kind in summary["relation_types"]])
            renamed = brat.renamed_types(names)
        else:
            renamed = [(name, form, False) for name, form in UniqueNames(label_names).renamed()]
        if renamed:
            where = "brat types" if format == "brat" else "CoNLL tags (after `B-` and `I-`)"
            what = "labels and relation types" if any(is_type for *_, is_type in renamed) else "labels"
            lines += ["", "## Type names", "", f"These {what} appear under other names in the {where}: a type"
                      " takes ASCII letters, digits, `_` and `-` only, and a name that would collide gets a number.",
                      "", "| name | type |", "| --- | --- |"]  # fmt: skip
            lines += [f"| {_cell(name)}{' (relation type)' if is_type else ''} | `{kind}` |"
                      for name, kind, is_type in renamed]  # fmt: skip
    if summary["relation_types"]:
        lines += ["", "## Relation types", "", "| relation type | relations |", "| --- | --- |"]
        lines += [
            f"| {_cell(kind['name'])}{'' if kind['active'] else ' (inactive)'} | {kind['relations']} |"
            for kind in summary["relation_types"]
        ]
    for question in summary["questions"]:
        lines += _question_card(question)
    lines += _codebook_card(summary["codebook"])
    if summary["annotators"]:
        lines += ["", "## Spans per annotator", "", "| annotator | spans |", "| --- | --- |"]
        lines += [f"| {_cell(name)} | {n} |" for name, n in summary["annotators"].items()]
    lines += ["", "## Agreement", ""]
    if agreement and agreement["documents"]:
        lines += [
            f"Over the {agreement['documents']} documents that two or more annotators submitted (all annotators,"
            " whatever this export's filters):",
            "",
            "| label | documents | span F1 exact | span F1 overlap | Cohen's kappa | Krippendorff's alpha |",
            "| --- | --- | --- | --- | --- | --- |",
            _agreement_row("all labels", agreement["documents"], agreement["overall"]),
        ]
        lines += [_agreement_row(_cell(row["name"]), row["documents"], row) for row in agreement["labels"]]
    else:
        lines.append("No document has two annotators' submitted work yet.")
    if project.guidelines:
        lines += ["", "## Guidelines", "", project.guidelines]
    return "\n".join(lines) + "\n"


class Export(NamedTuple):
    filename: str
    content_type: str
    chunks: object  # an iterator of bytes


def export_annotator(*, project, username):
    """The user called `username` who is a member of `project` or has spans in it; InvalidInput otherwise."""
    user = (
        get_user_model()
        .objects.filter(username=username)
        .filter(
            Exists(Member.objects.filter(project=project, user=OuterRef("pk")))
            | Exists(Span.objects.filter(document__project=project, annotator=OuterRef("pk")))
            | Exists(Answer.objects.filter(document__project=project, annotator=OuterRef("pk")))
        )
        .first()
    )
    if user is None:
        raise InvalidInput({"annotator": [f"{username!r} has no spans and no role in this project."]})
    return user


def _check_table(fmt, table):
    if table == "spans" or (fmt.name == "csv" and table in CSV_TABLES):
        return
    if fmt.name != "csv":
        raise InvalidInput({"table": [f"Only the csv export has tables; leave table out for {fmt.name}."]})
    tables = ", ".join(f"table={name}" for name in CSV_TABLES)
    raise InvalidInput({"table": [f"Unknown table {table!r}; the csv export has {tables}."]})


def dataset_export(*, project, format, layer="annotations", annotator=None, as_zip=False, table="spans", offsets=None):
    """The export of `project` as `format` (UnknownFormat otherwise): its file name, content type and a lazy
    iterator of bytes, offsets counted in `offsets` (None: the format's own unit). InvalidInput for an unknown
    `annotator` (a username), an annotator with the gold layer, a one-layer format (CoNLL) asked for every
    annotator at once, a `table` csv does not have (or any for another format), or `offsets` the format does not
    count in. A csv zip holds every table."""
    fmt = formats.export_format(format)
    formats.offset_options(fmt, offsets)
    if layer not in LAYERS:
        raise InvalidInput({"layer": [f"Choose one of {', '.join(LAYERS)}."]})
    _check_table(fmt, table)
    user = export_annotator(project=project, username=annotator) if annotator else None
    if layer == "gold" and user is not None:
        raise InvalidInput({"annotator": ["The gold layer has no annotators; leave annotator out."]})
    if fmt.one_layer and layer != "gold" and user is None:
        raise InvalidInput({"format": [f"{fmt.title} holds one layer: give annotator= or layer=gold."]})
    readme = None
    if as_zip:
        figures = project_agreement(project=project)
        readme = dataset_card(
            project=project,
            format=fmt.name,
            layer=layer,
            annotator=user,
            when=timezone.now(),
            agreement=figures,
            offsets=offsets,
        )
    who = slugify(user.username) if user is not None else ""  # ASCII only: the name goes into a header
    basename = "-".join(part for part in (slugify(project.name) or f"project-{project.pk}", layer, who) if part)
    labels = list(Label.objects.filter(project=project).order_by("id").values("name", "color", "description"))
    relation_types = export_relation_types(project=project)
    questions = export_questions(project=project) if fmt.writes_questions else ()
    options = {}
    if fmt.name == "brat":
        options["annotators"] = _brat_folders(project=project, layer=layer, annotator=user)
    if as_zip and fmt.name == "csv":
        # A csv zip holds every table (SPEC), each read from the database in its turn as the archive is written.
        members = [("README.md", [readme.encode()])]
        members += [
            (formats.export_filename("csv", basename=basename if name == "spans" else f"{basename}-{name}"),
             formats.write("csv", export_records(project=project, layer=layer, annotator=user), table=name))
            for name in CSV_TABLES
        ]  # fmt: skip
        filename = formats.export_filename("csv", as_zip=True, basename=basename)
        return Export(filename, "application/zip", formats.zip_stream(members))
    if table != "spans":
        options["table"] = table
        basename = f"{basename}-{table}"
    chunks = formats.write(
        fmt.name,
        export_records(project=project, layer=layer, annotator=user),
        labels=labels,
        relation_types=relation_types,
        questions=questions,
        as_zip=as_zip,
        readme=readme,
        basename=basename,
        offsets=offsets,
        **options,
    )
    content_type = "application/zip" if as_zip or fmt.zipped else fmt.content_type
    return Export(formats.export_filename(fmt.name, as_zip=as_zip, basename=basename), content_type, chunks)

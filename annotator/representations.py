"""The JSON shapes of Slant's objects, one function per shape: what the API answers and what the pages embed for
their scripts are the same dicts, made here, but for the annotate page's spans and relations, which it embeds
lighter (the `_page_json` shapes: what the page never reads left out). The API's serializers validate input and
describe these shapes for the schema; they write them out through these functions."""

from annotator.rules import job_lost, worker_stopped
from annotator.selectors.relations import RELATION_ROW_FIELDS
from annotator.selectors.spans import SPAN_ROW_FIELDS


def iso(value):
    """ISO 8601 as DRF writes it (UTC as Z), without a serializer field per value."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def label_json(label):
    return {
        "id": label.pk,
        "name": label.name,
        "key": label.key,
        "color": label.color,
        "description": label.description,
        "active": label.active,
    }


def member_json(member):
    return {"id": member.pk, "username": member.user.username, "role": member.role}


def span_row(span):
    """A Span model as the row selectors.spans.span_list yields for it."""
    row = {name: getattr(span, name) for name in SPAN_ROW_FIELDS}
    row["annotator_name"] = span.annotator.username
    row["reviewer_name"] = span.reviewed_by.username if span.reviewed_by_id else None
    row["created_at_iso"] = iso(span.created_at)
    row["updated_at_iso"] = iso(span.updated_at)
    return row


def span_json(span, text):
    """A span (a span_list row, or a Span) of the document whose text is `text`; `text` of the span is its slice
    in code points. Plain dict building: a long article's span list is the hottest read of the annotate page."""
    row = span if isinstance(span, dict) else span_row(span)
    start, end = row["start"], row["end"]
    return {
        "id": row["id"],
        "document": row["document_id"],
        "label": row["label_id"],
        "start": start,
        "end": end,
        "text": text[start:end],
        "note": row["note"],
        "annotator": row["annotator_name"],
        "review_status": row["review_status"],
        "review_comment": row["review_comment"],
        "reviewer": row["reviewer_name"],
        "version": row["version"],
        "codebook_version": row["codebook_version"],
        "origin": row["origin"],
        "created_at": row["created_at_iso"],
        "updated_at": row["updated_at_iso"],
    }


def span_page_json(row):
    """A span_list row as the annotate page embeds it: span_json without the document, reviewer and times, which
    the page never reads, and without the text, which the page slices from the article it has; on a
    50,000-character article with 2,000 spans that is over a third of the page's bytes (bench/ui_bench.py). A span
    the page saves comes back from the API in span_json's shape, a superset."""
    return {
        "id": row["id"],
        "label": row["label_id"],
        "start": row["start"],
        "end": row["end"],
        "note": row["note"],
        "annotator": row["annotator_name"],
        "review_status": row["review_status"],
        "review_comment": row["review_comment"],
        "version": row["version"],
    }


def gold_json(gold, text):
    """A gold span of the document whose text is `text`."""
    return {
        "id": gold.pk,
        "document": gold.document_id,
        "label": gold.label_id,
        "start": gold.start,
        "end": gold.end,
        "text": text[gold.start : gold.end],
        "note": gold.note,
        "source_span": gold.source_span_id,
        "created_by": gold.created_by.username if gold.created_by_id else None,
        "version": gold.version,
        "codebook_version": gold.codebook_version,
        "created_at": iso(gold.created_at),
        "updated_at": iso(gold.updated_at),
    }


def relation_type_ends(relation_type):
    """{"from": [label ids], "to": [label ids]} a relation type allows at its ends (empty: any label): its `ends`
    where a service set them, else its `end_labels` rows (prefetched by selectors.relations.relation_type_list)."""
    ends = getattr(relation_type, "ends", None)
    if ends is None:
        ends = {"from": [], "to": []}
        for row in relation_type.end_labels.all():
            ends[row.end].append(row.label_id)
    return ends


def relation_type_json(relation_type):
    """A relation type, with the labels of its ends (relation_type_ends)."""
    ends = relation_type_ends(relation_type)
    return {
        "id": relation_type.pk,
        "name": relation_type.name,
        "key": relation_type.key,
        "color": relation_type.color,
        "description": relation_type.description,
        "active": relation_type.active,
        "from_labels": ends["from"],
        "to_labels": ends["to"],
    }


def relation_row(relation):
    """A Relation model as the row selectors.relations.relation_list yields for it."""
    row = {name: getattr(relation, name) for name in RELATION_ROW_FIELDS}
    row["annotator_name"] = relation.annotator.username
    row["reviewer_name"] = relation.reviewed_by.username if relation.reviewed_by_id else None
    row["created_at_iso"] = iso(relation.created_at)
    row["updated_at_iso"] = iso(relation.updated_at)
    return row


def relation_json(relation):
    """A relation (a relation_list row, or a Relation), as SPEC's Relations section shows it, with the review's
    comment and reviewer as a span has them."""
    row = relation if isinstance(relation, dict) else relation_row(relation)
    return {
        "id": row["id"],
        "document": row["document_id"],
        "type": row["type_id"],
        "from_span": row["from_span_id"],
        "to_span": row["to_span_id"],
        "note": row["note"],
        "annotator": row["annotator_name"],
        "review_status": row["review_status"],
        "review_comment": row["review_comment"],
        "reviewer": row["reviewer_name"],
        "version": row["version"],
        "codebook_version": row["codebook_version"],
        "created_at": row["created_at_iso"],
        "updated_at": row["updated_at_iso"],
    }


def relation_page_json(row):
    """A relation_list row as the annotate page embeds it: what its arcs, editor and saves read (relation_json less
    the document, review comment, reviewer and times), under half the bytes of 1,000 relations (bench/ui_bench.py).
    A relation the page saves comes back from the API in relation_json's shape, a superset."""
    return {
        "id": row["id"],
        "type": row["type_id"],
        "from_span": row["from_span_id"],
        "to_span": row["to_span_id"],
        "note": row["note"],
        "annotator": row["annotator_name"],
        "review_status": row["review_status"],
        "version": row["version"],
    }


def gold_relation_json(gold):
    """A gold relation: between two gold spans of its document."""
    return {
        "id": gold.pk,
        "document": gold.document_id,
        "type": gold.type_id,
        "from_span": gold.from_span_id,
        "to_span": gold.to_span_id,
        "note": gold.note,
        "source_relation": gold.source_relation_id,
        "created_by": gold.created_by.username if gold.created_by_id else None,
        "version": gold.version,
        "codebook_version": gold.codebook_version,
        "created_at": iso(gold.created_at),
        "updated_at": iso(gold.updated_at),
    }


def question_json(question):
    """A question, as SPEC's Questions section shows it."""
    return {
        "id": question.pk,
        "name": question.name,
        "kind": question.kind,
        "options": question.options,
        "min": question.min,
        "max": question.max,
        "required": question.required,
        "description": question.description,
        "key": question.key,
        "active": question.active,
    }


def answer_json(answer):
    """An answer, as SPEC's Questions section shows it, with the review's comment and reviewer as a span has
    them."""
    return {
        "id": answer.pk,
        "document": answer.document_id,
        "question": answer.question_id,
        "value": answer.value,
        "annotator": answer.annotator.username,
        "review_status": answer.review_status,
        "review_comment": answer.review_comment,
        "reviewer": answer.reviewed_by.username if answer.reviewed_by_id else None,
        "version": answer.version,
        "codebook_version": answer.codebook_version,
        "created_at": iso(answer.created_at),
        "updated_at": iso(answer.updated_at),
    }


def gold_answer_json(gold):
    """A gold answer: the curated answer to one question about its document."""
    return {
        "id": gold.pk,
        "document": gold.document_id,
        "question": gold.question_id,
        "value": gold.value,
        "source_answer": gold.source_answer_id,
        "created_by": gold.created_by.username if gold.created_by_id else None,
        "version": gold.version,
        "codebook_version": gold.codebook_version,
        "created_at": iso(gold.created_at),
        "updated_at": iso(gold.updated_at),
    }


def suggestion_page_json(suggestion):
    """An open suggestion as the annotate page embeds it: suggestion_json without the document, the decision (the
    page embeds only the caller's open ones), the time and the text, which the page slices from the article."""
    return {
        "id": suggestion.pk,
        "label": suggestion.label_id,
        "start": suggestion.start,
        "end": suggestion.end,
        "score": suggestion.score,
        "source": suggestion.source,
    }


def suggestion_json(suggestion, text):
    """A suggestion of the document whose text is `text`, as SPEC's Suggestions section shows it; `decision` is the
    caller's own (the `decision` the selector or service set on it; None: undecided)."""
    return {
        "id": suggestion.pk,
        "document": suggestion.document_id,
        "label": suggestion.label_id,
        "start": suggestion.start,
        "end": suggestion.end,
        "text": text[suggestion.start : suggestion.end],
        "score": suggestion.score,
        "source": suggestion.source,
        "decision": getattr(suggestion, "decision", None),
        "created_at": iso(suggestion.created_at),
    }


def recommender_json(recommender):
    """A recommender as the API shows it to the project's owners, its config as stored (cleaned, defaults filled)."""
    return {
        "id": recommender.pk,
        "name": recommender.name,
        "kind": recommender.kind,
        "config": recommender.config,
        "active": recommender.active,
        "created_at": iso(recommender.created_at),
    }


def job_json(job, *, now):
    """A job as SPEC's Jobs section shows it, `created_by` by username. A running job whose worker stopped (its lease
    ran out before `now`) is shown as it will be stored once anyone next runs a recommender: failed, finished when
    its lease ran out, with an error saying so."""
    status, errors, finished_at = job.status, job.errors, job.finished_at
    if job_lost(status=status, lease_until=job.lease_until, now=now):
        status, finished_at = "failed", job.lease_until
        errors = [*errors, {"documents": [], "message": worker_stopped(job.kind)}]
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": status,
        "total": job.total,
        "done": job.done,
        "errors": errors,
        "created_by": job.created_by.username if job.created_by_id else None,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(finished_at),
        "result": job.result,
    }

"""Imports of predictions (layer=suggestions): a file's spans become suggestions on the project's documents that
the file's records name, all or nothing, each suggestion stored once however often imported."""

import functools

from django.db import connection, transaction
from django.utils import timezone

from annotator import formats
from annotator.formats import FormatError, Problem
from annotator.models import AuditEvent, Document, Label, Suggestion
from annotator.rules import label_problems
from annotator.services.audit import audit_record, snapshot
from annotator.services.imports import Columns, feed, problem_order
from annotator.services.imports import insert as insert_rows
from annotator.text import text_hash

# A prediction whose file names no source (a JSON Lines span without `source`, a Label Studio prediction without
# `model_version`) and whose import names none either.
DEFAULT_SOURCE = "import"
# Records matched and written at a time: one batch of records and suggestions in memory, not the whole file's.
BATCH_DOCUMENTS = 1000


def suggestion_import_file(*, member, data, format, filename="", source=None, offsets=None):
    """Read `data` (bytes) as `format` with its spans as predictions and store them as suggestions:
    UnknownFormat, InvalidInput (`format` without predictions, `offsets`) or FormatError (every problem, nothing
    stored), else the counts suggestion_import returns. `source`: the source of a prediction whose file names none
    (default DEFAULT_SOURCE)."""
    records = formats.predictions(format, data, filename=filename, offsets=offsets)
    return suggestion_import(member=member, records=records, source=source or DEFAULT_SOURCE, source_name=filename)


@transaction.atomic
def suggestion_import(*, member, records, source=DEFAULT_SOURCE, source_name=""):
    """Store the predicted spans of `records` (plain dicts from formats.predictions) as suggestions: all or nothing.

    A record names the project's document by external_id, or without one by its text (the oldest document with
    that text); a record whose document the project lacks is passed over and counted as unmatched, never created.
    FormatError lists every problem with its line: a label the project lacks or has deactivated, a document whose
    text is not the one the record gives (the offsets would land elsewhere), and the codec's (offsets outside the
    text, a score outside [0, 1], a source not 1-100 characters). A suggestion equal to a stored one (document,
    label, start, end, source), or to one earlier in the file, is counted as skipped. Each suggestion stored is
    audited as one the API stores; the import as a whole too. Returns {"documents": {"matched", "unmatched"},
    "suggestions": {"stored", "skipped"}}.
    """
    run = _SuggestionImport(member, source)
    feed(run, records)
    if run.problems:
        raise FormatError(sorted(run.problems, key=problem_order))
    counts = {
        "documents": {"matched": run.matched, "unmatched": run.unmatched},
        "suggestions": {"stored": run.stored, "skipped": run.skipped},
    }
    audit_record(
        actor=member.user,
        action="project.import",
        obj=member.project,
        project_id=member.project_id,
        after={"file": source_name, "layer": "suggestions", **counts},
    )
    return counts


class _SuggestionImport:
    """One import's state: the project's labels, the records waiting to be matched and written, the problems."""

    def __init__(self, member, source):
        self.member = member
        self.project_id = member.project_id
        self.source = source
        self.labels = {label.name: label for label in Label.objects.filter(project_id=self.project_id)}
        self.checked = set()  # label names checked already
        self.pending = []
        self.problems = []
        self.matched = self.unmatched = self.stored = self.skipped = 0
        # Written past the ORM as the document import writes spans: bulk_create and an AuditEvent object per
        # suggestion took 2.6 s of 3.6 for 4,000 suggestions (bench/suggestion_import_bench.py --quick).
        self.now = now = timezone.now()
        self.suggestions = Columns(Suggestion, ("document_id", "label_id", "start", "end", "score", "source"), now=now)
        self.events = Columns(
            AuditEvent,
            ("project_id", "actor_id", "actor_username", "action", "object_type", "object_id", "after"),
            now=now,
        )
        self.adapt_json = functools.partial(connection.ops.adapt_json_value, encoder=None)
        self.column_types = {}

    def add(self, record):
        for span in record["spans"]:
            name = span["label"]
            if name not in self.checked:
                self.checked.add(name)
                for _, message in label_problems(self.labels.get(name), named=repr(name)):
                    self.problems.append(Problem(record["line"], message))
        if self.problems:
            self.pending.clear()  # nothing more is written; reading goes on to find every problem
            return
        self.pending.append(record)
        if len(self.pending) >= BATCH_DOCUMENTS:
            self.flush()

    def _documents(self, records):
        """(record, document id or None) for each record: its document by external_id, else by text; a Problem for
        a document whose text is not the record's."""
        named = {record["external_id"] for record in records if record["external_id"]}
        by_id = {
            external_id: (pk, digest)
            for external_id, pk, digest in Document.objects.filter(
                project_id=self.project_id, external_id__in=named
            ).values_list("external_id", "pk", "text_hash")
        }
        for record in records:
            record["text_hash"] = text_hash(record["text"])
        hashes = {record["text_hash"] for record in records if not record["external_id"]}
        by_text = {}
        for digest, pk in (
            Document.objects.filter(project_id=self.project_id, text_hash__in=hashes)
            .order_by("pk")
            .values_list("text_hash", "pk")
        ):
            by_text.setdefault(digest, pk)
        matches = []
        for record in records:
            if not record["external_id"]:
                matches.append((record, by_text.get(record["text_hash"])))
                continue
            pk, digest = by_id.get(record["external_id"], (None, None))
            if pk is not None and digest != record["text_hash"]:
                self.problems.append(
                    Problem(
                        record["line"],
                        f"external_id {record['external_id']!r}: the text differs from that of the project's document"
                        f" {pk}, so the offsets would land elsewhere",
                    )
                )
            matches.append((record, pk))
        return matches

    def flush(self):
        """Match the pending records to documents and write their suggestions (unless there were problems)."""
        records, self.pending = self.pending, []
        if self.problems or not records:
            return
        matches = self._documents(records)
        if self.problems:
            return
        found = {pk for _, pk in matches if pk is not None}
        sources = {span["source"] or self.source for record, _ in matches for span in record["spans"]}
        stored = set(
            Suggestion.objects.filter(document_id__in=found, source__in=sources).values_list(
                "document_id", "label_id", "start", "end", "source"
            )
        )
        new, tail = [], self.suggestions.tail
        for record, pk in matches:
            if pk is None:
                self.unmatched += 1
                continue
            self.matched += 1
            for span in record["spans"]:
                key = (pk, self.labels[span["label"]].pk, span["start"], span["end"], span["source"] or self.source)
                if key in stored:
                    self.skipped += 1
                    continue
                stored.add(key)
                document_id, label_id, start, end, source = key
                new.append((document_id, label_id, start, end, span["score"], source, *tail))
        ids = insert_rows(self.suggestions, new, returning_ids=True, column_types=self.column_types)
        self._audit(new, ids)
        self.stored += len(ids)

    def _audit(self, rows, ids):
        """One suggestion.create event for each suggestion written (`rows`, stored as `ids`), as the API writes:
        the suggestion's snapshot as it is after."""
        actor, tail, adapt_json = self.member.user, self.events.tail, self.adapt_json
        kind = Suggestion._meta.model_name
        events = []
        for pk, (document_id, label_id, start, end, score, source, *_) in zip(ids, rows, strict=True):
            after = snapshot(Suggestion(pk=pk, document_id=document_id, label_id=label_id, start=start, end=end,
                                        score=score, source=source, created_at=self.now))  # fmt: skip
            events.append((self.project_id, actor.pk, actor.username, "suggestion.create", kind, pk,
                           adapt_json(after), *tail))  # fmt: skip
        insert_rows(self.events, events, column_types=self.column_types)

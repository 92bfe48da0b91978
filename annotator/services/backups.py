"""Backups: one project, every row of it, written as a versioned archive and restored from one.

The archive (version 6) is gzip'd UTF-8 JSON Lines. Line 1 is the manifest,
    {"format": "slant-backup", "version": 6, "created_at": "…", "source": {"project": 3, "database": "sqlite"}};
then one record a line, {"kind": K, …}, the kinds in the order of ORDER (user, project, label, member, document,
assignment, span, gold, relation_type, relation_type_label, relation, gold_relation, question, answer, gold_answer,
suggestion, suggestion_decision, recommender, codebook_version, audit); last {"kind": "end", "counts": {K: n}}.
Version 5, read too, is version 6 without a member's `guidelines_read_version` (restored as null: never
read). Version 4 is version 5 without recommenders, codebook versions and the `codebook_version` of projects and
annotations (restored as 1, and the restored codebook becomes its version 1); version 3 is version 4 without the
suggestion kinds and a span's `origin` (restored as null), version 2 without the question kinds too, version 1
without the relation kinds too. A recommender's config names labels by their source ids, mapped on restoring like a
foreign key. A codebook version's snapshot names labels, relation types and questions by their new ids; one deleted
before the backup, by its source id negated (so that it matches no restored row). Jobs are not archived: they are
work done, and its results (the suggestions) are. A record keeps its row's source `id`; a foreign key to a user is
that user's username, one to another archived row that row's source id. Times are ISO 8601. The users are those the
project's rows name: its creator, members, assignees, annotators (of spans, relations and answers), reviewers, gold
curators, deciders of suggestions, makers of codebook versions and audit actors who still exist.
"""

import datetime
import gzip
import json
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from annotator.errors import InvalidInput
from annotator.models import (
    Answer,
    Assignment,
    AuditEvent,
    CodebookVersion,
    Document,
    DocumentFigures,
    FiguresBlock,
    GoldAnswer,
    GoldRelation,
    GoldSpan,
    ImportChunk,
    ImportUpload,
    Job,
    Label,
    Member,
    Project,
    ProjectFigures,
    Question,
    Recommender,
    Relation,
    RelationType,
    RelationTypeLabel,
    Span,
    Suggestion,
    SuggestionDecision,
)
from annotator.services.audit import audit_event, audit_record, snapshot
from annotator.services.codebook import codebook_first
from annotator.text import text_hash

FORMAT = "slant-backup"
VERSION = 6
READS = {1, 2, 3, 4, 5, 6}  # the versions this code restores
CHUNK = 64 * 1024
PAGE = 2000
USER_FIELDS = ("username", "email", "first_name", "last_name", "is_active")


class InvalidArchive(InvalidInput):
    """A file that is not a Slant backup of a version this code reads, or whose rows do not hold together."""


def _nothing(_values):
    return None


@dataclass(frozen=True)
class Kind:
    """How one model is archived: its foreign keys to users (`users`) as usernames, those to rows archived before
    (`refs`, field name → kind) as those rows' source ids, `in_project`: the row has a `project`; the columns
    computed from others (`derived`, field name → a function of the row's other values) not at all, but again on
    restoring; every other column (`fields`, from the model: a new field is archived with nothing to add) as it is,
    under its name or, for a name a record already uses itself (a question's `kind`), under `renamed[name]`; a
    field added since the first version of the kind (`added`, field name → the archive version that brought it) is
    restored as null from an older archive."""

    model: type
    users: tuple = ()
    refs: dict = field(default_factory=dict)
    in_project: bool = False
    page: int = PAGE
    derived: dict = field(default_factory=dict)
    renamed: dict = field(default_factory=dict)
    added: dict = field(default_factory=dict)

    def key(self, name):
        """The record's key for the model field `name`."""
        return self.renamed.get(name, name)

    @cached_property
    def fields(self):
        links = {*self.users, *self.refs, *self.derived}
        if self.in_project:
            links.add("project")
        return tuple(f.name for f in self.model._meta.concrete_fields if not f.primary_key and f.name not in links)


KINDS = {
    # The figures cache's bookkeeping (services.figures) is not carried over: a restored project starts without
    # cached figures, as a new one does.
    "project": Kind(
        Project,
        users=("created_by",),
        added={"codebook_version": 5},
        derived=dict.fromkeys(("figures_changed_at", "figures_scan_started_at", "figures_refresh_until"), _nothing),
    ),
    "label": Kind(Label, in_project=True),
    "member": Kind(Member, users=("user",), in_project=True, added={"guidelines_read_version": 6}),
    # Texts are long. Their hashes are left out: archives of version 1 made before the field existed restore too.
    "document": Kind(
        Document, in_project=True, page=200, derived={"text_hash": lambda values: text_hash(values["text"])}
    ),
    "assignment": Kind(Assignment, users=("user",), refs={"document": "document"}),
    "span": Kind(
        Span,
        users=("annotator", "reviewed_by"),
        refs={"document": "document", "label": "label"},
        added={"origin": 4, "codebook_version": 5},
    ),
    "gold": Kind(
        GoldSpan,
        users=("created_by",),
        refs={"document": "document", "label": "label", "source_span": "span"},
        added={"codebook_version": 5},
    ),
    "relation_type": Kind(RelationType, in_project=True),
    "relation_type_label": Kind(RelationTypeLabel, refs={"type": "relation_type", "label": "label"}),
    "relation": Kind(
        Relation,
        users=("annotator", "reviewed_by"),
        refs={"document": "document", "type": "relation_type", "from_span": "span", "to_span": "span"},
        added={"codebook_version": 5},
    ),
    "gold_relation": Kind(
        GoldRelation,
        users=("created_by",),
        refs={
            "document": "document",
            "type": "relation_type",
            "from_span": "gold",
            "to_span": "gold",
            "source_relation": "relation",
        },
        added={"codebook_version": 5},
    ),
    "question": Kind(Question, in_project=True, renamed={"kind": "question_kind"}),
    "answer": Kind(
        Answer,
        users=("annotator", "reviewed_by"),
        refs={"document": "document", "question": "question"},
        added={"codebook_version": 5},
    ),
    "gold_answer": Kind(
        GoldAnswer,
        users=("created_by",),
        refs={"document": "document", "question": "question", "source_answer": "answer"},
        added={"codebook_version": 5},
    ),
    "suggestion": Kind(Suggestion, refs={"document": "document", "label": "label"}),
    "suggestion_decision": Kind(SuggestionDecision, users=("user",), refs={"suggestion": "suggestion", "span": "span"}),
    "recommender": Kind(Recommender, in_project=True, renamed={"kind": "recommender_kind"}),
    "codebook_version": Kind(CodebookVersion, users=("created_by",), in_project=True),
    "audit": Kind(AuditEvent, users=("actor",), in_project=True),
}
# Not archived: a job is work done (its results, the suggestions, are), and its queue row lives in django_tasks_db.
# Jobs are a run's record; the figures are a cache the refresh job recomputes from what is archived; an import job's
# file waits only until its job ends (and the job is not archived).
NOT_ARCHIVED = {Job, DocumentFigures, FiguresBlock, ProjectFigures, ImportUpload, ImportChunk}
ORDER = ("user", *KINDS)
SINCE_VERSION_2 = {"relation_type", "relation_type_label", "relation", "gold_relation"}
SINCE_VERSION_3 = {"question", "answer", "gold_answer"}
SINCE_VERSION_4 = {"suggestion", "suggestion_decision"}
SINCE_VERSION_5 = {"recommender", "codebook_version"}
# An audit event's object_id names a row by its id (object_type: the model's name; the kind, where they differ, in
# KIND_OF): the restored row's new id, or None for a row gone since.
KIND_OF = {
    "goldspan": "gold",
    "relationtype": "relation_type",
    "goldrelation": "gold_relation",
    "goldanswer": "gold_answer",
    "suggestiondecision": "suggestion_decision",
    "codebookversion": "codebook_version",
}
AUDIT_OBJECTS = {
    "project",
    "label",
    "member",
    "document",
    "assignment",
    "span",
    "goldspan",
    "relationtype",
    "relation",
    "goldrelation",
    "question",
    "answer",
    "goldanswer",
    "suggestion",
    "suggestiondecision",
    "recommender",
    "codebookversion",
}


def _kind_of(object_type):
    return KIND_OF.get(object_type, object_type)


# Writing ---------------------------------------------------------------------------------------------------------


def project_backup(*, project):
    """Yield the archive of `project` as gzip'd chunks of bytes. Rows are read a page at a time (memory stays
    flat however large the project), all from one snapshot, so the archive holds together while others write."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: a gzip header and trailer
    parts, size = [], 0
    with _snapshot():
        for record in _records(project):
            data = compressor.compress(_line(record))
            if data:
                parts.append(data)
                size += len(data)
            if size >= CHUNK:
                yield b"".join(parts)
                parts, size = [], 0
    parts.append(compressor.flush())
    yield b"".join(parts)


@contextmanager
def _snapshot():
    """Read everything in one transaction that sees one state of the database and blocks no writer."""
    if connection.in_atomic_block:  # the caller's transaction decides
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django's transactions here begin IMMEDIATE and take the write lock; a deferred one only reads, and in
        # WAL mode it keeps the snapshot of its first read while writers go on.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            yield


def _line(record):
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_plain) + "\n").encode()


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _records(project):
    yield {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now(),
        "source": {"project": project.pk, "database": connection.vendor},
    }
    counts = dict.fromkeys(ORDER, 0)
    for row in _pages(_users(project), ("id", *USER_FIELDS), PAGE):
        counts["user"] += 1
        yield {"kind": "user", **{name: row[name] for name in USER_FIELDS}}
    for kind, queryset in _querysets(project).items():
        spec = KINDS[kind]
        users = {f"{name}__username": name for name in spec.users}
        refs = {f"{name}_id": name for name in spec.refs}
        for row in _pages(queryset, ("id", *spec.fields, *users, *refs), spec.page):
            counts[kind] += 1
            record = {"kind": kind, "id": row["id"], **{spec.key(name): row[name] for name in spec.fields}}
            record.update({name: row[column] for column, name in (users | refs).items()})
            yield record
    yield {"kind": "end", "counts": counts}


def _querysets(project):
    return {
        "project": Project.objects.filter(pk=project.pk),
        "label": Label.objects.filter(project=project),
        "member": Member.objects.filter(project=project),
        "document": Document.objects.filter(project=project),
        "assignment": Assignment.objects.filter(document__project=project),
        "span": Span.objects.filter(document__project=project),
        "gold": GoldSpan.objects.filter(document__project=project),
        "relation_type": RelationType.objects.filter(project=project),
        "relation_type_label": RelationTypeLabel.objects.filter(type__project=project),
        "relation": Relation.objects.filter(document__project=project),
        "gold_relation": GoldRelation.objects.filter(document__project=project),
        "question": Question.objects.filter(project=project),
        "answer": Answer.objects.filter(document__project=project),
        "gold_answer": GoldAnswer.objects.filter(document__project=project),
        "suggestion": Suggestion.objects.filter(document__project=project),
        "suggestion_decision": SuggestionDecision.objects.filter(suggestion__document__project=project),
        "recommender": Recommender.objects.filter(project=project),
        "codebook_version": CodebookVersion.objects.filter(project=project),
        "audit": AuditEvent.objects.filter(project=project),
    }


def _users(project):
    """Every user a row of `project` names (audit actors deleted since are named by actor_username only)."""
    rows = _querysets(project)
    return get_user_model().objects.filter(
        Q(pk=project.created_by_id)
        | Q(pk__in=rows["member"].values("user_id"))
        | Q(pk__in=rows["assignment"].values("user_id"))
        | Q(pk__in=rows["span"].values("annotator_id"))
        | Q(pk__in=rows["span"].filter(reviewed_by__isnull=False).values("reviewed_by_id"))
        | Q(pk__in=rows["gold"].filter(created_by__isnull=False).values("created_by_id"))
        | Q(pk__in=rows["relation"].values("annotator_id"))
        | Q(pk__in=rows["relation"].filter(reviewed_by__isnull=False).values("reviewed_by_id"))
        | Q(pk__in=rows["gold_relation"].filter(created_by__isnull=False).values("created_by_id"))
        | Q(pk__in=rows["answer"].values("annotator_id"))
        | Q(pk__in=rows["answer"].filter(reviewed_by__isnull=False).values("reviewed_by_id"))
        | Q(pk__in=rows["gold_answer"].filter(created_by__isnull=False).values("created_by_id"))
        | Q(pk__in=rows["suggestion_decision"].values("user_id"))
        | Q(pk__in=rows["codebook_version"].filter(created_by__isnull=False).values("created_by_id"))
        | Q(pk__in=rows["audit"].filter(actor__isnull=False).values("actor_id"))
    )


def _pages(queryset, names, size):
    """The rows of `queryset` as dicts of `names`, in id order, fetched `size` at a time by keyset."""
    last = None
    while True:
        page = queryset.order_by("id") if last is None else queryset.filter(id__gt=last).order_by("id")
        rows = list(page.values(*names)[:size])
        yield from rows
        if len(rows) < size:
            return
        last = rows[-1]["id"]


# Restoring -------------------------------------------------------------------------------------------------------


@dataclass
class Restored:
    """What project_restore stored: the new project, the rows of each kind, the usernames created and linked."""

    project: Project
    counts: dict
    users_created: list
    users_linked: list


def project_restore(*, stream, name=None, source_name=""):
    """Restore the archive read from `stream` (a binary file) as a new project called `name` (default: its name
    in the archive), all in one transaction. Users are linked by username; a missing one is created with no
    usable password. InvalidArchive, with nothing stored, for a file that is not a Slant backup this version
    reads, a record that lacks a field or names a row the archive lacks, a truncated archive, or a taken name."""
    lines = _read_lines(stream)
    with transaction.atomic():
        try:
            manifest = _check_manifest(next(lines, None))
            restore = _Restore(name=name, version=manifest["version"])
            for number, record in lines:
                restore.add(number, record)
            restore.finish()
        except InvalidArchive as refused:
            raise _damage(lines) or refused from None
        project = restore.project
        if not restore.counts["codebook_version"]:  # an archive from before codebook versions
            codebook_first(user=None, project=project).save(force_insert=True)
        audit_record(
            actor=None,
            action="project.restore",
            obj=project,
            project_id=project.pk,
            after={
                "archive": source_name,
                "backed_up_at": manifest.get("created_at"),
                "source_project": (manifest.get("source") or {}).get("project"),
                "counts": restore.counts,
                "users_created": restore.users_created,
            },
        )
    return Restored(project, restore.counts, restore.users_created, restore.users_linked)


def _damage(lines):
    """The InvalidArchive that reading the rest of `lines` ends in, if any. gzip checks its CRC only at the end, so
    a damaged byte can first decode to a record that is merely wrong ("lacks a field"); the damage is the cause to
    name (a test flipping one byte of an archive failed now and then on the record's error instead)."""
    try:
        for _ in lines:
            pass
    except InvalidArchive as damage:
        return damage
    return None


def _read_lines(stream):
    """(line number, JSON object) for each line of the gzip'd `stream`; InvalidArchive for anything else."""
    number = 0
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as archive:
            for number, raw in enumerate(archive, 1):
                try:
                    record = json.loads(raw)
                except ValueError as error:
                    # A backup writes only JSON lines: a line that is not is damage (or not a backup at all).
                    raise InvalidArchive(f"The archive is damaged: line {number} is not JSON ({error}).") from None
                if not isinstance(record, dict):
                    raise InvalidArchive(f"The archive is damaged: line {number} is not a JSON object.")
                yield number, record
    except gzip.BadGzipFile as error:
        if number == 0:
            raise InvalidArchive(f"This file is not a Slant backup: it is not gzip-compressed ({error}).") from None
        raise InvalidArchive(f"The archive is damaged after line {number} ({error}).") from None
    except EOFError:
        # A damaged byte in the last compressed block can end the data early too: the two look the same.
        raise InvalidArchive(
            f"The archive is truncated or damaged: its compressed data stops after line {number}."
        ) from None
    except (OSError, zlib.error) as error:
        raise InvalidArchive(f"The archive is damaged after line {number} ({error}).") from None


def _check_manifest(first):
    if first is None:
        raise InvalidArchive("The archive is empty.")
    _, manifest = first
    if manifest.get("format") != FORMAT:
        raise InvalidArchive(f"This file is not a Slant backup: its first line is not a {FORMAT!r} manifest.")
    version = manifest.get("version")
    if type(version) is not int or version not in READS:
        raise InvalidArchive(
            f"This archive is version {version!r} of the Slant backup format; this Slant reads versions "
            f"{', '.join(map(str, sorted(READS)))}."
        )
    return manifest


class _Restore:
    """Takes the archive's records in order and stores them a page at a time, mapping source ids to new ones."""

    def __init__(self, *, name, version=VERSION):
        self.name = name
        self.version = version
        self.ids = {kind: {} for kind in ORDER}  # source id (a user: username) -> new id
        self.counts = dict.fromkeys(ORDER, 0)
        self.position = -1  # in ORDER, of the kind being read
        self.batch = []
        self.project = None
        self.end = None
        self.users_created, self.users_linked = [], []

    def add(self, number, record):
        if self.end is not None:
            raise InvalidArchive(f"Line {number} comes after the end record.")
        kind = record.get("kind")
        if kind == "end":
            self.flush()
            self.end = (number, record)
            return
        if kind not in ORDER:
            raise InvalidArchive(f"Line {number}: unknown record kind {kind!r}.")
        position = ORDER.index(kind)
        if position < self.position:
            raise InvalidArchive(f"Line {number}: a {kind} record after the {ORDER[self.position]} records.")
        if position > self.position:
            self.flush()
            self.position = position
        spec = KINDS.get(kind)
        fields = [name for name in spec.fields if spec.added.get(name, 0) <= self.version] if spec else []
        required = USER_FIELDS if kind == "user" else ("id", *map(spec.key, fields), *spec.users, *spec.refs)
        missing = [key for key in required if key not in record]
        if missing:
            raise InvalidArchive(f"Line {number}: the {kind} record lacks {', '.join(missing)}.")
        if kind != "user" and type(record["id"]) is not int:
            raise InvalidArchive(f"Line {number}: the {kind}'s id {record['id']!r} is not an integer.")
        if kind == "project" and self.counts["project"]:
            raise InvalidArchive(f"Line {number}: a second project; an archive holds one.")
        self.counts[kind] += 1
        self.batch.append((number, record))
        if len(self.batch) >= (PAGE if kind == "user" else KINDS[kind].page):
            self.flush()

    def finish(self):
        if self.end is None:
            raise InvalidArchive("The archive stops before its end record: it is truncated.")
        if self.project is None:
            raise InvalidArchive("The archive holds no project.")
        number, record = self.end
        expected = record.get("counts")
        if isinstance(expected, dict) and self.version < 2:
            expected = {**dict.fromkeys(SINCE_VERSION_2, 0), **expected}  # version 1 had no relations
        if isinstance(expected, dict) and self.version < 3:
            expected = {**dict.fromkeys(SINCE_VERSION_3, 0), **expected}  # nor versions 1 and 2 questions
        if isinstance(expected, dict) and self.version < 4:
            expected = {**dict.fromkeys(SINCE_VERSION_4, 0), **expected}  # nor versions 1 to 3 suggestions
        if isinstance(expected, dict) and self.version < 5:
            expected = {**dict.fromkeys(SINCE_VERSION_5, 0), **expected}  # nor versions 1 to 4 their kinds
        if not isinstance(expected, dict) or {kind: expected.get(kind) for kind in ORDER} != self.counts:
            raise InvalidArchive(
                f"Line {number}: the end record counts {expected!r}, but the archive holds {self.counts}; "
                "records are missing."
            )

    def flush(self):
        if not self.batch:
            return
        kind = ORDER[self.position]
        batch, self.batch = self.batch, []
        if kind == "user":
            self._store_users(batch)
        else:
            self._store_rows(kind, batch)

    def _store_users(self, batch):
        User = get_user_model()
        names = [record["username"] for _, record in batch]
        existing = dict(
            User.objects.filter(username__in=[n for n in names if isinstance(n, str)]).values_list("username", "id")
        )
        new, seen = [], set()
        for number, record in batch:
            values = {name: _value(User, name, record[name], number, "user") for name in USER_FIELDS}
            username = values["username"]
            if not username:
                raise InvalidArchive(f"Line {number}: a user with an empty username.")
            if username in self.ids["user"] or username in seen:
                raise InvalidArchive(f"Line {number}: the user {username!r} is in the archive twice.")
            seen.add(username)
            if username in existing:
                self.ids["user"][username] = existing[username]
                self.users_linked.append(username)
                continue
            user = User(**values)
            user.set_unusable_password()
            new.append(user)
        self._insert(User, new, batch, "user")
        AuditEvent.objects.bulk_create(
            audit_event(
                actor=None,
                action="user.create",
                obj=user,
                project_id=None,
                after={k: v for k, v in snapshot(user).items() if k != "password"},
            )
            for user in new
        )
        for user in new:
            self.ids["user"][user.username] = user.pk
            self.users_created.append(user.username)

    def _store_rows(self, kind, batch):
        if self.project is None and kind != "project":
            raise InvalidArchive(f"Line {batch[0][0]}: {kind} records before the project record.")
        model = KINDS[kind].model
        stamps = _auto_times(model)
        objs, times, seen = [], [], set()
        for number, record in batch:
            if kind != "audit" and (record["id"] in self.ids[kind] or record["id"] in seen):
                raise InvalidArchive(f"Line {number}: a second {kind} with id {record['id']}.")
            seen.add(record["id"])
            values = self._values(kind, number, record)
            objs.append(model(**values))
            times.append({name: values[name] for name in stamps})
        self._insert(model, objs, batch, kind)
        try:
            _restamp(model, [obj.pk for obj in objs], times)
        except DatabaseError as error:
            raise self._broken(batch, kind, error) from None
        if kind == "project":
            self.project = objs[0]
            self.project.refresh_from_db()
        if kind != "audit":  # nothing points at an audit event
            for obj, (_, record) in zip(objs, batch, strict=True):
                self.ids[kind][record["id"]] = obj.pk

    def _values(self, kind, number, record):
        """The model field values of one archived row, its relations mapped to the rows restored before it."""
        spec = KINDS[kind]
        values = {
            name: _value(spec.model, name, record.get(spec.key(name)), number, kind)
            for name in spec.fields
            if spec.added.get(name, 0) <= self.version
        }
        for name, compute in spec.derived.items():
            values[name] = compute(values)
        for name in spec.users:
            values[f"{name}_id"] = self._user(spec.model, name, record[name], number, kind)
        for name, target in spec.refs.items():
            values[f"{name}_id"] = self._ref(spec.model, name, target, record[name], number, kind)
        if spec.in_project:
            values["project_id"] = self.project.pk
        if kind == "recommender":
            values["config"] = self._config_labels(values["kind"], values["config"], number)
        if kind == "codebook_version":
            values["snapshot"] = self._codebook(values["snapshot"], number)
        if kind == "audit":
            object_type, old = values["object_type"], values["object_id"]
            values["object_id"] = self.ids[_kind_of(object_type)].get(old) if object_type in AUDIT_OBJECTS else None
        if kind == "project":
            values["name"] = self.name or values["name"]
            if Project.objects.filter(name=values["name"]).exists():
                raise InvalidArchive(
                    f"A project named {values['name']!r} already exists; restore the archive under another name "
                    "(--name)."
                )
        return values

    def _config_labels(self, recommender_kind, config, number):
        """A recommender's config with the labels it names (a lexicon's entries, attribution's roles) mapped to the
        restored labels; InvalidArchive for a label the archive lacks."""
        labels = self.ids["label"]

        def restored(old):
            if type(old) is not int or old not in labels:
                raise InvalidArchive(f"Line {number}: the recommender's config names label {old!r}, not archived.")
            return labels[old]

        if not isinstance(config, dict):
            return config
        if recommender_kind == "lexicon" and isinstance(config.get("entries"), list):
            entries = [
                {**entry, "label": restored(entry.get("label"))} if isinstance(entry, dict) else entry
                for entry in config["entries"]
            ]
            return {**config, "entries": entries}
        if recommender_kind == "attribution":
            roles = ("source", "cue", "content")
            return {key: restored(value) if key in roles else value for key, value in config.items()}
        return config

    def _codebook(self, snapshot, number):
        """A codebook version's snapshot with the ids of its labels, relation types and questions mapped to the
        restored rows' (one gone before the backup: its source id negated, so it matches none of them)."""
        if not isinstance(snapshot, dict):
            raise InvalidArchive(f"Line {number}: the codebook_version's snapshot is not an object.")

        def new(kind, old):
            return self.ids[kind].get(old, -old if isinstance(old, int) else None)

        try:
            return {
                **snapshot,
                "labels": [{**item, "id": new("label", item["id"])} for item in snapshot.get("labels", [])],
                "relation_types": [
                    {
                        **item,
                        "id": new("relation_type", item["id"]),
                        "from_labels": [new("label", pk) for pk in item.get("from_labels", [])],
                        "to_labels": [new("label", pk) for pk in item.get("to_labels", [])],
                    }
                    for item in snapshot.get("relation_types", [])
                ],
                "questions": [{**item, "id": new("question", item["id"])} for item in snapshot.get("questions", [])],
            }
        except (TypeError, KeyError, AttributeError):
            raise InvalidArchive(f"Line {number}: the codebook_version's snapshot is not a codebook.") from None

    def _insert(self, model, objs, batch, kind):
        try:
            model.objects.bulk_create(objs)
        except DatabaseError as error:
            raise self._broken(batch, kind, error) from None

    def _broken(self, batch, kind, error):
        return InvalidArchive(
            f"Lines {batch[0][0]}-{batch[-1][0]}: the {kind} records break a rule of the database ({error})."
        )

    def _user(self, model, name, username, number, kind):
        if username is None:
            if not model._meta.get_field(name).null:
                raise InvalidArchive(f"Line {number}: the {kind}'s {name} is null.")
            return None
        if not isinstance(username, str) or username not in self.ids["user"]:
            raise InvalidArchive(f"Line {number}: the {kind}'s {name} {username!r} is not among the archive's users.")
        return self.ids["user"][username]

    def _ref(self, model, name, target, old, number, kind):
        if old is None:
            if not model._meta.get_field(name).null:
                raise InvalidArchive(f"Line {number}: the {kind}'s {name} is null.")
            return None
        try:
            return self.ids[target][old]
        except (KeyError, TypeError):
            raise InvalidArchive(
                f"Line {number}: the {kind}'s {name} is {target} {old!r}, which the archive does not hold before it."
            ) from None


def _auto_times(model):
    return [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def _restamp(model, pks, times):
    """Put back the archived times of the rows `pks` that bulk_create overwrote (auto_now and auto_now_add fields
    take the time of now on insert). One statement run for each row: bulk_update's CASE took minutes."""
    names = list(times[0])
    if not names:  # a model without such fields (a relation type's end label)
        return
    fields = [model._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {assignments} WHERE {qn('id')} = %s"  # noqa: S608 (model names)
    rows = [
        [f.get_db_prep_value(stamp[f.name], connection) for f in fields] + [pk]
        for pk, stamp in zip(pks, times, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _value(model, name, value, number, kind):
    """`value` from the archive as the model field `name` stores it; InvalidArchive when it cannot be."""
    model_field = model._meta.get_field(name)
    if value is None:
        if not model_field.null:
            raise InvalidArchive(f"Line {number}: the {kind}'s {name} is null.")
        return None
    try:
        value = model_field.to_python(value)
    except ValidationError as error:
        raise InvalidArchive(
            f"Line {number}: the {kind}'s {name} {str(value)[:40]!r} is not valid: {' '.join(error.messages)}"
        ) from None
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value

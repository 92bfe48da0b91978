"""Labels: names and keys unique in their project; a label that spans use is deactivated, never deleted."""

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotator.dbfunctions import id_batches
from annotator.errors import Conflict, InvalidInput, LabelInUse, NotFound
from annotator.models import (
    GoldRelation,
    GoldSpan,
    Label,
    Recommender,
    Relation,
    RelationTypeLabel,
    Span,
    Suggestion,
    SuggestionDecision,
)
from annotator.selectors.jobs import recommenders_naming
from annotator.services.audit import audit_record, snapshot
from annotator.services.codebook import codebook_batch, codebook_bump, codebook_number_locked

# Distinct, readable behind black text; a new label without a colour takes the next one.
PALETTE = ("#ffd966", "#9fc5e8", "#b6d7a8", "#f4cccc", "#d9d2e9", "#f9cb9c", "#a2c4c9", "#ead1dc", "#c9daf8", "#d9ead3")


def _check_unique(project, *, name=None, key=None, exclude_pk=None):
    others = Label.objects.filter(project=project).exclude(pk=exclude_pk)
    errors = {}
    if name is not None and others.filter(name=name).exists():
        errors["name"] = [f"This project already has a label named {name!r}."]
    if key and others.filter(key=key).exists():
        errors["key"] = [f"The key {key!r} is already taken by another label of this project."]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def label_create(*, member, name, key="", color=None, description=""):
    """Add a label to the member's project; InvalidInput if its name or key is taken."""
    project = member.project
    _check_unique(project, name=name, key=key)
    if color is None:
        color = PALETTE[Label.objects.filter(project=project).count() % len(PALETTE)]
    label = Label.objects.create(project=project, name=name, key=key, color=color, description=description)
    audit_record(actor=member.user, action="label.create", obj=label, project_id=project.pk, after=snapshot(label))
    codebook_bump(member=member)
    return label


@transaction.atomic
def label_create_many(*, member, items):
    """Create each of `items` (keyword arguments of label_create), all or nothing, as one codebook version."""
    with codebook_batch(member):
        return [label_create(member=member, **item) for item in items]


@transaction.atomic
def label_update(*, member, label, **changes):
    """Change a label (deactivate with active=False); InvalidInput if the new name or key is taken."""
    _lock(label)
    _check_unique(member.project, name=changes.get("name"), key=changes.get("key"), exclude_pk=label.pk)
    before = snapshot(label)
    for name, value in changes.items():
        setattr(label, name, value)
    label.save()
    audit_record(
        actor=member.user,
        action="label.update",
        obj=label,
        project_id=label.project_id,
        before=before,
        after=snapshot(label),
    )
    codebook_bump(member=member)
    return label


@transaction.atomic
def _lock(label):
    """Lock the label's row; NotFound when it is gone (merged away by a request that committed first): saving the
    object then would insert it again, empty, under its old id."""
    if not Label.objects.select_for_update().filter(pk=label.pk).exists():
        raise NotFound()


@transaction.atomic
def label_delete(*, member, label):
    """Delete an unused label; LabelInUse if any span, gold span or suggestion carries it, or a relation type allows
    it at an end (taking it off the type silently could turn "only Cue" into "any label"), or a recommender's config
    names it (dropping its entries silently would change what the recommender suggests)."""
    _lock(label)
    if any(model.objects.filter(label=label).exists() for model in (Span, GoldSpan, Suggestion)):
        raise LabelInUse()
    recommenders = recommenders_naming(label)
    if recommenders:
        raise LabelInUse(
            f"Recommender {recommenders[0]!r} names this label in its config; take it out of the config first, or "
            'deactivate the label with {"active": false}.'
        )
    types = sorted(set(RelationTypeLabel.objects.filter(label=label).values_list("type__name", flat=True)))
    if types:
        raise LabelInUse(
            f"Relation type {types[0]!r} allows this label at one of its ends; take it off the type first, or "
            'deactivate the label with {"active": false}.'
        )
    audit_record(
        actor=member.user, action="label.delete", obj=label, project_id=label.project_id, before=snapshot(label)
    )
    label.delete()
    codebook_bump(member=member)


# Label merge. The unique rules that moving a row to the other label could break, by model: the columns besides the
# label that make a row a copy of another.
SAME_PLACE = {
    Span: ("document_id", "annotator_id", "start", "end"),  # span_unique_per_annotator
    GoldSpan: ("document_id", "start", "end"),  # gold_span_unique
    Suggestion: ("document_id", "start", "end", "source"),  # suggestion_unique
}


# Rows a bulk_update sends in one statement: PostgreSQL takes at most 65,535 parameters, and Django leaves the
# batch unbounded there (each row costs 2 a field, plus its id).
UPDATE_BATCH = 1000


def _same_place(model, into_id):
    """The `into_id` row at the place (SAME_PLACE) of the outer query's row."""
    return model.objects.filter(label_id=into_id, **{name: OuterRef(name) for name in SAME_PLACE[model]})


def _move(model, *, label_id, into_id, **stamp):
    """Move the rows of `label_id` to `into_id` in one UPDATE, but for those that would copy a row `into_id` has
    (left behind for _copies); returns how many moved. The copy test runs inside the UPDATE: a separate pass over
    100,000 spans cost a second more on PostgreSQL (bench/codebook_bench.py)."""
    rows = model.objects.filter(label_id=label_id).filter(~Exists(_same_place(model, into_id)))
    return rows.update(label_id=into_id, **stamp)


def _copies(model, *, label_id, into_id):
    """{id of a `label_id` row: id of the `into_id` row it copies (SAME_PLACE)}: after _move, every row left."""
    survivor = _same_place(model, into_id).values("pk")[:1]
    rows = model.objects.filter(label_id=label_id).annotate(survivor=Subquery(survivor))
    return dict(rows.filter(survivor__isnull=False).values_list("pk", "survivor"))


def _delete(model, ids):
    for batch in id_batches(ids):
        model.objects.filter(pk__in=batch).delete()


def _survivor_of(model, field, *, label_id, into_id):
    """The id of the survivor (the `into_id` row at the same place, SAME_PLACE) of the `label_id` row that the outer
    query's column `field` points at; the column's own value when that row is no `label_id` row."""
    dropped = model.objects.filter(pk=OuterRef(field), label_id=label_id)
    survivor = dropped.annotate(survivor=Subquery(_same_place(model, into_id).values("pk")[:1])).values("survivor")
    return Coalesce(Subquery(survivor[:1]), F(field))


def _repoint_links(model, survivors, span_model, *, label_id, into_id, now, codebook_version, same=("type_id",)):
    """Point the links (relations or gold relations) from or to a span left on `label_id` (of `span_model`, each a
    copy mapped to its survivor by `survivors`) at its survivor, each a changed row (version raised). A link that
    would then join a span to itself or copy another link is deleted (the Django collector sets its gold copies'
    source to null). Returns the number deleted. No statement lists more than ID_BATCH ids (SQLite's limit), however
    many copies: the links kept move in one UPDATE that finds each survivor itself (with a bulk_update instead, one
    CASE per column and row, a merge of 33,000 copies took 46 s on SQLite and 62 s on PostgreSQL,
    4 s and 8 s this way, on a loaded machine)."""
    if not survivors:
        return 0
    dropped = span_model.objects.filter(label_id=label_id)
    at_dropped = Q(from_span__in=dropped) | Q(to_span__in=dropped)
    touching = list(
        model.objects.select_for_update().filter(at_dropped).order_by("id").only("from_span_id", "to_span_id", *same)
    )
    key = lambda link: (link.from_span_id, link.to_span_id, *(getattr(link, name) for name in same))  # noqa: E731
    for link in touching:
        link.from_span_id = survivors.get(link.from_span_id, link.from_span_id)
        link.to_span_id = survivors.get(link.to_span_id, link.to_span_id)
    moving = {link.pk for link in touching}
    taken = set()
    for ends in id_batches({link.from_span_id for link in touching}):
        others = model.objects.filter(from_span__in=ends).only("from_span_id", "to_span_id", *same)
        taken.update(key(link) for link in others if link.pk not in moving)
    doomed = []
    for link in touching:
        if link.from_span_id == link.to_span_id or key(link) in taken:
            doomed.append(link.pk)
        else:
            taken.add(key(link))
    _delete(model, doomed)
    # What is left touching a dropped span is what was kept. No moment of the UPDATE breaks a unique rule: a kept
    # link's new ends are no dropped spans, so it never takes the place of one still waiting to move.
    ids = {"label_id": label_id, "into_id": into_id}
    model.objects.filter(at_dropped).update(
        from_span_id=_survivor_of(span_model, "from_span_id", **ids),
        to_span_id=_survivor_of(span_model, "to_span_id", **ids),
        version=F("version") + 1,
        codebook_version=codebook_version,
        updated_at=now,
    )
    return len(doomed)


def _drop_span_copies(survivors, *, label_id, into_id, now, codebook_version):
    """Delete the spans left on `label_id` after _move, each a copy of its survivor in `survivors` (dropped id:
    surviving id), after moving what points at them to the survivor: relations (_repoint_links), gold spans copied
    from them, suggestion decisions that made them."""
    ids = {"label_id": label_id, "into_id": into_id}
    relations = _repoint_links(
        Relation, survivors, Span, **ids, now=now, codebook_version=codebook_version, same=("type_id", "annotator_id")
    )
    dropped = Span.objects.filter(label_id=label_id)
    for model, field in _SPAN_FK.items():
        model.objects.filter(**{f"{field}__in": dropped}).update(
            **{f"{field}_id": _survivor_of(Span, f"{field}_id", **ids)}
        )
    # Nothing points at them now (SPAN_LINKS): one DELETE, without Django's collector, which looked for those rows
    # again and deleted 100 spans a statement (two thirds of a 33,000-copy merge's time on PostgreSQL).
    dropped._raw_delete(dropped.db)
    return relations


_SPAN_FK = {GoldSpan: "source_span", SuggestionDecision: "span"}
# Every foreign key to a span, each moved to the survivor by _drop_span_copies before it deletes the copies;
# tests/services/test_label_merge.py fails when a model gains another.
SPAN_LINKS = {(Relation, "from_span"), (Relation, "to_span"), *((model, field) for model, field in _SPAN_FK.items())}


def _drop_suggestion_copies(survivors, *, label_id):
    """Delete the suggestions left on `label_id` after _move, each a copy of its survivor in `survivors` (dropped
    id: surviving id), each user's decision moving to the survivor unless the user decided the survivor too (that
    decision stands; the other goes with its suggestion)."""
    dropped = Suggestion.objects.filter(label_id=label_id)
    decisions = list(SuggestionDecision.objects.filter(suggestion__in=dropped))
    decided = set()
    for batch in id_batches(set(survivors.values())):
        decided.update(SuggestionDecision.objects.filter(suggestion__in=batch).values_list("suggestion", "user"))
    moving = []
    for decision in decisions:
        target = survivors[decision.suggestion_id]
        if (target, decision.user_id) not in decided:
            decided.add((target, decision.user_id))
            decision.suggestion_id = target
            moving.append(decision)
    SuggestionDecision.objects.bulk_update(moving, ["suggestion"], batch_size=UPDATE_BATCH)
    dropped.delete()


def _merge_relation_type_ends(*, label_id, into_id):
    """Replace the label by `into_id` at every relation type's end that allows it (an end that allows both keeps one
    row); returns how many relation types changed."""
    rows = RelationTypeLabel.objects.filter(label_id=label_id)
    types = set(rows.values_list("type_id", flat=True))
    both = RelationTypeLabel.objects.filter(type=OuterRef("type"), end=OuterRef("end"), label_id=into_id)
    rows.filter(Exists(both)).delete()
    rows.update(label_id=into_id)
    return len(types)


def _merge_recommender_configs(label, into):
    """Rewrite the configs that name `label` (lexicon entries, attribution roles) to name `into` instead; a lexicon
    entry that then repeats another is dropped. Returns the recommenders' names."""
    names = recommenders_naming(label)
    for recommender in Recommender.objects.select_for_update().filter(project_id=label.project_id, name__in=names):
        config = dict(recommender.config)
        if "entries" in config:
            entries, seen = [], set()
            for entry in config["entries"]:
                entry = {**entry, "label": into.pk if entry.get("label") == label.pk else entry.get("label")}
                if (entry["label"], entry.get("phrase")) not in seen:
                    seen.add((entry["label"], entry.get("phrase")))
                    entries.append(entry)
            config["entries"] = entries
        else:
            config = {role: into.pk if value == label.pk else value for role, value in config.items()}
        recommender.config = config
        recommender.save(update_fields=["config"])
    return names


@transaction.atomic
def label_merge(*, member, label, into):
    """Move every span, gold span and suggestion of `label` to the label `into` (an id) of the same project, then
    delete `label`: one codebook version, one `label.merge` audit event with the counts. A row that would copy one of
    `into`'s is dropped (what points at it follows the survivor); relation types' ends and recommenders' configs
    follow. InvalidInput naming `into` when it is no label of the project; Conflict when the two are the same or
    either is deactivated; NotFound when `label` is gone. Returns (into label, counts, codebook version number)."""
    into_id = getattr(into, "pk", into)
    if into_id == label.pk:
        raise Conflict("A label cannot be merged into itself; choose another label.")
    # Both rows locked in id order (two merges of the same pair wait, never deadlock), then read again: a rename
    # that committed first is what the codebook line names; a label merged away meanwhile is gone.
    rows = Label.objects.select_for_update().filter(project_id=member.project_id, pk__in=[label.pk, into_id])
    locked = {row.pk: row for row in rows.order_by("id")}
    if label.pk not in locked:
        raise NotFound()
    if into_id not in locked:
        raise InvalidInput({"into": [f"Label {into_id} is not a label of this project."]})
    label, into = locked[label.pk], locked[into_id]
    inactive = [row.name for row in (label, into) if not row.active]
    if inactive:
        raise Conflict(f"“{inactive[0]}” is deactivated; reactivate it before merging.")
    number = codebook_number_locked(member.project_id) + 1
    now = timezone.now()
    stamp = {"version": F("version") + 1, "codebook_version": number, "updated_at": now}

    ids = {"label_id": label.pk, "into_id": into.pk}
    moved = {
        "spans": _move(Span, **ids, **stamp),
        "gold_spans": _move(GoldSpan, **ids, **stamp),
        "suggestions": _move(Suggestion, **ids),
    }
    span_copies = _copies(Span, **ids)
    relations_dropped = _drop_span_copies(span_copies, **ids, now=now, codebook_version=number)
    gold_copies = _copies(GoldSpan, **ids)
    relations_dropped += _repoint_links(GoldRelation, gold_copies, GoldSpan, **ids, now=now, codebook_version=number)
    GoldSpan.objects.filter(label_id=label.pk).delete()
    suggestion_copies = _copies(Suggestion, **ids)
    _drop_suggestion_copies(suggestion_copies, label_id=label.pk)

    counts = {
        **moved,
        "relation_types": _merge_relation_type_ends(**ids),
        "recommenders": len(_merge_recommender_configs(label, into)),
        "duplicates_dropped": len(span_copies) + len(gold_copies) + len(suggestion_copies),
        "relations_dropped": relations_dropped,
    }
    audit_record(
        actor=member.user,
        action="label.merge",
        obj=label,
        project_id=member.project_id,
        before=snapshot(label),
        after={"into": into.pk, **counts},
    )
    label.delete()
    codebook_bump(member=member, changes=[f'label "{label.name}" merged into "{into.name}"'])  # number, locked above
    return into, counts, number

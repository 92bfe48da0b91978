"""Reads of a project's relation types and of the relations and gold relations of one document."""

from django.db.models import F, Prefetch

from annotator.dbfunctions import IsoUtc
from annotator.models import GoldRelation, Relation, RelationType, RelationTypeLabel
from annotator.selectors.rows import DocumentRows

# The columns of a relation row as relation_list yields it: every Relation column but the users (the row names them)
# and the times (the row has them formatted); representations.relation_json chooses what the API shows of them.
RELATION_ROW_FIELDS = tuple(
    field.attname
    for field in Relation._meta.concrete_fields
    if field.attname not in {"annotator_id", "reviewed_by_id", "reviewed_at", "created_at", "updated_at"}
)


def relation_type_list(*, project_id):
    """The relation types of project `project_id`, by id, each with its `end_labels` rows (by label id) fetched
    along: two queries however many types there are, on every page."""
    ends = Prefetch("end_labels", queryset=RelationTypeLabel.objects.order_by("label_id"))
    return RelationType.objects.filter(project_id=project_id).order_by("id").prefetch_related(ends)


def relation_list(*, member, document):
    """Rows (dicts of RELATION_ROW_FIELDS, annotator_name, reviewer_name, and created_at_iso and updated_at_iso as
    the API writes them) of the relations of `document` that `member` may see, by id: one query for any number."""
    return relation_rows(Relation.objects.visible_to(member).filter(document=document))


def relation_rows(queryset):
    """`queryset`'s relations as relation_list's rows, by id."""
    return queryset.order_by("id").values(
        *RELATION_ROW_FIELDS,
        annotator_name=F("annotator__username"),
        reviewer_name=F("reviewed_by__username"),
        created_at_iso=IsoUtc("created_at"),
        updated_at_iso=IsoUtc("updated_at"),
    )


class RelationRows(DocumentRows):
    """relation_list(member=..., document=...) with SQL compiled once (rows.DocumentRows): with the query built on
    each request, 30 relations took 4.1 ms to list where 60 spans, read this way, took 2.5 (bench/api_bench.py);
    compiled once, the list's gunicorn CPU per request fell from 1.9 to 1.6 ms on SQLite and from 2.5 to 1.6 ms on
    PostgreSQL (medians of three runs)."""

    model = Relation
    rows = staticmethod(relation_rows)


def gold_relation_list(*, document):
    """The gold relations of `document`, by id."""
    return GoldRelation.objects.filter(document=document).select_related("created_by").order_by("id")

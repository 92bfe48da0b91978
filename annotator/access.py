"""Fetch-and-check helpers: an object a user may not see is answered exactly like one that does not exist."""

import functools
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import OuterRef, Subquery

from annotator.errors import NotFound
from annotator.models import (
    Answer,
    Assignment,
    Document,
    GoldAnswer,
    GoldRelation,
    GoldSpan,
    Job,
    Label,
    Member,
    Project,
    Question,
    Recommender,
    Relation,
    RelationType,
    Span,
    Suggestion,
    SuggestionDecision,
)
from annotator.permissions import sees_document


def _one(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise NotFound() from None


def access_project(user, project_id):
    """Return `user`'s Member row (with its project) for project `project_id`; NotFound for non-members."""
    member = _one(Member.objects.select_related("project"), project_id=project_id, user_id=user.pk)
    member.user = user
    return member


class DocumentScope(NamedTuple):
    """The project and the document a URL names. The one rule for which requests take the fast path: a URL inside
    one document of a project (`of`). For those, token authentication brings the caller's membership and the
    document in its own query (`scoped_document_sql`, then `with_row`), and access_project_document takes them from
    there instead of asking again: one round trip fewer on every span request."""

    project_id: int
    document_id: int
    row: tuple | None = None  # the values of scoped_document_sql's columns, once a query brought them

    @classmethod
    def of(cls, url_kwargs):
        """The scope of a URL's keyword arguments, or None for a URL that is not inside one document."""
        if "project_id" in url_kwargs and "document_id" in url_kwargs:
            return cls(url_kwargs["project_id"], url_kwargs["document_id"])
        return None

    def with_row(self, row):
        return self._replace(row=tuple(row))

    def resolve(self, user):
        """(member, document) from `row`, as access_project_document answers; NotFound when the user is no member,
        the document is not the project's, or the member may not see it (permissions.sees_document)."""
        member_id, role, blind, codebook_version, assigned, *fields = self.row
        if member_id is None or fields[0] is None:
            raise NotFound()
        if not sees_document(role=role, blind=bool(blind), assigned=bool(assigned)):
            raise NotFound()
        values = [
            functools.reduce(lambda value, convert: convert(value, column, connection), converters, value)
            for (column, converters), value in zip(_document_converters(connection.vendor), fields, strict=True)
        ]
        document = Document.from_db(connection.alias, [f.attname for f in _DOCUMENT_FIELDS], values)
        return _scoped(document, user, member_id, role, blind, codebook_version)


# The columns scoped_document_sql() adds to a query's own: the member's id and role, the project's blind flag and
# codebook version,
# whether the document is assigned to the user, then every Document column, in the model's order (a new Document
# field comes along by itself).
_DOCUMENT_FIELDS = list(Document._meta.concrete_fields)


@cache
def scoped_document_sql(user_column):
    """(columns, joins) to add to a query of one user (its user id column `user_column`, e.g. `u."id"`) so that
    the same round trip also brings that user's membership of a project and a document of it: parameters
    project id, then document id. Unmatched, the columns are NULL; DocumentScope.resolve reads them."""
    qn = connection.ops.quote_name
    document, project, member, assignment = (qn(m._meta.db_table) for m in (Document, Project, Member, Assignment))
    assigned = (
        f"EXISTS (SELECT 1 FROM {assignment} sa WHERE sa.{qn('document_id')} = sd.{qn('id')} "  # noqa: S608
        f"AND sa.{qn('user_id')} = sm.{qn('user_id')})"
    )
    columns = ", ".join(
        [
            f"sm.{qn('id')}",
            f"sm.{qn('role')}",
            f"sp.{qn('blind')}",
            f"sp.{qn('codebook_version')}",
            assigned,
            *(f"sd.{qn(f.column)}" for f in _DOCUMENT_FIELDS),
        ]
    )
    joins = (
        f" LEFT JOIN {member} sm ON sm.{qn('user_id')} = {user_column} AND sm.{qn('project_id')} = %s"
        f" LEFT JOIN {project} sp ON sp.{qn('id')} = sm.{qn('project_id')}"
        f" LEFT JOIN {document} sd ON sd.{qn('id')} = %s AND sd.{qn('project_id')} = sm.{qn('project_id')}"
    )
    return columns, joins


@cache
def _project_document_sql():
    """The same columns as scoped_document_sql's, for the user alone: parameters user id, project id, document id."""
    columns, joins = scoped_document_sql("%s")
    # Table and column names come from the models, never from input; the values are parameters.
    return f"SELECT {columns} FROM (SELECT 1) one{joins}"  # noqa: S608


def access_project_document(user, project_id, document_id, *, scope=None):
    """Return (member, document) for a document of project `project_id` that `user` is a member of; NotFound for
    non-members and foreign ids alike. `scope`: the DocumentScope the request's token query filled, if any.

    Every span request starts here, so it is one raw query: through the ORM, building the joined query cost more
    than a third of a span create. The project comes with only `blind` and `codebook_version` loaded, the member
    with its ids and role (the other fields load when first read)."""
    if scope is None or scope.row is None or scope[:2] != (project_id, document_id):
        with connection.cursor() as cursor:
            cursor.execute(_project_document_sql(), [user.pk, project_id, document_id])
            scope = DocumentScope(project_id, document_id, cursor.fetchone())
    return scope.resolve(user)


def _scoped(document, user, member_id, role, blind, codebook_version):
    """The document's project and the user's Member, loaded with the fields the query brought; Django loads any
    other field of theirs from the database when it is first read, never a made-up default."""
    project = Project.from_db(
        connection.alias, ["id", "blind", "codebook_version"], [document.project_id, bool(blind), codebook_version]
    )
    document.project = project
    member = Member.from_db(
        connection.alias, ["id", "project_id", "user_id", "role"], [member_id, project.pk, user.pk, role]
    )
    member.project, member.user = project, user
    return member, document


@cache
def _document_converters(vendor):
    """(column, the converters a query applies to it) for each Document column, as Django's compiler finds them:
    the backend's (SQLite's datetimes are text), then the field's (JSON)."""
    table = Document._meta.db_table
    columns = [field.get_col(table) for field in _DOCUMENT_FIELDS]
    return [
        (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)) for column in columns
    ]


def access_label(member, label_id):
    """Return a label of the member's project; NotFound for any other id."""
    return _one(Label.objects, pk=label_id, project_id=member.project_id)


def access_member(member, member_id):
    """Return a Member row of the member's project; NotFound for any other id."""
    return _one(Member.objects.select_related("user", "project"), pk=member_id, project_id=member.project_id)


def access_assignment(document, assignment_id):
    """Return an assignment of `document`; NotFound for any other id."""
    return _one(Assignment.objects.select_related("user"), pk=assignment_id, document_id=document.pk)


def access_span(member, document, span_id):
    """Return a span of `document` that `member` may see (blind projects hide others' spans); NotFound otherwise."""
    span = _one(Span.objects.visible_to(member), pk=span_id, document_id=document.pk)
    span.document = document
    return span


def access_gold_span(document, gold_id):
    """Return a gold span of `document`; NotFound otherwise."""
    gold = _one(GoldSpan.objects, pk=gold_id, document_id=document.pk)
    gold.document = document
    return gold


def access_relation_type(member, type_id):
    """Return a relation type of the member's project; NotFound for any other id."""
    return _one(RelationType.objects, pk=type_id, project_id=member.project_id)


def access_relation(member, document, relation_id):
    """Return a relation of `document` that `member` may see (blind projects hide others' relations); NotFound
    otherwise."""
    relation = _one(
        Relation.objects.visible_to(member).select_related("annotator", "reviewed_by"),
        pk=relation_id,
        document_id=document.pk,
    )
    relation.document = document
    return relation


def access_gold_relation(document, gold_relation_id):
    """Return a gold relation of `document`; NotFound otherwise."""
    gold = _one(GoldRelation.objects.select_related("created_by"), pk=gold_relation_id, document_id=document.pk)
    gold.document = document
    return gold


def access_question(member, question_id):
    """Return a question of the member's project; NotFound for any other id."""
    return _one(Question.objects, pk=question_id, project_id=member.project_id)


def access_recommender(member, recommender_id):
    """Return a recommender of the member's project; NotFound for any other id."""
    return _one(Recommender.objects, pk=recommender_id, project_id=member.project_id)


def access_job(member, job_id):
    """Return a job of the member's project (with the user who asked for it); NotFound for any other id."""
    return _one(Job.objects.select_related("created_by").defer("documents"), pk=job_id, project_id=member.project_id)


def access_answer(member, document, answer_id):
    """Return an answer of `document` that `member` may see (blind projects hide others' answers); NotFound
    otherwise."""
    answer = _one(
        Answer.objects.visible_to(member).select_related("annotator", "reviewed_by", "question"),
        pk=answer_id,
        document_id=document.pk,
    )
    answer.document = document
    return answer


def access_gold_answer(document, gold_answer_id):
    """Return a gold answer of `document`; NotFound otherwise."""
    gold = _one(GoldAnswer.objects.select_related("created_by", "question"), pk=gold_answer_id, document_id=document.pk)
    gold.document = document
    return gold


def access_suggestion(document, suggestion_id, *, decided_by=None):
    """Return a suggestion of `document` (every member who sees the document sees its suggestions); NotFound
    otherwise. With `decided_by` (a user id), it carries that user's `decision` (None, "accepted" or "rejected"),
    read in the same query, and `decision_of`, that id."""
    suggestions = Suggestion.objects
    if decided_by is not None:
        suggestions = suggestions.annotate(
            decision=Subquery(
                SuggestionDecision.objects.filter(suggestion=OuterRef("pk"), user_id=decided_by).values("decision")[:1]
            )
        )
    suggestion = _one(suggestions, pk=suggestion_id, document_id=document.pk)
    suggestion.document = document
    if decided_by is not None:
        suggestion.decision_of = decided_by
    return suggestion

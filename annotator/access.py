"""Fetch-and-check helpers: an object a user may not see is answered exactly like one that does not exist."""

from functools import cache

from django.db import connection

from annotator.errors import NotFound
from annotator.models import Assignment, Document, GoldSpan, Label, Member, Project, Span


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


@cache
def _project_document_sql():
    qn = connection.ops.quote_name
    document, project, member = (qn(m._meta.db_table) for m in (Document, Project, Member))
    # Table and column names come from the models, never from input; the values are parameters.
    return (
        f"SELECT d.*, m.{qn('id')} AS member_id, m.{qn('role')} AS member_role, "  # noqa: S608
        f"p.{qn('blind')} AS project_blind "
        f"FROM {document} d JOIN {project} p ON p.{qn('id')} = d.{qn('project_id')} "
        f"JOIN {member} m ON m.{qn('project_id')} = p.{qn('id')} "
        f"WHERE d.{qn('id')} = %s AND d.{qn('project_id')} = %s AND m.{qn('user_id')} = %s"
    )


def access_project_document(user, project_id, document_id):
    """Return (member, document) for a document of project `project_id` that `user` is a member of;
    NotFound for non-members and foreign ids alike.

    Every span request starts here, so it is one raw query: through the ORM, building the joined query
    cost more than a third of a span create. The project comes with only `blind` loaded (the rest defers).
    """
    rows = list(Document.objects.raw(_project_document_sql(), [document_id, project_id, user.pk]))
    if not rows:
        raise NotFound()
    document = rows[0]
    project = Project.from_db(connection.alias, ["id", "blind"], [document.project_id, bool(document.project_blind)])
    document.project = project
    member = Member(id=document.member_id, project=project, user=user, role=document.member_role)
    return member, document


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

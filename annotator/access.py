"""Fetch-and-check helpers: an object a user may not see is answered exactly like one that does not exist."""

from annotator.errors import NotFound
from annotator.models import Assignment, Document, GoldSpan, Label, Member, Span


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


def access_document(member, document_id):
    """Return a document of the member's project; NotFound for any other id."""
    return _one(Document.objects, pk=document_id, project_id=member.project_id)


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

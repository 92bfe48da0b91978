"""Access for pages, as the API has it: outsiders get 404 for a project and everything in it, a member whose role
may not open a page 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from annotator.access import access_project, access_project_document
from annotator.errors import NotFound


def page_member(user, project_id, *, roles=None, refusal=""):
    """`user`'s Member of the project: Http404 for outsiders, PermissionDenied (`refusal`) outside `roles`."""
    try:
        member = access_project(user, project_id)
    except NotFound:
        raise Http404() from None
    _check_role(member, roles, refusal)
    return member


def page_member_document(user, project_id, document_id, *, roles=None, refusal=""):
    """(Member, Document) as page_member, the document one of the project's (else Http404)."""
    try:
        member, document = access_project_document(user, project_id, document_id)
    except NotFound:
        raise Http404() from None
    _check_role(member, roles, refusal)
    return member, document


def _check_role(member, roles, refusal):
    if roles is not None and member.role not in roles:
        raise PermissionDenied(refusal)

"""Roles, and pure predicates on what a member may do."""

from annotator.choices import Role

MEMBERS = frozenset(Role.values)
REVIEWERS = frozenset({Role.OWNER, Role.REVIEWER})
OWNERS = frozenset({Role.OWNER})
# Who may import each layer of a file (the import's `layer`): documents are the owners' to add; suggestions, like
# those the suggestions API takes, the owners' and reviewers'.
IMPORT_LAYER_ROLES = {"annotations": OWNERS, "suggestions": REVIEWERS}


def can_annotate(member, *, assigned):
    """Annotators annotate the documents assigned to them; owners and reviewers any document."""
    return member.role in REVIEWERS or assigned


def can_change_span(member, span):
    """Only a span's own annotator changes or deletes it."""
    return span.annotator_id == member.user_id


def can_change_relation(member, relation):
    """Only a relation's own annotator changes or deletes it."""
    return relation.annotator_id == member.user_id


def can_change_answer(member, answer):
    """Only an answer's own annotator changes or deletes it."""
    return answer.annotator_id == member.user_id


def sees_all_spans(member):
    """In a blind project annotators see only their own spans; everyone else sees all."""
    return not (member.role == Role.ANNOTATOR and member.project.blind)


def sees_document(*, role, blind, assigned):
    """In a blind project an annotator sees only the documents assigned to them (a list hides the others, and a
    detail answers 404); everyone else sees every document of the project."""
    return assigned or not (role == Role.ANNOTATOR and blind)

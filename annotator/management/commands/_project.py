"""What the dataset commands share: the project named on the command line and who acts in it."""

from django.core.management.base import CommandError

from annotator.access import access_project
from annotator.choices import Role
from annotator.errors import NotFound
from annotator.models import Member, Project


def project_and_member(project, username=None):
    """The project `project` (an id or an exact name) and the Member acting in it: `username`'s membership,
    else the project's first owner. CommandError when either is missing."""
    projects = Project.objects.filter(pk=int(project)) if project.isdigit() else Project.objects.filter(name=project)
    found = list(projects[:2])
    if len(found) != 1:
        raise CommandError(f"No single project is called {project!r}; give its id.")
    members = Member.objects.filter(project=found[0]).order_by("id")
    member = members.filter(user__username=username).first() if username else members.filter(role=Role.OWNER).first()
    if member is None:
        raise CommandError(f"{username or 'An owner'} is not a member of project {found[0].pk}.")
    try:
        return access_project(member.user, found[0].pk)
    except NotFound:
        raise CommandError(f"Project {project!r} is not there.") from None

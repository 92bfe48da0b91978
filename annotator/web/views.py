"""Server-rendered pages. They read through selectors; every change the UI makes goes through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from annotator.selectors.projects import project_overview


@login_required
def projects(request):
    """The projects the signed-in user belongs to, with their role and their own queue."""
    return render(request, "annotator/projects.html", {"projects": project_overview(user=request.user)})

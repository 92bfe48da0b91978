"""A project's documents page: a paginated, filterable table with who works on each document and how far."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from annotator.choices import AssignmentStatus, Role
from annotator.permissions import OWNERS
from annotator.selectors.documents import (
    document_annotation_counts,
    document_search,
    document_sources,
    document_workers,
)
from annotator.selectors.projects import annotator_ids
from annotator.web.access import page_member

PAGE_SIZE = 50


class DocumentFilterForm(forms.Form):
    """The GET filters. A value that is not a choice is dropped rather than answered with an error."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *((status, status.replace("_", " ")) for status in AssignmentStatus.values)],
    )
    annotator = forms.ChoiceField(required=False)
    source = forms.ChoiceField(required=False)
    sort = forms.ChoiceField(
        required=False, label="Order", choices=[("", "Document order"), ("agreement", "Least agreement first")]
    )

    def __init__(self, data, *, annotators, sources, sorts):
        super().__init__(data, label_suffix="")
        self.fields["annotator"].choices = [("", "Any annotator"), *((name, name) for name in annotators)]
        self.fields["source"].choices = [("", "Any source"), *((source, source) for source in sources)]
        if not sorts:  # the order by agreement is for those who see everyone's work
            self.fields["sort"].choices = self.fields["sort"].choices[:1]

    def filters(self):
        """The valid filters as document_search's keyword arguments (annotator still a username)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "status": data.get("status") or None,
            "annotator": data.get("annotator") or None,
            "source": data.get("source") or None,
            "sort": data.get("sort") or None,
        }


@login_required
def page(request, project_id):
    """The project's documents, PAGE_SIZE to a page, filtered by the GET parameters q, status, source and (for
    owners and reviewers) annotator. Annotators list the documents assigned to them; in a blind project they
    see only their own status and span counts. Owners also get each row's edit and delete buttons, and what
    points into its text (its text can be edited only while nothing does); the page's script makes both changes
    through the REST API."""
    member = page_member(request.user, project_id)
    lists_everyone = member.role != Role.ANNOTATOR
    annotators = annotator_ids(project_id=member.project_id) if lists_everyone else {}
    form = DocumentFilterForm(
        request.GET, annotators=annotators, sources=document_sources(member=member), sorts=lists_everyone
    )
    filters = form.filters()
    if filters["annotator"] is not None:
        filters["annotator"] = annotators[filters["annotator"]]
    documents = Paginator(document_search(member=member, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(documents.object_list)
    workers = document_workers(member=member, documents=listed)
    edits = member.role in OWNERS
    annotations = document_annotation_counts(documents=listed) if edits else {}
    context = {
        "project": member.project,
        "role": member.role,
        "tab": "documents",
        "form": form,
        "lists_everyone": lists_everyone,
        "page_obj": documents,
        "page_range": documents.paginator.get_elided_page_range(documents.number),
        "rows": [(document, workers[document.pk], annotations.get(document.pk)) for document in listed],
        "filtered": any(value is not None for value in filters.values()),
        "by_agreement": filters["sort"] == "agreement",
        "edits": edits,
        "data": {"project": member.project_id},
    }
    return render(request, "annotator/documents.html", context)

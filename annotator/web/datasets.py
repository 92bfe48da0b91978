"""A project's import page (owners: documents; owners and reviewers: suggestions) and export page (owners and
reviewers).

Both pickers read the format registry. The import page's script posts the file to the REST API; the export
page is a plain GET form whose action is the API's export address, so the browser downloads the file itself."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from annotator import formats
from annotator.formats.csv import TABLES as CSV_TABLES
from annotator.permissions import IMPORT_LAYER_ROLES, REVIEWERS
from annotator.selectors.exports import LAYERS, export_annotators
from annotator.services.suggestion_imports import DEFAULT_SOURCE
from annotator.web.access import page_member

LAYER_NOTES = {
    "annotations": "Every annotator's spans, relations and answers, whatever their review status.",
    "accepted": "Only what a reviewer accepted (a relation with both its spans).",
    "gold": "The curated gold layer: spans, relations and answers set by reviewers, with no annotator.",
}
TABLE_NOTES = {
    "spans": "One span a row.",
    "relations": "One relation a row, both ends with their ids, labels, offsets and texts.",
    "answers": "One answer a row; a multiple-choice answer's options joined with |.",
}


def _picker(fmt):
    return {
        "name": fmt.name,
        "title": fmt.title,
        "description": fmt.description,
        "extension": fmt.extension,
        "reads_spans": fmt.reads_spans,
        "reads_predictions": fmt.reads_predictions,
        "reads_zip": fmt.reads_zip,
        "writes_spans": fmt.writes_spans,
        "one_layer": fmt.one_layer,
        "zipped": fmt.zipped,
    }


# What an import may hold (the API's `layer`); who may import each, permissions.IMPORT_LAYER_ROLES says.
IMPORT_LAYERS = (
    {
        "name": "annotations",
        "title": "Documents",
        "note": "Articles, with the spans, relations and answers the file gives them.",
    },
    {
        "name": "suggestions",
        "title": "Suggestions (predictions)",
        "note": "A model's predictions for documents the project has (named by external_id, else by their text):"
        " JSON Lines spans with a score and a source, or a Label Studio export's predictions. Records of documents"
        " the project lacks are passed over and counted.",
    },
)


@login_required
def import_page(request, project_id):
    """Owners import documents, owners and reviewers suggestions: files, the format of those whose name does not
    say, whether to create the labels they name (documents) or the source of predictions that name none
    (suggestions); the script posts each file in turn."""
    member = page_member(
        request.user,
        project_id,
        roles=REVIEWERS,
        refusal="Only the project's owners can import documents, and its owners and reviewers suggestions.",
    )
    project = member.project
    pickers = [_picker(fmt) for fmt in formats.IMPORT_FORMATS]
    layers = [layer for layer in IMPORT_LAYERS if member.role in IMPORT_LAYER_ROLES[layer["name"]]]
    data = {
        "project": project.pk,
        "formats": pickers,
        "layers": [layer["name"] for layer in layers],
        "max_bytes": settings.SLANT_IMPORT_MAX_BYTES,
        "documents_url": reverse("web:documents", args=[project.pk]),
    }
    context = {
        "project": project,
        "role": member.role,
        "tab": "import",
        "formats": pickers,
        "layers": layers,
        "default_source": DEFAULT_SOURCE,
        "max_mb": settings.SLANT_IMPORT_MAX_BYTES // (1024 * 1024),
        "data": data,
    }
    return render(request, "annotator/import.html", context)


@login_required
def export_page(request, project_id):
    """Owners and reviewers: a GET form for the API's export, with format, layer, annotator and zip."""
    member = page_member(
        request.user, project_id, roles=REVIEWERS, refusal="Only the project's owners and reviewers can export it."
    )
    project = member.project
    pickers = [_picker(fmt) for fmt in formats.EXPORT_FORMATS]
    context = {
        "project": project,
        "role": member.role,
        "tab": "export",
        "formats": pickers,
        "layers": [{"name": layer, "note": LAYER_NOTES[layer]} for layer in LAYERS],
        "tables": [{"name": table, "note": TABLE_NOTES[table]} for table in CSV_TABLES],
        "annotators": export_annotators(project_id=project.pk),
        "action": reverse("api:export", args=[project.pk]),
        "data": {"formats": pickers},
    }
    return render(request, "annotator/export.html", context)

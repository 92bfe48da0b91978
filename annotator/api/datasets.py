"""Imports and exports: a file in, documents and spans stored all or nothing; a dataset out, streamed."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from annotator import formats
from annotator.api.base import ScopedView, validated
from annotator.api.jobs import JobSerializer
from annotator.errors import TooLarge
from annotator.permissions import IMPORT_LAYER_ROLES, REVIEWERS
from annotator.representations import job_json
from annotator.selectors.exports import LAYERS, dataset_export
from annotator.services.import_jobs import CHUNK_BYTES, import_job_create
from annotator.services.imports import import_file
from annotator.services.suggestion_imports import DEFAULT_SOURCE, suggestion_import_file
from annotator.tasks import run_import_job

# Room for the multipart envelope and the form's other fields around the file itself.
ENVELOPE = 64 * 1024


OFFSETS_HELP = (
    "The unit the file's offsets count in, for a format that has a choice: doccano counts UTF-16 code units by"
    " default, as its annotation UI does; `codepoints` for doccano data written through its API. Another format"
    " takes only its own unit (code points)."
)


IMPORT_LAYERS = tuple(IMPORT_LAYER_ROLES)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    format = serializers.ChoiceField(choices=[fmt.name for fmt in formats.IMPORT_FORMATS])
    create_labels = serializers.BooleanField(
        default=False, help_text="Create the labels and relation types the file names (never questions)."
    )
    offsets = serializers.ChoiceField(choices=formats.OFFSET_UNITS, required=False, help_text=OFFSETS_HELP)
    layer = serializers.ChoiceField(
        choices=IMPORT_LAYERS,
        default="annotations",
        help_text="`annotations`: documents with their spans, relations and answers (owners). `suggestions`: the"
        " file's spans (jsonl: each with `score` and `source`; labelstudio: each task's `predictions`) become"
        " suggestions on the project's documents it names by external_id, else by text (owners and reviewers).",
    )
    source = serializers.CharField(
        required=False,
        min_length=1,
        max_length=100,
        help_text=f"layer=suggestions: the source of a prediction whose file names none (default `{DEFAULT_SOURCE}`).",
    )
    background = serializers.BooleanField(
        default=False,
        help_text="Import the documents in a job (202 with it) whatever the file's size; a file larger than"
        " SLANT_IMPORT_JOB_MB (5 MB by default) always is. Not with layer=suggestions.",
    )

    def validate(self, data):
        if data["layer"] == "suggestions" and data["create_labels"]:
            raise serializers.ValidationError(
                {"create_labels": ["Suggestions take the project's labels; an owner adds missing ones first."]}
            )
        if data["layer"] == "suggestions" and data["background"]:
            raise serializers.ValidationError({"background": ["A suggestions import is stored within the request."]})
        if data["layer"] != "suggestions" and "source" in data:
            raise serializers.ValidationError({"source": ["Only an import with layer=suggestions takes a source."]})
        return data


class CountSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Already in the project (same external_id).")


class ImportResultSerializer(serializers.Serializer):
    documents = CountSerializer()
    spans = CountSerializer()
    relations = CountSerializer()
    answers = CountSerializer()
    labels_created = serializers.ListField(child=serializers.CharField())
    relation_types_created = serializers.ListField(
        child=serializers.CharField(), help_text="Relation types the file named that create_labels created."
    )
    lines_skipped = serializers.IntegerField(
        help_text="Lines of kinds Slant does not import, passed over and counted: a brat .ann's events, attributes,"
        " normalisations, equivalences and comments; 0 for the other formats."
    )


class MatchedSerializer(serializers.Serializer):
    matched = serializers.IntegerField(help_text="Records that named one of the project's documents.")
    unmatched = serializers.IntegerField(help_text="Records that named no document of the project: passed over.")


class SuggestionImportResultSerializer(serializers.Serializer):
    documents = MatchedSerializer()
    suggestions = CountSerializer()


IMPORT_RESULT = PolymorphicProxySerializer(
    component_name="ImportOutcome",
    serializers=[ImportResultSerializer, SuggestionImportResultSerializer],
    resource_type_field_name=None,
)


class ImportJobAnswerSerializer(serializers.Serializer):
    job = JobSerializer(help_text="The import's job: watch it at GET /projects/{p}/jobs/{id}/; `result` holds the"
                        " counts once it is done, `errors` every problem of a bad file (nothing stored).")  # fmt: skip


class ImportView(ScopedView):
    """Import documents (with their spans, relations and answers) from a file, all or nothing, or (layer=suggestions)
    a file's predictions as suggestions on the project's documents; a bad file gets 400 with every problem and its
    line, a file over the size limit 413. Owners import documents; owners and reviewers, suggestions. A file of
    documents larger than SLANT_IMPORT_JOB_MB (or any, with background=true) is imported by a job: 202 with it."""

    roles = {"POST": REVIEWERS}  # narrowed by layer: IMPORT_LAYER_ROLES
    parser_classes = [MultiPartParser]
    serializer_class = ImportSerializer

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={
            201: IMPORT_RESULT,
            202: ImportJobAnswerSerializer,
            413: OpenApiResponse(description="The file is too large."),
        },
    )
    def post(self, request, project_id):
        limit = settings.SLANT_IMPORT_MAX_BYTES
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.isascii() and declared.isdigit() and int(declared) > limit + ENVELOPE:
            raise TooLarge(f"The file is larger than the {limit // (1024 * 1024)} MB an import takes.")
        # The role before the file: a reviewer's import of documents is refused whatever the file holds.
        if self.member.role not in IMPORT_LAYER_ROLES.get(request.data.get("layer") or "annotations", REVIEWERS):
            raise PermissionDenied("Only the project's owners import documents; reviewers import suggestions.")
        data = validated(ImportSerializer, request.data)
        upload = data["file"]
        if upload.size > limit:
            raise TooLarge(f"The file is larger than the {limit // (1024 * 1024)} MB an import takes.")
        if data["layer"] == "suggestions":
            counts = suggestion_import_file(
                member=self.member,
                data=upload.read(),
                format=data["format"],
                filename=upload.name or "",
                source=data.get("source"),
                offsets=data.get("offsets"),
            )
            return Response(counts, status=201)
        if data["background"] or upload.size > settings.SLANT_IMPORT_JOB_BYTES:
            job = import_job_create(
                member=self.member,
                chunks=upload.chunks(CHUNK_BYTES),
                format=data["format"],
                filename=upload.name or "",
                create_labels=data["create_labels"],
                offsets=data.get("offsets"),
                enqueue=lambda job_id: run_import_job.enqueue(job_id).id,
            )
            return Response({"job": job_json(job, now=timezone.now())}, status=202)
        counts = import_file(
            member=self.member,
            data=upload.read(),
            format=data["format"],
            filename=upload.name or "",
            create_labels=data["create_labels"],
            offsets=data.get("offsets"),
        )
        return Response(counts, status=201)


class ExportQuerySerializer(serializers.Serializer):
    format = serializers.CharField(default="jsonl", max_length=40)
    layer = serializers.ChoiceField(choices=LAYERS, default="annotations")
    annotator = serializers.CharField(required=False, max_length=150, help_text="Keep one annotator's spans.")
    zip = serializers.BooleanField(
        default=False,
        help_text="A zip with the file and a dataset card README.md (labelstudio: and its label_config.xml; csv: every"
        " table).",
    )
    offsets = serializers.ChoiceField(choices=formats.OFFSET_UNITS, required=False, help_text=OFFSETS_HELP)
    table = serializers.CharField(
        default="spans",
        max_length=40,
        help_text="csv only: `spans` (one span a row, the default), `relations` (one relation a row, both ends"
        " with their ids, labels, offsets and texts) or `answers` (one answer a row, a multiple-choice answer's"
        " options joined with `|`).",
    )


# What an export answers, by format (a zip whenever zip=true); parameters such as charset left out.
EXPORT_MEDIA_TYPES = sorted({fmt.content_type.split(";")[0] for fmt in formats.EXPORT_FORMATS} | {"application/zip"})


class ExportView(ScopedView):
    """Stream the project's documents and the spans, relations and answers of one layer in a dataset format; owners and
    reviewers."""

    roles = {"GET": REVIEWERS}
    serializer_class = ExportQuerySerializer

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={(200, *EXPORT_MEDIA_TYPES): OpenApiTypes.BINARY},
    )
    def get(self, request, project_id):
        query = validated(ExportQuerySerializer, request.query_params)
        export = dataset_export(
            project=self.member.project,
            format=query["format"],
            layer=query["layer"],
            annotator=query.get("annotator"),
            as_zip=query["zip"],
            table=query["table"],
            offsets=query.get("offsets"),
        )
        response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response

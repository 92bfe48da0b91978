from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.api.base import ID_MAX, OFFSET_MAX, ScopedListView, ScopedView, validated
from annotator.api.labels import LabelSerializer
from annotator.api.questions import QuestionSerializer
from annotator.api.relation_types import RelationTypeSerializer
from annotator.errors import InvalidInput, NotFound
from annotator.models import CodebookVersion
from annotator.permissions import MEMBERS
from annotator.selectors.codebook import codebook_version_get, codebook_version_list
from annotator.services.codebook import codebook_changes, guidelines_read
from annotator.text import line_diff

SNAPSHOT_KEYS = ("guidelines", "labels", "relation_types", "questions")


class CodebookSerializer(serializers.Serializer):
    """A project's codebook at one version: its guidelines and its labels, relation types and questions as their
    own endpoints show them."""

    version = serializers.IntegerField(read_only=True)
    guidelines = serializers.CharField(read_only=True)
    labels = LabelSerializer(many=True, read_only=True)
    relation_types = RelationTypeSerializer(many=True, read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)


class CurrentCodebookSerializer(CodebookSerializer):
    guidelines_read_version = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The version whose guidelines the caller last read (POST …/codebook/read/); null: never.",
    )


class GuidelinesReadSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=OFFSET_MAX, help_text="The codebook version whose guidelines the caller has read."
    )


class CodebookVersionSerializer(serializers.Serializer):
    """One version in a codebook's history: who made it, when, and one readable line per change."""

    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    created_by = serializers.CharField(read_only=True, allow_null=True, help_text="null: made by a migration.")
    changes = serializers.ListField(child=serializers.CharField(), read_only=True)

    def to_representation(self, version):
        return version_json(version)


class CodebookVersionDetailSerializer(CodebookSerializer, CodebookVersionSerializer):
    against = serializers.IntegerField(read_only=True, required=False, help_text="With ?against=m: m.")
    diff = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        required=False,
        help_text="With ?against=m: the change lines that turn version m into this one.",
    )
    guidelines_diff = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        required=False,
        allow_null=True,
        help_text="With ?against=m: the guidelines of version m turned into this one's, line by line: "
        '[{"op": "same" | "del" | "add" | "skip", "line"}], two unchanged lines kept either side of a change and '
        '"skip" standing for those left out; [] when the guidelines are the same, null when either has more than '
        "2,000 lines.",
    )


class AgainstSerializer(serializers.Serializer):
    against = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)


DIFF_OPS = {"-": "del", "+": "add", " ": "same", "…": "skip"}


def guidelines_diff(old, new):
    """text.line_diff's rows as the API gives them (None stays None: texts too long to diff)."""
    rows = line_diff(old, new)
    return None if rows is None else [{"op": DIFF_OPS[sign], "line": line} for sign, line in rows]


def version_json(version):
    return {
        "version": version.number,
        "created_at": serializers.DateTimeField().to_representation(version.created_at),
        "created_by": version.created_by.username if version.created_by_id else None,
        "changes": version.changes,
    }


class CodebookView(ScopedView):
    """The project's current codebook (every member: it is what annotators follow), with the version whose
    guidelines the caller last read."""

    serializer_class = CurrentCodebookSerializer
    roles = {"GET": MEMBERS}

    def get(self, request, project_id):
        project = self.member.project
        version = codebook_version_get(project_id=project.pk, number=project.codebook_version)
        snapshot = {key: version.snapshot[key] for key in SNAPSHOT_KEYS}
        return Response(
            {"version": version.number, **snapshot, "guidelines_read_version": self.member.guidelines_read_version}
        )


class GuidelinesReadView(ScopedView):
    """Record that the caller has read the guidelines of codebook version `version` (any member, for themselves).
    The record never moves back: an older version than the one recorded changes nothing; 400 for a version the
    codebook does not have."""

    serializer_class = GuidelinesReadSerializer
    roles = {"POST": MEMBERS}

    @extend_schema(responses={204: OpenApiResponse(description="Recorded (or a later version was already).")})
    def post(self, request, project_id):
        number = validated(GuidelinesReadSerializer, request.data)["version"]
        guidelines_read(member=self.member, number=number)
        return Response(status=204)


class CodebookVersionListView(ScopedListView):
    """The codebook's versions, newest first."""

    queryset = CodebookVersion.objects.none()  # for the schema
    serializer_class = CodebookVersionSerializer
    roles = {"GET": MEMBERS}

    def project_queryset(self):
        return codebook_version_list(project_id=self.member.project_id)


class CodebookVersionDetailView(ScopedView):
    """One version's whole codebook; `?against=m` adds the change lines from version m to it."""

    serializer_class = CodebookVersionDetailSerializer
    roles = {"GET": MEMBERS}

    @extend_schema(
        parameters=[OpenApiParameter("against", int, description="Another version's number: adds `diff`.")]
    )
    def get(self, request, project_id, number):
        against = validated(AgainstSerializer, request.query_params).get("against")
        version = codebook_version_get(project_id=project_id, number=number)
        data = {**version_json(version), **{key: version.snapshot[key] for key in SNAPSHOT_KEYS}}
        if against is not None:
            try:
                other = codebook_version_get(project_id=project_id, number=against)
            except NotFound:
                raise InvalidInput({"against": [f"This codebook has no version {against}."]}) from None
            data.update(
                against=against,
                diff=codebook_changes(other.snapshot, version.snapshot),
                guidelines_diff=guidelines_diff(other.snapshot["guidelines"], version.snapshot["guidelines"]),
            )
        return Response(data)

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_gold_span
from annotator.api.base import (
    ScopedListView,
    ScopedView,
    expected_version,
    id_field,
    offset_field,
    validated,
    version_field,
)
from annotator.api.spans import VERSION_HEADER, VersionSerializer
from annotator.models import GoldSpan
from annotator.permissions import REVIEWERS
from annotator.representations import gold_json
from annotator.selectors.spans import gold_list
from annotator.services.gold import gold_create, gold_delete, gold_update


class GoldSpanSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="The document's text[start:end] in code points.")
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = GoldSpan
        fields = [
            "id",
            "document",
            "label",
            "start",
            "end",
            "text",
            "note",
            "source_span",
            "created_by",
            "version",
            "codebook_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, gold):
        document = self.context.get("document") or gold.document
        return gold_json(gold, document.text)


class GoldCreateSerializer(serializers.Serializer):
    label = id_field(required=False)
    start = offset_field(required=False)
    end = offset_field(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    from_span = id_field(required=False, help_text="Copy this span of the document into the gold layer.")


class GoldUpdateSerializer(serializers.Serializer):
    label = id_field(required=False)
    start = offset_field(required=False)
    end = offset_field(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = version_field()


class GoldListView(ScopedListView):
    """The gold layer of a document; reviewers and owners add `{label, start, end}` or `{"from_span": s}`."""

    queryset = GoldSpan.objects.none()  # for the schema
    serializer_class = GoldSpanSerializer
    roles = {"GET": REVIEWERS, "POST": REVIEWERS}

    def project_queryset(self):
        return gold_list(document=self.document)

    @extend_schema(
        request=GoldCreateSerializer,
        responses={201: GoldSpanSerializer},
        examples=[
            OpenApiExample("A span drawn directly", value={"label": 2, "start": 4, "end": 12}, request_only=True),
            OpenApiExample("A copy of an annotator's span", value={"from_span": 7}, request_only=True),
        ],
    )
    def post(self, request, project_id, document_id):
        data = validated(GoldCreateSerializer, request.data)
        gold = gold_create(member=self.member, document=self.document, **data)
        return Response(GoldSpanSerializer(gold, context={"document": self.document}).data, status=201)


class GoldDetailView(ScopedView):
    serializer_class = GoldSpanSerializer
    roles = {"GET": REVIEWERS, "PATCH": REVIEWERS, "DELETE": REVIEWERS}

    def get(self, request, project_id, document_id, gold_id):
        gold = access_gold_span(self.document, gold_id)
        return Response(GoldSpanSerializer(gold, context={"document": self.document}).data)

    @extend_schema(request=GoldUpdateSerializer, parameters=[VERSION_HEADER])
    def patch(self, request, project_id, document_id, gold_id):
        gold = access_gold_span(self.document, gold_id)
        changes = validated(GoldUpdateSerializer, request.data)
        version = expected_version(request, changes.pop("version", None))
        gold = gold_update(member=self.member, gold=gold, expected_version=version, **changes)
        return Response(GoldSpanSerializer(gold, context={"document": self.document}).data)

    @extend_schema(request=VersionSerializer, parameters=[VERSION_HEADER])
    def delete(self, request, project_id, document_id, gold_id):
        gold = access_gold_span(self.document, gold_id)
        body = validated(VersionSerializer, request.data)
        gold_delete(member=self.member, gold=gold, expected_version=expected_version(request, body.get("version")))
        return Response(status=204)

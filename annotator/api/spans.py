import django_filters
from django import forms
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_span
from annotator.api.base import (
    ID_MAX,
    ScopedListView,
    ScopedView,
    create_one_or_many,
    expected_version,
    id_field,
    offset_field,
    validated,
    version_field,
)
from annotator.api.schema import one_or_many
from annotator.choices import ReviewStatus
from annotator.models import Document, Span
from annotator.permissions import MEMBERS, REVIEWERS
from annotator.representations import span_json
from annotator.selectors.spans import SpanRows, span_list
from annotator.services.reviews import span_review
from annotator.services.spans import span_create, span_delete, span_update


def _document_id(span):
    return span["document_id"] if isinstance(span, dict) else span.document_id


VERSION_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The version the client last saw, e.g. "3" (or send "version" in the body).',
)


class SpanCreateSerializer(serializers.Serializer):
    """The writable fields alone: DRF copies every declared field of a serializer on each request."""

    label = id_field()
    start = offset_field()
    end = offset_field()
    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text="Optional: must equal the document's text[start:end]."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class SpanSerializer(SpanCreateSerializer):
    """A span as SPEC shows it; `text` is the document's text[start:end] in code points."""

    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(read_only=True)
    annotator = serializers.CharField(read_only=True, help_text="username")
    review_status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    review_comment = serializers.CharField(read_only=True)
    reviewer = serializers.CharField(read_only=True, allow_null=True, help_text="username")
    version = serializers.IntegerField(read_only=True)
    codebook_version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, span):
        document = self.context.get("document") or Document.objects.only("text").get(pk=_document_id(span))
        return span_json(span, document.text)


class SpanUpdateSerializer(serializers.Serializer):
    label = id_field(required=False)
    start = offset_field(required=False)
    end = offset_field(required=False)
    text = serializers.CharField(required=False, trim_whitespace=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = version_field()


class VersionSerializer(serializers.Serializer):
    version = version_field()


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[ReviewStatus.ACCEPTED, ReviewStatus.REJECTED])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    version = version_field()


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """An id in a query string: a whole number from 1 to ID_MAX, as the schema says (else 400)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


class SpanFilter(django_filters.FilterSet):
    annotator = django_filters.CharFilter(field_name="annotator__username", help_text="A username.")
    label = IdFilter(field_name="label_id", help_text="A label id.")
    review_status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)

    class Meta:
        model = Span
        fields = []


class SpanListView(ScopedListView):
    """A document's spans the caller may see, by start; POST draws one or a list."""

    queryset = Span.objects.none()  # for the schema
    serializer_class = SpanSerializer
    filterset_class = SpanFilter
    roles = {"GET": MEMBERS, "POST": MEMBERS}

    def project_queryset(self):
        if self.filters_asked():
            return span_list(member=self.member, document=self.document)
        return SpanRows(member=self.member, document=self.document)

    @extend_schema(
        request=one_or_many(SpanCreateSerializer, "SpanCreateOneOrMany"),
        responses={201: one_or_many(SpanSerializer, "SpanOneOrMany")},
        examples=[
            OpenApiExample("One span", value={"label": 2, "start": 4, "end": 12}, request_only=True),
            OpenApiExample(
                "Two spans, with text and note",
                value=[
                    {"label": 2, "start": 0, "end": 3, "text": "The"},
                    {"label": 3, "start": 4, "end": 12, "note": "official source"},
                ],
                request_only=True,
            ),
        ],
    )
    def post(self, request, project_id, document_id):
        return create_one_or_many(
            self,
            request,
            SpanCreateSerializer,
            lambda items: [span_create(member=self.member, document=self.document, **item) for item in items],
            SpanSerializer,
        )


class SpanDetailView(ScopedView):
    serializer_class = SpanSerializer
    roles = {"GET": MEMBERS, "PATCH": MEMBERS, "DELETE": MEMBERS}

    def get(self, request, project_id, document_id, span_id):
        return Response(
            SpanSerializer(access_span(self.member, self.document, span_id), context={"document": self.document}).data
        )

    @extend_schema(request=SpanUpdateSerializer, parameters=[VERSION_HEADER])
    def patch(self, request, project_id, document_id, span_id):
        span = access_span(self.member, self.document, span_id)
        changes = validated(SpanUpdateSerializer, request.data)
        version = expected_version(request, changes.pop("version", None))
        span = span_update(member=self.member, span=span, expected_version=version, **changes)
        return Response(SpanSerializer(span, context={"document": self.document}).data)

    @extend_schema(request=VersionSerializer, parameters=[VERSION_HEADER])
    def delete(self, request, project_id, document_id, span_id):
        span = access_span(self.member, self.document, span_id)
        body = validated(VersionSerializer, request.data)
        span_delete(member=self.member, span=span, expected_version=expected_version(request, body.get("version")))
        return Response(status=204)


class SpanReviewView(ScopedView):
    """A reviewer or owner accepts or rejects a span, with an optional comment."""

    serializer_class = SpanSerializer
    roles = {"POST": REVIEWERS}

    @extend_schema(request=ReviewSerializer, responses=SpanSerializer, parameters=[VERSION_HEADER])
    def post(self, request, project_id, document_id, span_id):
        span = access_span(self.member, self.document, span_id)
        review = validated(ReviewSerializer, request.data)
        version = expected_version(request, review.pop("version", None))
        span = span_review(member=self.member, span=span, expected_version=version, **review)
        return Response(SpanSerializer(span, context={"document": self.document}).data)

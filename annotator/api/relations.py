import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_relation
from annotator.api.base import (
    ScopedListView,
    ScopedView,
    create_one_or_many,
    expected_version,
    id_field,
    validated,
    version_field,
)
from annotator.api.schema import one_or_many
from annotator.api.spans import VERSION_HEADER, IdFilter, ReviewSerializer, VersionSerializer
from annotator.choices import ReviewStatus
from annotator.models import Relation
from annotator.permissions import MEMBERS, REVIEWERS
from annotator.representations import relation_json
from annotator.selectors.relations import RelationRows, relation_list
from annotator.services.relations import relation_create, relation_delete, relation_update
from annotator.services.reviews import relation_review


class RelationCreateSerializer(serializers.Serializer):
    type = id_field(help_text="A relation type of the project, active.")
    from_span = id_field(help_text="One of the caller's spans of this document.")
    to_span = id_field(help_text="Another of the caller's spans of this document.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class RelationSerializer(RelationCreateSerializer):
    """A relation as SPEC shows it: a typed link from one of its annotator's spans to another."""

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

    def to_representation(self, relation):
        return relation_json(relation)


class RelationUpdateSerializer(serializers.Serializer):
    """The type and note change; the ends never do (naming one is a 400, not a change quietly dropped)."""

    type = id_field(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = version_field()

    def validate(self, attrs):
        given = self.initial_data if isinstance(self.initial_data, dict) else {}
        ends = [name for name in ("from_span", "to_span") if name in given]
        if ends:
            message = "A relation's ends never change; delete it and make another."
            raise serializers.ValidationError({name: [message] for name in ends})
        return attrs


class RelationFilter(django_filters.FilterSet):
    annotator = django_filters.CharFilter(field_name="annotator__username", help_text="A username.")
    type = IdFilter(field_name="type_id", help_text="A relation type id.")
    review_status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)

    class Meta:
        model = Relation
        fields = []


class RelationListView(ScopedListView):
    """A document's relations the caller may see, by id; POST makes one or a list between the caller's spans."""

    queryset = Relation.objects.none()  # for the schema
    serializer_class = RelationSerializer
    filterset_class = RelationFilter
    roles = {"GET": MEMBERS, "POST": MEMBERS}

    def project_queryset(self):
        if self.filters_asked():
            return relation_list(member=self.member, document=self.document)
        return RelationRows(member=self.member, document=self.document)

    @extend_schema(
        request=one_or_many(RelationCreateSerializer, "RelationCreateOneOrMany"),
        responses={201: one_or_many(RelationSerializer, "RelationOneOrMany")},
        examples=[
            OpenApiExample("One relation", value={"type": 1, "from_span": 7, "to_span": 9}, request_only=True),
            OpenApiExample(
                "A cue's source and content",
                value=[{"type": 1, "from_span": 7, "to_span": 9}, {"type": 2, "from_span": 7, "to_span": 11}],
                request_only=True,
            ),
        ],
    )
    def post(self, request, project_id, document_id):
        return create_one_or_many(
            self,
            request,
            RelationCreateSerializer,
            lambda items: [relation_create(member=self.member, document=self.document, **item) for item in items],
            RelationSerializer,
        )


class RelationDetailView(ScopedView):
    serializer_class = RelationSerializer
    roles = {"GET": MEMBERS, "PATCH": MEMBERS, "DELETE": MEMBERS}

    def get(self, request, project_id, document_id, relation_id):
        return Response(RelationSerializer(access_relation(self.member, self.document, relation_id)).data)

    @extend_schema(request=RelationUpdateSerializer, parameters=[VERSION_HEADER])
    def patch(self, request, project_id, document_id, relation_id):
        relation = access_relation(self.member, self.document, relation_id)
        changes = validated(RelationUpdateSerializer, request.data)
        version = expected_version(request, changes.pop("version", None))
        relation = relation_update(member=self.member, relation=relation, expected_version=version, **changes)
        return Response(RelationSerializer(relation).data)

    @extend_schema(request=VersionSerializer, parameters=[VERSION_HEADER])
    def delete(self, request, project_id, document_id, relation_id):
        relation = access_relation(self.member, self.document, relation_id)
        body = validated(VersionSerializer, request.data)
        version = expected_version(request, body.get("version"))
        relation_delete(member=self.member, relation=relation, expected_version=version)
        return Response(status=204)


class RelationReviewView(ScopedView):
    """A reviewer or owner accepts or rejects a relation, with an optional comment."""

    serializer_class = RelationSerializer
    roles = {"POST": REVIEWERS}

    @extend_schema(request=ReviewSerializer, responses=RelationSerializer, parameters=[VERSION_HEADER])
    def post(self, request, project_id, document_id, relation_id):
        relation = access_relation(self.member, self.document, relation_id)
        review = validated(ReviewSerializer, request.data)
        version = expected_version(request, review.pop("version", None))
        relation = relation_review(member=self.member, relation=relation, expected_version=version, **review)
        return Response(RelationSerializer(relation).data)

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_gold_relation
from annotator.api.base import ScopedListView, ScopedView, expected_version, id_field, validated, version_field
from annotator.api.spans import VERSION_HEADER, VersionSerializer
from annotator.models import GoldRelation
from annotator.permissions import REVIEWERS
from annotator.representations import gold_relation_json
from annotator.selectors.relations import gold_relation_list
from annotator.services.gold_relations import gold_relation_create, gold_relation_delete, gold_relation_update


class GoldRelationSerializer(serializers.Serializer):
    """A relation of the gold layer, between two of the document's gold spans."""

    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(read_only=True)
    type = serializers.IntegerField(read_only=True)
    from_span = serializers.IntegerField(read_only=True, help_text="A gold span id.")
    to_span = serializers.IntegerField(read_only=True, help_text="A gold span id.")
    note = serializers.CharField(read_only=True)
    source_relation = serializers.IntegerField(read_only=True, allow_null=True, help_text="The relation copied.")
    created_by = serializers.CharField(read_only=True, allow_null=True, help_text="username")
    version = serializers.IntegerField(read_only=True)
    codebook_version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, gold):
        return gold_relation_json(gold)


class GoldRelationCreateSerializer(serializers.Serializer):
    type = id_field(required=False)
    from_span = id_field(required=False, help_text="A gold span of this document.")
    to_span = id_field(required=False, help_text="Another gold span of this document.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    from_relation = id_field(
        required=False, help_text="Copy this relation of the document, with its spans, into the gold layer."
    )


class GoldRelationUpdateSerializer(serializers.Serializer):
    type = id_field(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = version_field()


class GoldRelationListView(ScopedListView):
    """The gold relations of a document; reviewers and owners add `{type, from_span, to_span}` (gold span ids) or
    `{"from_relation": r}`."""

    queryset = GoldRelation.objects.none()  # for the schema
    serializer_class = GoldRelationSerializer
    roles = {"GET": REVIEWERS, "POST": REVIEWERS}

    def project_queryset(self):
        return gold_relation_list(document=self.document)

    @extend_schema(
        request=GoldRelationCreateSerializer,
        responses={201: GoldRelationSerializer},
        examples=[
            OpenApiExample("Between gold spans", value={"type": 1, "from_span": 4, "to_span": 5}, request_only=True),
            OpenApiExample("A copy of an annotator's relation", value={"from_relation": 7}, request_only=True),
        ],
    )
    def post(self, request, project_id, document_id):
        data = validated(GoldRelationCreateSerializer, request.data)
        gold = gold_relation_create(member=self.member, document=self.document, **data)
        return Response(GoldRelationSerializer(gold).data, status=201)


class GoldRelationDetailView(ScopedView):
    serializer_class = GoldRelationSerializer
    roles = {"GET": REVIEWERS, "PATCH": REVIEWERS, "DELETE": REVIEWERS}

    def get(self, request, project_id, document_id, gold_relation_id):
        return Response(GoldRelationSerializer(access_gold_relation(self.document, gold_relation_id)).data)

    @extend_schema(request=GoldRelationUpdateSerializer, parameters=[VERSION_HEADER])
    def patch(self, request, project_id, document_id, gold_relation_id):
        gold = access_gold_relation(self.document, gold_relation_id)
        changes = validated(GoldRelationUpdateSerializer, request.data)
        version = expected_version(request, changes.pop("version", None))
        gold = gold_relation_update(member=self.member, gold=gold, expected_version=version, **changes)
        return Response(GoldRelationSerializer(gold).data)

    @extend_schema(request=VersionSerializer, parameters=[VERSION_HEADER])
    def delete(self, request, project_id, document_id, gold_relation_id):
        gold = access_gold_relation(self.document, gold_relation_id)
        body = validated(VersionSerializer, request.data)
        version = expected_version(request, body.get("version"))
        gold_relation_delete(member=self.member, gold=gold, expected_version=version)
        return Response(status=204)

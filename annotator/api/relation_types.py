from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_relation_type
from annotator.api.base import ScopedListView, ScopedView, create_one_or_many, id_field, validated
from annotator.api.labels import LabelSerializer
from annotator.api.schema import one_or_many
from annotator.models import RelationType
from annotator.permissions import MEMBERS, OWNERS
from annotator.representations import relation_type_json
from annotator.selectors.relations import relation_type_list
from annotator.services.relation_types import (
    end_labels,
    relation_type_create_many,
    relation_type_delete,
    relation_type_update,
)


def label_ids(help_text):
    return serializers.ListField(child=id_field(), required=False, max_length=1000, help_text=help_text)


class RelationTypeSerializer(serializers.ModelSerializer):
    """A relation type: its name, key and colour follow the labels' rules; `from_labels` and `to_labels` are the
    label ids its ends may carry (empty: any label)."""

    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}\Z", required=False, error_messages={"invalid": "Give a colour as #rrggbb."}
    )
    key = serializers.CharField(
        max_length=1,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="One-character keyboard shortcut, unique among the project's relation types.",
    )
    from_labels = label_ids("Labels a relation of this type may start at; empty: any.")
    to_labels = label_ids("Labels a relation of this type may end at; empty: any.")

    class Meta:
        model = RelationType
        fields = ["id", "name", "key", "color", "description", "active", "from_labels", "to_labels"]
        read_only_fields = ["id"]

    validate_key = LabelSerializer.validate_key
    validate_color = LabelSerializer.validate_color

    def to_representation(self, relation_type):
        return relation_type_json(relation_type)


class RelationTypeCreateSerializer(RelationTypeSerializer):
    class Meta(RelationTypeSerializer.Meta):
        read_only_fields = ["id", "active"]


class RelationTypeListView(ScopedListView):
    """A project's relation types by id; owners add one or a list."""

    queryset = RelationType.objects.none()  # for the schema
    serializer_class = RelationTypeSerializer
    roles = {"GET": MEMBERS, "POST": OWNERS}

    def project_queryset(self):
        return relation_type_list(project_id=self.member.project_id)

    @extend_schema(
        request=one_or_many(RelationTypeCreateSerializer, "RelationTypeCreateOneOrMany"),
        responses={201: one_or_many(RelationTypeSerializer, "RelationTypeOneOrMany")},
        examples=[
            OpenApiExample(
                "PARC's cue → source",
                value={"name": "source", "key": "o", "from_labels": [2], "to_labels": [1]},
                request_only=True,
            )
        ],
    )
    def post(self, request, project_id):
        return create_one_or_many(
            self,
            request,
            RelationTypeCreateSerializer,
            lambda items: relation_type_create_many(member=self.member, items=items),
            RelationTypeSerializer,
        )


class RelationTypeDetailView(ScopedView):
    serializer_class = RelationTypeSerializer
    roles = {"GET": MEMBERS, "PATCH": OWNERS, "DELETE": OWNERS}

    def get(self, request, project_id, type_id):
        relation_type = access_relation_type(self.member, type_id)
        relation_type.ends = end_labels(relation_type)
        return Response(RelationTypeSerializer(relation_type).data)

    def patch(self, request, project_id, type_id):
        relation_type = access_relation_type(self.member, type_id)
        changes = validated(RelationTypeSerializer, request.data, partial=True)
        relation_type = relation_type_update(member=self.member, relation_type=relation_type, **changes)
        return Response(RelationTypeSerializer(relation_type).data)

    def delete(self, request, project_id, type_id):
        relation_type_delete(member=self.member, relation_type=access_relation_type(self.member, type_id))
        return Response(status=204)

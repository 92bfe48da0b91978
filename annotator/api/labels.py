from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_label
from annotator.api.base import ScopedListView, ScopedView, create_one_or_many, id_field, validated
from annotator.api.schema import one_or_many
from annotator.models import Label
from annotator.permissions import MEMBERS, OWNERS
from annotator.representations import label_json
from annotator.selectors.labels import label_list
from annotator.services.labels import label_create_many, label_delete, label_merge, label_update


class LabelSerializer(serializers.ModelSerializer):
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}\Z", required=False, error_messages={"invalid": "Give a colour as #rrggbb."}
    )
    key = serializers.CharField(
        max_length=1,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="One-character keyboard shortcut, unique in the project.",
    )

    class Meta:
        model = Label
        fields = ["id", "name", "key", "color", "description", "active"]
        read_only_fields = ["id"]

    def validate_key(self, value):
        if value.isspace():
            raise serializers.ValidationError("A key must be a visible character.")
        return value

    def validate_color(self, value):
        return value.lower()

    def to_representation(self, label):
        return label_json(label)


class LabelCreateSerializer(LabelSerializer):
    class Meta(LabelSerializer.Meta):
        read_only_fields = ["id", "active"]


class LabelListView(ScopedListView):
    """A project's labels by id; owners add one or a list."""

    queryset = Label.objects.none()  # for the schema
    serializer_class = LabelSerializer
    roles = {"GET": MEMBERS, "POST": OWNERS}

    def project_queryset(self):
        return label_list(project_id=self.member.project_id)

    @extend_schema(
        request=one_or_many(LabelCreateSerializer, "LabelCreateOneOrMany"),
        responses={201: one_or_many(LabelSerializer, "LabelOneOrMany")},
    )
    def post(self, request, project_id):
        return create_one_or_many(
            self,
            request,
            LabelCreateSerializer,
            lambda items: label_create_many(member=self.member, items=items),
            LabelSerializer,
        )


class LabelDetailView(ScopedView):
    serializer_class = LabelSerializer
    roles = {"GET": MEMBERS, "PATCH": OWNERS, "DELETE": OWNERS}

    def get(self, request, project_id, label_id):
        return Response(LabelSerializer(access_label(self.member, label_id)).data)

    def patch(self, request, project_id, label_id):
        label = access_label(self.member, label_id)
        changes = validated(LabelSerializer, request.data, partial=True)
        return Response(LabelSerializer(label_update(member=self.member, label=label, **changes)).data)

    def delete(self, request, project_id, label_id):
        label_delete(member=self.member, label=access_label(self.member, label_id))
        return Response(status=204)


class LabelMergeSerializer(serializers.Serializer):
    into = id_field(help_text="The id of another active label of this project, which takes this label's rows.")


class LabelMergeCountsSerializer(serializers.Serializer):
    spans = serializers.IntegerField(help_text="Spans moved (their version raised).")
    gold_spans = serializers.IntegerField()
    suggestions = serializers.IntegerField()
    relation_types = serializers.IntegerField(help_text="Relation types whose ends allowed the label.")
    recommenders = serializers.IntegerField(help_text="Recommenders whose config named the label.")
    duplicates_dropped = serializers.IntegerField(
        help_text="Spans, gold spans and suggestions dropped as copies of one the target label already had."
    )
    relations_dropped = serializers.IntegerField(
        help_text="Relations and gold relations dropped: they would have joined a span to itself or repeated another."
    )


class LabelMergeResultSerializer(serializers.Serializer):
    label = LabelSerializer(help_text="The label merged into, as it now is.")
    moved = LabelMergeCountsSerializer()
    codebook_version = serializers.IntegerField(help_text="The codebook version the merge made.")


class LabelMergeView(ScopedView):
    """Merge a label into another (owners): its spans, gold spans and suggestions move, then it is deleted."""

    serializer_class = LabelMergeSerializer
    roles = {"POST": OWNERS}

    @extend_schema(request=LabelMergeSerializer, responses={200: LabelMergeResultSerializer})
    def post(self, request, project_id, label_id):
        label = access_label(self.member, label_id)
        into = validated(LabelMergeSerializer, request.data)["into"]
        into, counts, number = label_merge(member=self.member, label=label, into=into)
        return Response({"label": LabelSerializer(into).data, "moved": counts, "codebook_version": number})

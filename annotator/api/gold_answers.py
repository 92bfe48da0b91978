from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_gold_answer
from annotator.api.answers import AnswerValueField
from annotator.api.base import ScopedListView, ScopedView, expected_version, id_field, validated, version_field
from annotator.api.spans import VERSION_HEADER, VersionSerializer
from annotator.models import GoldAnswer
from annotator.permissions import REVIEWERS
from annotator.representations import gold_answer_json
from annotator.selectors.questions import gold_answer_list
from annotator.services.gold_answers import gold_answer_create, gold_answer_delete, gold_answer_update


class GoldAnswerSerializer(serializers.Serializer):
    """The gold layer's answer to one question about the document."""

    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(read_only=True)
    question = serializers.IntegerField(read_only=True)
    value = AnswerValueField(read_only=True)
    source_answer = serializers.IntegerField(read_only=True, allow_null=True, help_text="The answer copied.")
    created_by = serializers.CharField(read_only=True, allow_null=True, help_text="username")
    version = serializers.IntegerField(read_only=True)
    codebook_version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, gold):
        return gold_answer_json(gold)


class GoldAnswerCreateSerializer(serializers.Serializer):
    question = id_field(required=False)
    value = AnswerValueField(required=False)
    from_answer = id_field(required=False, help_text="Copy this answer of the document into the gold layer.")


class GoldAnswerUpdateSerializer(serializers.Serializer):
    value = AnswerValueField()
    version = version_field()


class GoldAnswerListView(ScopedListView):
    """The gold answers of a document; reviewers and owners set `{question, value}` or copy `{"from_answer": a}`,
    one per question."""

    queryset = GoldAnswer.objects.none()  # for the schema
    serializer_class = GoldAnswerSerializer
    roles = {"GET": REVIEWERS, "POST": REVIEWERS}

    def project_queryset(self):
        return gold_answer_list(document=self.document)

    @extend_schema(
        request=GoldAnswerCreateSerializer,
        responses={201: GoldAnswerSerializer},
        examples=[
            OpenApiExample("A tone", value={"question": 2, "value": "neutral"}, request_only=True),
            OpenApiExample("A copy of an annotator's answer", value={"from_answer": 5}, request_only=True),
        ],
    )
    def post(self, request, project_id, document_id):
        data = validated(GoldAnswerCreateSerializer, request.data)
        gold = gold_answer_create(member=self.member, document=self.document, **data)
        return Response(GoldAnswerSerializer(gold).data, status=201)


class GoldAnswerDetailView(ScopedView):
    serializer_class = GoldAnswerSerializer
    roles = {"GET": REVIEWERS, "PATCH": REVIEWERS, "DELETE": REVIEWERS}

    def get(self, request, project_id, document_id, gold_answer_id):
        return Response(GoldAnswerSerializer(access_gold_answer(self.document, gold_answer_id)).data)

    @extend_schema(request=GoldAnswerUpdateSerializer, parameters=[VERSION_HEADER])
    def patch(self, request, project_id, document_id, gold_answer_id):
        gold = access_gold_answer(self.document, gold_answer_id)
        changes = validated(GoldAnswerUpdateSerializer, request.data)
        version = expected_version(request, changes.pop("version", None))
        gold = gold_answer_update(member=self.member, gold=gold, expected_version=version, **changes)
        return Response(GoldAnswerSerializer(gold).data)

    @extend_schema(request=VersionSerializer, parameters=[VERSION_HEADER])
    def delete(self, request, project_id, document_id, gold_answer_id):
        gold = access_gold_answer(self.document, gold_answer_id)
        body = validated(VersionSerializer, request.data)
        version = expected_version(request, body.get("version"))
        gold_answer_delete(member=self.member, gold=gold, expected_version=version)
        return Response(status=204)

import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_answer
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
from annotator.models import Answer
from annotator.permissions import MEMBERS, REVIEWERS
from annotator.representations import answer_json
from annotator.selectors.questions import answer_list
from annotator.services.answers import answer_create, answer_delete, answer_update
from annotator.services.reviews import answer_review


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "single: one of the options"},
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "multi: distinct options"},
            {"type": "integer", "description": "scale: from min to max"},
        ]
    }
)
class AnswerValueField(serializers.JSONField):
    """An answer's value; whether it answers its question is the answer service's rule (400 naming `value`)."""


class AnswerCreateSerializer(serializers.Serializer):
    question = id_field(help_text="A question of the project, active.")
    value = AnswerValueField()


class AnswerSerializer(AnswerCreateSerializer):
    """An answer as SPEC shows it."""

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

    def to_representation(self, answer):
        return answer_json(answer)


class AnswerUpdateSerializer(serializers.Serializer):
    """The value changes; the question never does (naming it is a 400, not a change quietly dropped)."""

    value = AnswerValueField()
    version = version_field()

    def validate(self, attrs):
        given = self.initial_data if isinstance(self.initial_data, dict) else {}
        if "question" in given:
            raise serializers.ValidationError(
                {"question": ["An answer's question never changes; delete it and answer the other question."]}
            )
        return attrs


class AnswerFilter(django_filters.FilterSet):
    annotator = django_filters.CharFilter(field_name="annotator__username", help_text="A username.")
    question = IdFilter(field_name="question_id", help_text="A question id.")
    review_status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)

    class Meta:
        model = Answer
        fields = []


class AnswerListView(ScopedListView):
    """A document's answers the caller may see, by id; POST answers one question or a list of them."""

    queryset = Answer.objects.none()  # for the schema
    serializer_class = AnswerSerializer
    filterset_class = AnswerFilter
    roles = {"GET": MEMBERS, "POST": MEMBERS}

    def project_queryset(self):
        return answer_list(member=self.member, document=self.document)

    @extend_schema(
        request=one_or_many(AnswerCreateSerializer, "AnswerCreateOneOrMany"),
        responses={201: one_or_many(AnswerSerializer, "AnswerOneOrMany")},
        examples=[
            OpenApiExample("A primary frame", value={"question": 2, "value": "Economic"}, request_only=True),
            OpenApiExample(
                "Frames and a slant",
                value=[{"question": 3, "value": ["Economic", "Political"]}, {"question": 4, "value": -2}],
                request_only=True,
            ),
        ],
    )
    def post(self, request, project_id, document_id):
        return create_one_or_many(
            self,
            request,
            AnswerCreateSerializer,
            lambda items: [answer_create(member=self.member, document=self.document, **item) for item in items],
            AnswerSerializer,
        )


class AnswerDetailView(ScopedView):
    serializer_class = AnswerSerializer
    roles = {"GET": MEMBERS, "PATCH": MEMBERS, "DELETE": MEMBERS}

    def get(self, request, project_id, document_id, answer_id):
        return Response(AnswerSerializer(access_answer(self.member, self.document, answer_id)).data)

    @extend_schema(request=AnswerUpdateSerializer, parameters=[VERSION_HEADER])
    def patch(self, request, project_id, document_id, answer_id):
        answer = access_answer(self.member, self.document, answer_id)
        changes = validated(AnswerUpdateSerializer, request.data)
        version = expected_version(request, changes.pop("version", None))
        answer = answer_update(member=self.member, answer=answer, expected_version=version, **changes)
        return Response(AnswerSerializer(answer).data)

    @extend_schema(request=VersionSerializer, parameters=[VERSION_HEADER])
    def delete(self, request, project_id, document_id, answer_id):
        answer = access_answer(self.member, self.document, answer_id)
        body = validated(VersionSerializer, request.data)
        version = expected_version(request, body.get("version"))
        answer_delete(member=self.member, answer=answer, expected_version=version)
        return Response(status=204)


class AnswerReviewView(ScopedView):
    """A reviewer or owner accepts or rejects an answer, with an optional comment."""

    serializer_class = AnswerSerializer
    roles = {"POST": REVIEWERS}

    @extend_schema(request=ReviewSerializer, responses=AnswerSerializer, parameters=[VERSION_HEADER])
    def post(self, request, project_id, document_id, answer_id):
        answer = access_answer(self.member, self.document, answer_id)
        review = validated(ReviewSerializer, request.data)
        version = expected_version(request, review.pop("version", None))
        answer = answer_review(member=self.member, answer=answer, expected_version=version, **review)
        return Response(AnswerSerializer(answer).data)

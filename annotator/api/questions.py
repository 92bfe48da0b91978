from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_question
from annotator.api.base import ScopedListView, ScopedView, create_one_or_many, validated
from annotator.api.labels import LabelSerializer
from annotator.api.schema import one_or_many
from annotator.choices import QuestionKind
from annotator.models import Question
from annotator.permissions import MEMBERS, OWNERS
from annotator.representations import question_json
from annotator.rules import OPTION_LENGTH_MAX, OPTIONS_MAX
from annotator.selectors.questions import question_list
from annotator.services.questions import (
    question_create_many,
    question_delete,
    question_merge_option,
    question_update,
)

INT32 = 2**31 - 1  # IntegerField's range on every database Django supports


def bound(help_text):
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=-INT32 - 1, max_value=INT32, help_text=help_text
    )


class QuestionSerializer(serializers.ModelSerializer):
    """A document question: `single` and `multi` take two or more distinct `options`, `scale` integers
    `min` < `max`; the key follows the labels' rules, unique among the project's questions."""

    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    options = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=OPTION_LENGTH_MAX),
        required=False,
        max_length=OPTIONS_MAX,
        help_text="single and multi: the options, in order (renaming or removing one that answers choose → 409).",
    )
    min = bound("scale: the lowest value.")
    max = bound("scale: the highest value.")
    key = serializers.CharField(
        max_length=1,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="One-character keyboard shortcut, unique among the project's questions.",
    )

    class Meta:
        model = Question
        fields = ["id", "name", "kind", "options", "min", "max", "required", "description", "key", "active"]
        read_only_fields = ["id"]

    validate_key = LabelSerializer.validate_key

    def to_representation(self, question):
        return question_json(question)


class QuestionCreateSerializer(QuestionSerializer):
    class Meta(QuestionSerializer.Meta):
        read_only_fields = ["id", "active"]


class QuestionListView(ScopedListView):
    """A project's questions by id; owners add one or a list."""

    queryset = Question.objects.none()  # for the schema
    serializer_class = QuestionSerializer
    roles = {"GET": MEMBERS, "POST": OWNERS}

    def project_queryset(self):
        return question_list(project_id=self.member.project_id)

    @extend_schema(
        request=one_or_many(QuestionCreateSerializer, "QuestionCreateOneOrMany"),
        responses={201: one_or_many(QuestionSerializer, "QuestionOneOrMany")},
        examples=[
            OpenApiExample(
                "The Media Frames Corpus's tone",
                value={"name": "Tone", "kind": "single", "options": ["pro", "neutral", "anti"], "required": True},
                request_only=True,
            ),
            OpenApiExample(
                "A slant scale", value={"name": "Slant", "kind": "scale", "min": -3, "max": 3}, request_only=True
            ),
        ],
    )
    def post(self, request, project_id):
        return create_one_or_many(
            self,
            request,
            QuestionCreateSerializer,
            lambda items: question_create_many(member=self.member, items=items),
            QuestionSerializer,
        )


class QuestionDetailView(ScopedView):
    serializer_class = QuestionSerializer
    roles = {"GET": MEMBERS, "PATCH": OWNERS, "DELETE": OWNERS}

    def get(self, request, project_id, question_id):
        return Response(QuestionSerializer(access_question(self.member, question_id)).data)

    def patch(self, request, project_id, question_id):
        question = access_question(self.member, question_id)
        changes = validated(QuestionSerializer, request.data, partial=True)
        question = question_update(member=self.member, question=question, **changes)
        return Response(QuestionSerializer(question).data)

    def delete(self, request, project_id, question_id):
        question_delete(member=self.member, question=access_question(self.member, question_id))
        return Response(status=204)


class QuestionMergeSerializer(serializers.Serializer):
    option = serializers.CharField(trim_whitespace=False, max_length=OPTION_LENGTH_MAX, help_text="The option to drop.")
    into = serializers.CharField(
        trim_whitespace=False, max_length=OPTION_LENGTH_MAX, help_text="The option that takes its answers."
    )


class QuestionMergeCountsSerializer(serializers.Serializer):
    answers = serializers.IntegerField(help_text="Answers changed (their version raised).")
    gold_answers = serializers.IntegerField()


class QuestionMergeResultSerializer(serializers.Serializer):
    question = QuestionSerializer(help_text="The question, without the merged option.")
    moved = QuestionMergeCountsSerializer()
    codebook_version = serializers.IntegerField(help_text="The codebook version the merge made.")


class QuestionMergeView(ScopedView):
    """Merge one option of a single or multi question into another (owners): answers choosing it choose the other,
    and the question loses it."""

    serializer_class = QuestionMergeSerializer
    roles = {"POST": OWNERS}

    @extend_schema(
        request=QuestionMergeSerializer,
        responses={200: QuestionMergeResultSerializer},
        examples=[OpenApiExample("Tone", value={"option": "mixed", "into": "neutral"}, request_only=True)],
    )
    def post(self, request, project_id, question_id):
        question = access_question(self.member, question_id)
        body = validated(QuestionMergeSerializer, request.data)
        question, counts, number = question_merge_option(member=self.member, question=question, **body)
        return Response({"question": QuestionSerializer(question).data, "moved": counts, "codebook_version": number})

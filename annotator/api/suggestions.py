from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotator.access import access_suggestion
from annotator.api.base import ScopedListView, ScopedView, create_one_or_many, id_field, offset_field, validated
from annotator.api.schema import one_or_many
from annotator.api.spans import SpanSerializer
from annotator.choices import Decision
from annotator.models import Suggestion
from annotator.permissions import MEMBERS, REVIEWERS
from annotator.representations import suggestion_json
from annotator.rules import SOURCE_LENGTH_MAX
from annotator.selectors.suggestions import suggestion_list, with_decisions
from annotator.services.suggestions import (
    suggestion_accept,
    suggestion_create_many,
    suggestion_delete,
    suggestion_reject,
    suggestion_withdraw,
)


class SuggestionCreateSerializer(serializers.Serializer):
    label = id_field(help_text="A label of the project, active.")
    start = offset_field()
    end = offset_field()
    score = serializers.FloatField(required=False, allow_null=True, default=None, help_text="null, or from 0 to 1.")
    source = serializers.CharField(max_length=SOURCE_LENGTH_MAX, help_text="Who or what made it, e.g. lexicon:cues.")


class SuggestionSerializer(SuggestionCreateSerializer):
    """A suggestion as SPEC shows it; `decision` is the caller's own."""

    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    decision = serializers.ChoiceField(choices=Decision.choices, read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, suggestion):
        return suggestion_json(suggestion, self.context["document"].text)


class AcceptSerializer(serializers.Serializer):
    label = id_field(required=False, help_text="The span's label, if not the suggestion's: active, of the project.")


OPEN_VALUES = {"true": True, "1": True, "false": False, "0": False}
OPEN = OpenApiParameter(
    "open", bool, required=False, description="true: only the suggestions the caller has not decided."
)


class SuggestionListView(ScopedListView):
    """A document's suggestions, by start, each with the caller's decision; owners and reviewers (a script too,
    with a token) add one or a list."""

    queryset = Suggestion.objects.none()  # for the schema
    serializer_class = SuggestionSerializer
    roles = {"GET": MEMBERS, "POST": REVIEWERS}

    def project_queryset(self):
        given = self.request.query_params.get("open", "false").lower()
        if given not in OPEN_VALUES:
            raise ValidationError({"open": ['Must be "true" or "false".']})
        return suggestion_list(member=self.member, document=self.document, open_only=OPEN_VALUES[given])

    @extend_schema(parameters=[OPEN])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=one_or_many(SuggestionCreateSerializer, "SuggestionCreateOneOrMany"),
        responses={201: one_or_many(SuggestionSerializer, "SuggestionOneOrMany")},
        examples=[
            OpenApiExample(
                "Two suggestions",
                value=[
                    {"label": 1, "start": 0, "end": 3, "score": 0.82, "source": "lexicon:cues"},
                    {"label": 2, "start": 4, "end": 12, "source": "my-model"},
                ],
                request_only=True,
            ),
        ],
    )
    def post(self, request, project_id, document_id):
        return create_one_or_many(
            self,
            request,
            SuggestionCreateSerializer,
            lambda items: with_decisions(
                suggestion_create_many(member=self.member, document=self.document, items=items), member=self.member
            ),
            SuggestionSerializer,
        )


class SuggestionDetailView(ScopedView):
    serializer_class = SuggestionSerializer
    roles = {"DELETE": REVIEWERS}

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, project_id, document_id, suggestion_id):
        suggestion_delete(member=self.member, suggestion=access_suggestion(self.document, suggestion_id))
        return Response(status=204)


class SuggestionAcceptView(ScopedView):
    """Whoever may annotate the document accepts a suggestion: 201 with their new span (origin: the suggestion's
    source), or 200 with the identical span they already had; a second decision → 409."""

    serializer_class = SpanSerializer
    roles = {"POST": MEMBERS}

    @extend_schema(request=AcceptSerializer, responses={200: SpanSerializer, 201: SpanSerializer})
    def post(self, request, project_id, document_id, suggestion_id):
        suggestion = access_suggestion(self.document, suggestion_id, decided_by=self.member.user_id)
        body = validated(AcceptSerializer, request.data)
        span, created = suggestion_accept(member=self.member, suggestion=suggestion, label=body.get("label"))
        return Response(SpanSerializer(span, context={"document": self.document}).data, status=201 if created else 200)


class SuggestionRejectView(ScopedView):
    """Whoever may annotate the document rejects a suggestion: 200 with it; a second decision → 409."""

    serializer_class = SuggestionSerializer
    roles = {"POST": MEMBERS}

    @extend_schema(request=None, responses=SuggestionSerializer)
    def post(self, request, project_id, document_id, suggestion_id):
        suggestion = access_suggestion(self.document, suggestion_id)
        suggestion = suggestion_reject(member=self.member, suggestion=suggestion)
        return Response(SuggestionSerializer(suggestion, context={"document": self.document}).data)


class SuggestionDecisionView(ScopedView):
    """Whoever may annotate the document takes back their decision on a suggestion (an undo): 200 with it, open to
    them again; the span an acceptance made stays. 404 when they have not decided on it."""

    serializer_class = SuggestionSerializer
    roles = {"DELETE": MEMBERS}

    @extend_schema(request=None, responses=SuggestionSerializer)
    def delete(self, request, project_id, document_id, suggestion_id):
        suggestion = access_suggestion(self.document, suggestion_id)
        suggestion = suggestion_withdraw(member=self.member, suggestion=suggestion)
        return Response(SuggestionSerializer(suggestion, context={"document": self.document}).data)

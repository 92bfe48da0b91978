from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from annotator.api.base import ScopedView
from annotator.choices import QuestionKind
from annotator.permissions import MEMBERS
from annotator.services.figures import figures_stats


class AnnotatorStatsSerializer(serializers.Serializer):
    username = serializers.CharField()
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()
    spans = serializers.IntegerField()


class LabelStatsSerializer(serializers.Serializer):
    label = serializers.IntegerField()
    name = serializers.CharField()
    spans = serializers.IntegerField()


class QuotedSourceSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The source span's text: who was quoted.")
    attributions = serializers.IntegerField(help_text="Cues that attribute to a source with this text.")


class SourceStatsSerializer(serializers.Serializer):
    source = serializers.CharField()
    documents = serializers.IntegerField()
    spans = serializers.IntegerField()
    characters = serializers.IntegerField(help_text="Code points of text in the source's documents.")
    labels = serializers.DictField(child=serializers.IntegerField(), help_text="Spans per label name.")
    labels_per_1000_characters = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="The source's framing profile: spans per label name per 1,000 characters of its text.",
    )
    attributions = serializers.IntegerField(
        help_text="Attributions in the source's documents: cues with a relation of the type named `source`."
    )
    quoted = QuotedSourceSerializer(many=True, help_text="The five most quoted sources' texts, most first.")


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "integer"}], "description": "An option, or an integer of a scale."}
)
class QuestionValueField(serializers.JSONField):
    pass


class ValueCountSerializer(serializers.Serializer):
    value = QuestionValueField()
    answers = serializers.IntegerField(help_text="Answers that chose it (a multi answer counts under each option).")


class QuestionSourceStatsSerializer(serializers.Serializer):
    source = serializers.CharField()
    answers = serializers.IntegerField()
    values = ValueCountSerializer(many=True)


class QuestionStatsSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    answers = serializers.IntegerField(help_text="Answers given to the question.")
    values = ValueCountSerializer(
        many=True, help_text="Each option, or each integer of the scale, in order, with the answers that chose it."
    )
    sources = QuestionSourceStatsSerializer(many=True, help_text="The same per source with an answer, by name.")


class SuggestionUserStatsSerializer(serializers.Serializer):
    username = serializers.CharField()
    accepted = serializers.IntegerField(help_text="Suggestions of the source this user accepted.")
    rejected = serializers.IntegerField(help_text="Suggestions of the source this user rejected.")


class SuggestionGoldSerializer(serializers.Serializer):
    documents = serializers.IntegerField(help_text="Documents with at least one gold span: the ones judged.")
    spans = serializers.IntegerField(help_text="Gold spans on them: recall's denominator.")
    suggestions = serializers.IntegerField(help_text="The source's suggestions on them: precision's denominator.")
    matches = serializers.IntegerField(help_text="Those equal to a gold span (label, start and end).")


class SuggestionStatsSerializer(serializers.Serializer):
    source = serializers.CharField()
    suggested = serializers.IntegerField(help_text="Suggestions the source made.")
    documents = serializers.IntegerField(help_text="Documents it made them on.")
    accepted = serializers.IntegerField(
        help_text="Decisions that accepted one: each user decides for themselves, so two accepting one count 2."
    )
    rejected = serializers.IntegerField(help_text="Decisions that rejected one.")
    open = serializers.IntegerField(help_text="Suggestions nobody has decided (a blind annotator: not decided yet).")
    acceptance_rate = serializers.FloatField(
        allow_null=True, help_text="accepted / (accepted + rejected); null before any decision."
    )
    users = SuggestionUserStatsSerializer(many=True, help_text="Decisions per user, by username.")
    gold = SuggestionGoldSerializer(
        allow_null=True, help_text="What precision and recall rest on; null for annotators (gold is reviewers')."
    )
    precision = serializers.FloatField(
        allow_null=True,
        help_text="Of its suggestions on documents with gold, the share equal to a gold span; null without any.",
    )
    recall = serializers.FloatField(
        allow_null=True,
        help_text="Of the gold spans (on every document with gold), the share it suggested; null without gold.",
    )


class StatsSerializer(serializers.Serializer):
    documents = serializers.IntegerField()
    spans = serializers.IntegerField()
    annotators = AnnotatorStatsSerializer(many=True)
    labels = LabelStatsSerializer(many=True)
    sources = SourceStatsSerializer(many=True)
    questions = QuestionStatsSerializer(many=True)
    suggestions = SuggestionStatsSerializer(many=True, help_text="Per source of suggestions, by name.")
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the figures were computed (a cache refreshed by a job, or this request)."
    )
    stale = serializers.BooleanField(help_text="True when changes newer than computed_at are known.")


class StatsView(ScopedView):
    """Counts of documents and spans, per annotator, per label and per source (outlet), with each source's framing
    profile, of the answers to each question, overall and per source, and per source of suggestions its
    decisions and its precision and recall against gold; in a blind project an annotator's counts cover their
    own work only."""

    serializer_class = StatsSerializer
    roles = {"GET": MEMBERS}

    @extend_schema(responses=StatsSerializer)
    def get(self, request, project_id):
        return Response(figures_stats(member=self.member))

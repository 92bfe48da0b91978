from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from annotator.api.base import ScopedView
from annotator.choices import QuestionKind
from annotator.permissions import MEMBERS
from annotator.selectors.stats import project_stats


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


class StatsSerializer(serializers.Serializer):
    documents = serializers.IntegerField()
    spans = serializers.IntegerField()
    annotators = AnnotatorStatsSerializer(many=True)
    labels = LabelStatsSerializer(many=True)
    sources = SourceStatsSerializer(many=True)
    questions = QuestionStatsSerializer(many=True)


class StatsView(ScopedView):
    """Counts of documents and spans, per annotator, per label and per source (outlet), with each source's framing
    profile, and of the answers to each question, overall and per source; in a blind project an annotator's
    counts cover their own work only."""

    serializer_class = StatsSerializer
    roles = {"GET": MEMBERS}

    @extend_schema(responses=StatsSerializer)
    def get(self, request, project_id):
        return Response(project_stats(member=self.member))

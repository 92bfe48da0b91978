from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.api.base import ScopedView
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


class StatsSerializer(serializers.Serializer):
    documents = serializers.IntegerField()
    spans = serializers.IntegerField()
    annotators = AnnotatorStatsSerializer(many=True)
    labels = LabelStatsSerializer(many=True)
    sources = SourceStatsSerializer(many=True)


class StatsView(ScopedView):
    """Counts of documents and spans, per annotator, per label and per source (outlet), with each source's framing
    profile; in a blind project an annotator's counts cover their own work only."""

    serializer_class = StatsSerializer
    roles = {"GET": MEMBERS}

    @extend_schema(responses=StatsSerializer)
    def get(self, request, project_id):
        return Response(project_stats(member=self.member))

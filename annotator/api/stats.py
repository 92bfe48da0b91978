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


class SourceStatsSerializer(serializers.Serializer):
    source = serializers.CharField()
    documents = serializers.IntegerField()
    spans = serializers.IntegerField()
    labels = serializers.DictField(child=serializers.IntegerField(), help_text="Spans per label name.")


class StatsSerializer(serializers.Serializer):
    documents = serializers.IntegerField()
    spans = serializers.IntegerField()
    annotators = AnnotatorStatsSerializer(many=True)
    labels = LabelStatsSerializer(many=True)
    sources = SourceStatsSerializer(many=True)


class StatsView(ScopedView):
    """Counts of documents and spans, per annotator, per label and per source (outlet)."""

    serializer_class = StatsSerializer
    roles = {"GET": MEMBERS}

    @extend_schema(responses=StatsSerializer)
    def get(self, request, project_id):
        return Response(project_stats(project=self.member.project))

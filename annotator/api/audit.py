import django_filters
from rest_framework import serializers

from annotator.api.base import ScopedListView
from annotator.models import AuditEvent
from annotator.permissions import OWNERS


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_username", read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "actor", "action", "object_type", "object_id", "before", "after", "created_at"]
        read_only_fields = fields


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_username")

    class Meta:
        model = AuditEvent
        fields = ["action", "object_type"]


class AuditListView(ScopedListView):
    """The project's audit trail, newest first (owners only)."""

    queryset = AuditEvent.objects.none()  # for the schema
    serializer_class = AuditEventSerializer
    filterset_class = AuditFilter
    roles = {"GET": OWNERS}

    def project_queryset(self):
        return AuditEvent.objects.filter(project_id=self.member.project_id).order_by("-id")

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from annotator.api.base import ScopedView, validated
from annotator.models import Project
from annotator.permissions import MEMBERS, OWNERS
from annotator.presets import PRESETS
from annotator.services.projects import project_create, project_delete, project_update


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, help_text="The caller's role in this project.")
    annotators_per_document = serializers.IntegerField(min_value=1, max_value=100, required=False)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "guidelines",
            "blind",
            "annotators_per_document",
            "role",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "role", "created_at", "updated_at"]
        extra_kwargs = {"guidelines": {"trim_whitespace": False}}


class ProjectCreateSerializer(ProjectSerializer):
    label_preset = serializers.ChoiceField(choices=sorted(PRESETS), required=False, write_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "label_preset"]


class ProjectListView(generics.ListAPIView):
    """Projects the caller belongs to, with the caller's role; POST creates one owned by the caller."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return Project.objects.for_user(self.request.user).order_by("id")

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def post(self, request):
        project = project_create(user=request.user, **validated(ProjectCreateSerializer, request.data))
        project.role = "owner"
        return Response(ProjectSerializer(project).data, status=201)


class ProjectDetailView(ScopedView):
    serializer_class = ProjectSerializer
    roles = {"GET": MEMBERS, "PATCH": OWNERS, "DELETE": OWNERS}

    def _out(self, project):
        project.role = self.member.role
        return Response(ProjectSerializer(project).data)

    def get(self, request, project_id):
        return self._out(self.member.project)

    def patch(self, request, project_id):
        changes = validated(ProjectSerializer, request.data, partial=True)
        return self._out(project_update(member=self.member, **changes))

    def delete(self, request, project_id):
        project_delete(member=self.member)
        return Response(status=204)

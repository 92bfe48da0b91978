from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_member
from annotator.api.base import ScopedListView, ScopedView, create_one_or_many, validated
from annotator.api.schema import one_or_many
from annotator.choices import Role
from annotator.models import Member
from annotator.permissions import MEMBERS, OWNERS
from annotator.representations import member_json
from annotator.selectors.projects import member_list
from annotator.services.members import member_add, member_remove, member_update


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Member
        fields = ["id", "username", "role"]
        read_only_fields = ["id"]

    def to_representation(self, member):
        return member_json(member)


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False, help_text="Left out: nothing changes.")


class MemberListView(ScopedListView):
    """A project's members, by id; owners add one or a list `{username, role}`."""

    queryset = Member.objects.none()  # for the schema
    serializer_class = MemberSerializer
    roles = {"GET": MEMBERS, "POST": OWNERS}

    def project_queryset(self):
        return member_list(project_id=self.member.project_id)

    @extend_schema(
        request=one_or_many(MemberSerializer, "MemberCreateOneOrMany"),
        responses={201: one_or_many(MemberSerializer, "MemberOneOrMany")},
    )
    def post(self, request, project_id):
        return create_one_or_many(
            self,
            request,
            MemberSerializer,
            lambda items: [
                member_add(actor=self.member, username=item["user"]["username"], role=item["role"]) for item in items
            ],
            MemberSerializer,
        )


class MemberDetailView(ScopedView):
    serializer_class = MemberSerializer
    roles = {"GET": MEMBERS, "PATCH": OWNERS, "DELETE": OWNERS}

    def get(self, request, project_id, member_id):
        return Response(MemberSerializer(access_member(self.member, member_id)).data)

    @extend_schema(request=MemberRoleSerializer, responses=MemberSerializer)
    def patch(self, request, project_id, member_id):
        target = access_member(self.member, member_id)
        role = validated(MemberRoleSerializer, request.data).get("role")
        if role is not None:
            target = member_update(actor=self.member, member=target, role=role)
        return Response(MemberSerializer(target).data)

    def delete(self, request, project_id, member_id):
        member_remove(actor=self.member, member=access_member(self.member, member_id))
        return Response(status=204)

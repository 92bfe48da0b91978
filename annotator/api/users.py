from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from annotator.api.base import validated
from annotator.services.users import user_create


class UserSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(read_only=True, allow_blank=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "is_staff"]
        read_only_fields = fields


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="", max_length=254)


class UserCreateView(generics.GenericAPIView):
    """Staff create users; everyone else gets 403."""

    permission_classes = [IsAdminUser]
    serializer_class = UserCreateSerializer

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def post(self, request):
        user = user_create(actor=request.user, **validated(UserCreateSerializer, request.data))
        return Response(UserSerializer(user).data, status=201)


class MeView(generics.GenericAPIView):
    serializer_class = UserSerializer

    def get(self, request):
        return Response(UserSerializer(request.user).data)

"""POST /auth/token/: a token for a username and password, with password guessing locked out (django-axes)."""

from axes.helpers import get_lockout_message
from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from annotator.api.base import validated
from annotator.api.schema import ErrorSerializer
from annotator.lockout import retry_after_seconds


class TokenRequestSerializer(serializers.Serializer):
    # Bounded as the user model bounds them: longer input cannot be a user and must not reach the attempt log.
    username = serializers.CharField(max_length=150, write_only=True)
    password = serializers.CharField(
        max_length=4096, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, request):
        super().__init__(get_lockout_message())
        self.wait = retry_after_seconds(request)  # DRF's handler sends it as Retry-After


class TokenView(generics.GenericAPIView):
    """The caller's token for a username and password; wrong ones answer 400. The 5th failure for one username
    from one address locks that pair out for 15 minutes (429 with Retry-After); a success clears the count."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(ErrorSerializer, description="Too many failed attempts: locked out for a while."),
        },
    )
    def post(self, request):
        credentials = validated(TokenRequestSerializer, request.data)
        # The DRF request carries axes's flags; authenticate() asks the lockout backend first.
        user = authenticate(request=request, **credentials)
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(request)
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}, code="authorization"
            )
        axes_reset(ip=request.axes_ip_address, username=user.get_username())
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

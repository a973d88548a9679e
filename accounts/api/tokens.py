"""The token API of SPEC §20 under /api/v1/: `POST auth/token/` issues a new token for a username and
password (rate-limited per client address, behind the axes lock-out), `DELETE auth/token/` revokes the
token the request came with; `GET auth/tokens/` lists the caller's own working tokens and
`DELETE auth/tokens/{id}/` revokes one of them (another user's answers 404, like a missing one)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.security import TokenRequestSerializer, TokenThrottle
from accounts.tokens import api_token_issue, api_token_list, api_token_of_user, api_token_revoke
from config.errors import DomainError
from config.numbers import parse_whole_number

USER_AGENT_LENGTH = 100  # a token issued here is named after the client that asked (ApiToken.name)


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="the key, shown only now: send `Authorization: Token <key>`")
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="whether this request came with this token")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, token: ApiToken) -> bool:
        used = self.context["request"].auth
        return isinstance(used, ApiToken) and used.pk == token.pk


class NoTokenUsed(DomainError):
    code = "no_token"
    default_message = _(
        "이 요청은 토큰으로 인증되지 않았습니다. 토큰을 폐기하려면 DELETE auth/tokens/{id}/를 사용하세요."
    )


class TokenView(APIView):
    """`POST`: a new token for a username and password; `DELETE`: revoke the token of this request."""

    # The project's parsers refuse NUL and deep JSON (config/parsers.py), as everywhere in the API.
    # mypy: the stubs type the setting as the dotted paths written in settings; api_settings imports them
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # type: ignore[assignment]

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        # Issuing is rate-limited per client address (TokenThrottle); revoking one's own token is not.
        return [TokenThrottle()] if self.request.method == "POST" else super().get_throttles()

    def perform_authentication(self, request):
        # Issuing needs no credentials but the body's: an expired token a client still sends along
        # must not stand in the way of getting a new one (DRF would answer its 401 first).
        if request.method != "POST":
            super().perform_authentication(request)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenIssuedSerializer},
        auth=[],
        description="A new token, valid for API_TOKEN_TTL_DAYS (30 by default); each call issues another.",
    )
    def post(self, request):
        # authenticate() gets Django's request, not DRF's wrapper: axes marks a lock-out on the
        # request it is given, and AxesMiddleware (which sees Django's) turns it into 429 locked_out.
        serializer = TokenRequestSerializer(data=request.data, context={"request": request._request})
        serializer.is_valid(raise_exception=True)
        name = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
        token, key = api_token_issue(user=serializer.validated_data["user"], name=name)
        return Response(TokenIssuedSerializer({"token": key, "expires_at": token.expires_at}).data)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="revoked: the next request with it answers 401"),
            400: OpenApiResponse(description="`no_token`: the request was not authenticated by a token"),
        },
        description="Revoke the token this request is authenticated with.",
    )
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise NoTokenUsed()
        api_token_revoke(token=request.auth, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(generics.ListAPIView):
    """The caller's own tokens that still work (neither revoked nor expired), newest first."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # what the schema reads; requests get their user's below

    def get_queryset(self):
        return api_token_list(user=self.request.user)


TOKEN_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="the token")


class TokenDetailView(APIView):
    @extend_schema(
        parameters=[TOKEN_ID],
        request=None,
        responses={204: OpenApiResponse(description="revoked: the next request with it answers 401")},
    )
    def delete(self, request, id):
        """Revoke one of the caller's own tokens; another user's, or one no longer working, is 404."""
        token = api_token_of_user(user=request.user, token_id=parse_whole_number(id))
        if token is None:
            raise NotFound()
        api_token_revoke(token=token, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<id>/", TokenDetailView.as_view(), name="api-token-detail"),
]

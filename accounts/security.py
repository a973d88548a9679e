"""Login lock-out (django-axes) and the throttle of the API token endpoint.

After AXES_FAILURE_LIMIT wrong passwords for one username from one IP address, that pair is locked
out for AXES_COOLOFF_TIME: even the right password is refused, with a Korean message on the login
page (429). Other users, and the same user from elsewhere, are unaffected.
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import User

LOCKED_OUT_STATUS = 429


def lockout_message() -> str:
    return _(
        "로그인에 여러 번 실패해 이 계정은 15분 동안 잠겼습니다. "
        "잠시 후 다시 시도하거나 사업담당자에게 문의해 주세요."
    )


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, skipped where there is no request (management commands, the shell):
    there is no client to lock out there, and the password check itself still applies."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lock-out explained (AXES_LOCKOUT_CALLABLE)."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=LOCKED_OUT_STATUS)
    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out_message": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=LOCKED_OUT_STATUS)


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's, with a username no longer than a username can be (150): a longer one reached axes'
    record of the failed attempt (255 characters) and failed the request on PostgreSQL (500)."""

    username = serializers.CharField(
        label=gettext_lazy("아이디"), write_only=True, max_length=User._meta.get_field("username").max_length
    )


class TokenView(ObtainAuthToken):
    """`POST /api/v1/auth/token/`: DRF's view, rate-limited per client address (scope `auth-token`)
    on top of the axes lock-out that its authenticate() call goes through."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"
    # ObtainAuthToken names DRF's own parsers; the project's refuse NUL and deep JSON (config/parsers.py).
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    serializer_class = TokenRequestSerializer


obtain_auth_token = TokenView.as_view()

"""Login lock-out (django-axes), the client's address, and the rate limits per client address.

After AXES_FAILURE_LIMIT wrong passwords for one username from one IP address, that pair is locked
out for AXES_COOLOFF_TIME: even the right password is refused, with a Korean message on the login
page and the token endpoint (429). Other users, and the same user from elsewhere, are unaffected.

The client's address is decided by one rule (client_ip), used by the lock-out and the rate limits
alike; the rate limits count in the default cache, shared by all processes when CACHE_URL is set.
"""

import ipaddress
import logging

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from redis.exceptions import RedisError
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User
from accounts.otp import token_otp_check

LOCKED_OUT_STATUS = 429
logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The client's address (AXES_CLIENT_IP_CALLABLE: axes' get_client_ip_address answers with it).

    REMOTE_ADDR, unless AXES_IPWARE_PROXY_COUNT proxies are trusted in front of the app: then the
    address the outermost of them saw, which is the N-th from the right of X-Forwarded-For (each proxy
    appends the address it was called from). Entries further left were written by the client and are
    never believed; a header too short or not an address (the app reached around its proxies) leaves
    REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.AXES_IPWARE_PROXY_COUNT or 0
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if not count or len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


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


class ClientAddressThrottle(SimpleRateThrottle):
    """A rate (DEFAULT_THROTTLE_RATES[scope]) per client address, as the lock-out sees it. Works on
    DRF views and, through allows(), on plain Django views. With the shared cache unreachable the
    request is let through (logged): the lock-out still holds, and the app keeps serving."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": get_client_ip_address(request)}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("rate limit %s not applied: the cache is unreachable", self.scope, exc_info=True)
            return True

    @classmethod
    def allows(cls, request) -> bool:
        return cls().allow_request(request, None)


class TokenThrottle(ClientAddressThrottle):
    scope = "auth-token"


class SignupThrottle(ClientAddressThrottle):
    scope = "signup"


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's, with a username no longer than a username can be (150): a longer one reached axes'
    record of the failed attempt (255 characters) and failed the request on PostgreSQL (500)."""

    username = serializers.CharField(
        label=gettext_lazy("아이디"), write_only=True, max_length=User._meta.get_field("username").max_length
    )
    # Two-factor sign-in (SPEC §20): the code of the user's app, or a recovery code (accounts/otp.py).
    otp = serializers.CharField(
        label=gettext_lazy("인증 코드"), write_only=True, required=False, max_length=32
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        token_otp_check(attrs["user"], attrs.get("otp"))
        return attrs

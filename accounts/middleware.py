"""TwoFactorMiddleware: a signed-in session that owes a second factor reaches only the two-factor pages
(SPEC §20), sign-out, the language switch and static files, until it gives one.

Installed after AuthenticationMiddleware and django-otp's OTPMiddleware (which sets
`request.user.otp_device` from the session). Who owes a code: staff, the ministry, sponsor users and
superusers always (accounts.otp.otp_required); a user of another role who set a device up, from the
sign-in on (marked in the session then, so that other users' requests cost no query). Requests
authenticated by an API token are not sessions: Django sees them anonymous here, and the token endpoint
asks for the code instead (accounts/security.py).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import otp


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _always_open(request.path):
            return self.get_response(request)
        if otp.session_verified(request) or not otp.session_needs_code(request):
            return self.get_response(request)
        has_device = otp.request_has_device(request)
        if not has_device and not otp.otp_required(user):
            # an optional role whose device was reset since it signed in: nothing is owed any more
            request.session.pop(otp.PENDING_SESSION_KEY, None)
            return self.get_response(request)
        allowed = "accounts:two-factor-verify" if has_device else "accounts:two-factor"
        if request.path == reverse(allowed):
            # The page draws no role's menu, inbox or account links: they would only lead back here.
            request.two_factor_pending = True
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("2단계 인증을 마친 뒤에 이용할 수 있습니다.")
            return JsonResponse({"detail": message, "code": "two_factor_required"}, status=403)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(allowed)}?{query}" if query else reverse(allowed))


def _always_open(path: str) -> bool:
    """Sign-out, the language switch, static files and the token endpoint (which asks for the code
    itself) are open to a session that still owes its code."""
    return path.startswith(settings.STATIC_URL or "/static/") or path in _open_paths()


def _open_paths() -> tuple[str, ...]:
    return (reverse("logout"), reverse("set_language"), reverse("api-token"))

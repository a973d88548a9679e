"""An applicant who has not agreed to the current 개인정보 수집·이용 동의 reaches only the consent page.

Signed up before a new version of the text (or before consent was asked at all), they are sent to
`accounts:consent` from any page, and come back where they were going once they agree. Let through:
the consent page itself, signing out, the language switch, static files, health and metrics, and
the API. The API is let through on purpose: a token client cannot read a text or tick a box, and the
middleware runs before DRF has authenticated a token anyway; the text is shown at the applicant's next
sign-in to the site, which is where SPEC §20 asks for it, and `me/export/` (the right of access) must
stay open whatever the answer.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.consent import consent_needed

# Prefixes a user who still owes consent may open (besides the consent page itself).
ALLOWED_PREFIXES = ("/api/", "/static/", "/i18n/", "/health/", "/metrics/", "/accounts/logout/")


class ConsentRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if consent_needed(request.user) and not self._allowed(request.path):
            return redirect(f"{reverse('accounts:consent')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        return path.startswith(ALLOWED_PREFIXES) or path in (
            reverse("accounts:consent"),
            reverse("accounts:export"),
        )

"""Part consent of issue 22 (SPEC §20): the consent page and the personal-data export page.

`/account/consent/` (applicants): the text, the required box while the applicant owes it (the
middleware sends them here), the optional consents to give or withdraw, and what they agreed to and
when. `/account/export/` (anyone signed in): what the download holds, and the button to
`GET /api/v1/me/export/`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.consent import consent_history, consent_needed, consent_record, consent_state
from accounts.consent_forms import ConsentForm
from accounts.decorators import applicant_required
from accounts.models import Consent
from accounts.redirects import next_url


@applicant_required
@require_http_methods(["GET", "POST"])
def consent(request):
    user = request.user
    needs_privacy = consent_needed(user)
    state = consent_state(user=user)
    marketing = state[Consent.Kind.MARKETING]
    form = ConsentForm(
        request.POST if request.method == "POST" else None,  # an empty POST withdraws: still a bound form
        needs_privacy=needs_privacy,
        initial={"marketing": bool(marketing and marketing.agreed)},
    )
    if request.method == "POST" and form.is_valid():
        changed = consent_record(
            user=user,
            privacy=form.cleaned_data.get("privacy", False),
            optional={"marketing": form.cleaned_data["marketing"]},
        )
        if changed:
            messages.success(request, _("동의 내용을 저장했습니다."))
        return redirect(next_url(request))
    context = {
        "form": form,
        "needs_privacy": needs_privacy,
        "history": consent_history(user=user),
        "next": next_url(request),
    }
    return render(request, "accounts/consent/consent.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def export(request):
    return render(request, "accounts/consent/export.html")


urlpatterns: list = [
    path("account/consent/", consent, name="consent"),
    path("account/export/", export, name="export"),
]

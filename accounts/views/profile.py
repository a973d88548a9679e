"""The profile (내 정보, SPEC §20): the account's home. Its own name, e-mail address and phone, and
the links to the account's other pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.forms.profile import ProfileForm
from accounts.limits import password_check
from accounts.roles import is_applicant
from accounts.services.profile import PROFILE_FIELDS, profile_update

# The account's pages, as (words, URL name), in the order the profile lists them. Each part of
# issue 22 adds its page here (tokens, two-factor, consent, export).
ACCOUNT_PAGES = [
    (_("비밀번호 변경"), "accounts:password-change"),
    (_("API 토큰"), "accounts:tokens"),
    (_("2단계 인증"), "accounts:two-factor"),
    (_("개인정보 동의"), "accounts:consent"),
    (_("내 개인정보 내려받기"), "accounts:export"),
]


@sensitive_post_parameters("current_password")
@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    user = request.user
    key = str(user.pk)
    form = ProfileForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        form.may_check_password = not password_check.exceeded(key)
        if form.is_valid():
            changed = profile_update(user=user, **{name: form.cleaned_data[name] for name in PROFILE_FIELDS})
            messages.success(request, _("내 정보를 저장했습니다.") if changed else _("바뀐 내용이 없습니다."))
            return redirect("accounts:profile")
        if not form.may_check_password and form.wrong_password():
            status = 429
        else:
            status = 400
            if form.wrong_password():
                password_check.hit(key)
    # The consent page is applicants' (they sign up themselves: accounts/views/consent.py).
    pages = [
        (label, name) for label, name in ACCOUNT_PAGES if name != "accounts:consent" or is_applicant(user)
    ]
    context = {"form": form, "account_pages": pages, "account": user}
    return render(request, "accounts/profile.html", context, status=status)


urlpatterns = [
    path("account/", profile, name="profile"),
]

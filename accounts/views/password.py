"""Part password of issue 22 (SPEC §20): password reset by e-mail, password change, and the profile
(내 정보, accounts/views/profile.py), on the app's own KRDS pages.

Reset: the request page answers every well-formed address alike — the "sent" page — whether or not
an account has it; the mail (accounts/services/password.py) goes only to an active account's own
address, through the outbox and the task queue. Requests are counted per client address (over
PASSWORD_RESET_IP_RATE: a Korean 429 page) and per address typed (over PASSWORD_RESET_ADDRESS_RATE:
the same "sent" page and no mail). The link's page is Django's PasswordResetConfirmView, which moves
the token from the URL into the session before showing the form, so it never leaks in a Referer.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms.password import ResetRequestForm
from accounts.limits import password_check, reset_per_client
from accounts.security import client_ip
from accounts.services.password import (
    password_change,
    password_reset_complete,
    password_reset_request,
    reset_link_args,
    reset_link_days,
)
from accounts.views import profile


def too_many_checks() -> str:
    return _("현재 비밀번호가 여러 번 틀렸습니다. 잠시 후 다시 시도해 주세요.")


@require_http_methods(["GET", "POST"])
def reset_request(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST":
        if not reset_per_client.hit(client_ip(request)):
            context = {"form": form, "throttled": _("요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.")}
            return render(request, "accounts/password/reset.html", context, status=429)
        if form.is_valid():
            password_reset_request(
                email=form.cleaned_data["email"],
                link=lambda user: request.build_absolute_uri(
                    reverse("accounts:password-reset-confirm", args=reset_link_args(user))
                ),
            )
            return redirect("accounts:password-reset-sent")
    status = 400 if form.errors else 200
    return render(request, "accounts/password/reset.html", {"form": form}, status=status)


@require_GET
def reset_sent(request):
    return render(request, "accounts/password/reset_sent.html", {"days": reset_link_days()})


class ResetConfirmView(PasswordResetConfirmView):
    """Django's link page (the token checked, moved into the session, the form), with the password set
    by the service (audited), 400 for a link that is forged, expired or spent, and no sign-in."""

    template_name = "accounts/password/reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")
    http_method_names = ["get", "post"]

    def form_valid(self, form):
        password_reset_complete(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())

    def render_to_response(self, context, **response_kwargs):
        form = context.get("form")
        if not context.get("validlink") or (form is not None and form.errors):
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


@require_GET
def reset_done(request):
    return render(request, "accounts/password/reset_done.html")


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def change(request):
    """A signed-in user's new password: the current one first (wrong ones counted per account,
    PASSWORD_CHECK_RATE), Django's validators, and this session kept (the others end)."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if password_check.exceeded(str(user.pk)):
            context = {"form": form, "throttled": too_many_checks()}
            return render(request, "accounts/password/change.html", context, status=429)
        if form.is_valid():
            password_change(user=user, password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, _("비밀번호를 바꿨습니다."))
            return redirect("accounts:profile")
        if "old_password" in form.errors:
            password_check.hit(str(user.pk))
    status = 400 if form.errors else 200
    return render(request, "accounts/password/change.html", {"form": form}, status=status)


urlpatterns = [
    path("accounts/password/reset/", reset_request, name="password-reset"),
    path("accounts/password/reset/sent/", reset_sent, name="password-reset-sent"),
    path("accounts/password/reset/done/", reset_done, name="password-reset-done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("account/password/", change, name="password-change"),
    # The profile, the account's home (내 정보): its own module, served with this part's pages.
    *profile.urlpatterns,
]

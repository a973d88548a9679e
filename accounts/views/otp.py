"""Part otp of issue 22 (SPEC §20): the two-factor pages. Setting a device up (the QR code drawn on the
server, its secret as text, a code to confirm it, then the 10 recovery codes shown once), the code asked
after the password, and new recovery codes. The rules are accounts/otp.py's; TwoFactorMiddleware keeps
a session that owes a code on these pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import otp
from accounts.redirects import next_url

LOCKED_OUT_STATUS = 429


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("인증 코드"),
        max_length=32,
        help_text=gettext_lazy("인증 앱에 표시된 6자리 숫자를 입력해 주세요."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": gettext_lazy("인증 코드를 입력해 주세요.")},
    )


class SignInCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.help_text = _("인증 앱의 6자리 숫자, 또는 휴대폰을 쓸 수 없으면 복구 코드 하나를 입력해 주세요.")
        code.widget.attrs["inputmode"] = "text"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """`/account/two-factor/`: the setup page, or the state of a confirmed device."""
    user = request.user
    if otp.request_has_device(request):
        if not otp.session_verified(request):
            return redirect("accounts:two-factor-verify")
        context = {"recovery_codes_left": otp.recovery_codes_left(user), "required": otp.otp_required(user)}
        return render(request, "accounts/two_factor_enabled.html", context)
    hex_key = otp.setup_key(request.session)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = otp.otp_confirm(user=user, hex_key=hex_key, code=form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            otp.session_login(request, device)
            request.session.pop(otp.SETUP_SESSION_KEY, None)
            return render(
                request, "accounts/two_factor_codes.html", {"codes": codes, "next": next_url(request)}
            )
        form.add_error("code", _("인증 코드가 맞지 않습니다. 앱에 지금 표시된 6자리 숫자를 입력해 주세요."))
    uri = otp.provisioning_uri(user=user, hex_key=hex_key)
    page = {
        "form": form,
        "qr_svg": otp.qr_svg(uri),
        "secret": otp.secret_text(hex_key),
        "uri": uri,
        "required": otp.otp_required(user),
        "next": next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", page, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """`/account/two-factor/verify/`: the code asked after the password."""
    if otp.session_verified(request) or not otp.session_needs_code(request):
        return redirect(next_url(request))
    if not otp.request_has_device(request):
        return redirect("accounts:two-factor")
    form = SignInCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        verification = otp.otp_verify(request.user, form.cleaned_data["code"])
        if verification.ok:
            otp.session_login(request, verification.device)
            if isinstance(verification.device, otp.StaticDevice):
                left = otp.recovery_codes_left(request.user)
                messages.warning(
                    request, _("복구 코드를 사용했습니다. 남은 복구 코드: %(left)d개") % {"left": left}
                )
            return redirect(next_url(request))
        form.add_error("code", otp.outcome_message(verification))
        status = (
            LOCKED_OUT_STATUS if verification.outcome in (otp.Outcome.LOCKED, otp.Outcome.THROTTLED) else 400
        )
    elif form.errors:
        status = 400
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": next_url(request)}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request):
    """`/account/two-factor/recovery-codes/`: how many are left; new ones (shown once) on POST."""
    user = request.user
    if not otp.request_has_device(request):
        return redirect("accounts:two-factor")
    if not otp.session_verified(request):
        return redirect("accounts:two-factor-verify")
    if request.method == "POST":
        codes = otp.recovery_codes_regenerate(user=user)
        return render(
            request, "accounts/two_factor_codes.html", {"codes": codes, "next": "", "regenerated": True}
        )
    return render(
        request, "accounts/two_factor_recovery.html", {"recovery_codes_left": otp.recovery_codes_left(user)}
    )


urlpatterns: list = [
    path("account/two-factor/", two_factor_setup, name="two-factor"),
    path("account/two-factor/verify/", two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/recovery-codes/", two_factor_recovery_codes, name="two-factor-recovery-codes"),
]

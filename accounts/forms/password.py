"""The password pages' forms (SPEC §20). Setting and changing a password are Django's forms, with
its validators (AUTH_PASSWORD_VALIDATORS) and its Korean messages; the request asks an address."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("메일 주소"),
        max_length=254,
        help_text=_("계정에 등록한 메일 주소를 적어 주세요."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

"""The profile's form (내 정보, SPEC §20): the fields' rules are the model's (the phone's validator);
a new e-mail address needs the current password, since reset links go to it."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone

User = get_user_model()


class ProfileForm(forms.Form):
    first_name = User._meta.get_field("first_name").formfield(label=_("이름"), required=True)
    email = User._meta.get_field("email").formfield(
        label=_("메일 주소"), required=True, help_text=_("알림과 비밀번호 재설정 메일을 받을 주소입니다.")
    )
    # A model field's validators stay with the model (a plain form runs none): named here too.
    phone = User._meta.get_field("phone").formfield(
        label=_("전화번호"),
        help_text=_("숫자와 하이픈(-)으로 적어 주세요(예: 010-1234-5678)."),
        validators=[validate_phone],
    )
    current_password = forms.CharField(
        label=_("현재 비밀번호"),
        required=False,
        strip=False,
        help_text=_("메일 주소를 바꿀 때만 적어 주세요."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    # False once PASSWORD_CHECK_RATE wrong passwords were typed: the password is then not checked.
    may_check_password = True

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {name: getattr(user, name) for name in ("first_name", "email", "phone")})
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def email_changes(self) -> bool:
        return self.cleaned_data.get("email", self.user.email).casefold() != self.user.email.casefold()

    def clean(self):
        cleaned = self.cleaned_data
        if "email" in cleaned and self.email_changes():
            if not self.may_check_password:
                self.add_error(
                    "current_password", _("현재 비밀번호가 여러 번 틀렸습니다. 잠시 후 다시 시도해 주세요.")
                )
            elif not self.user.check_password(cleaned.get("current_password", "")):
                self.add_error(
                    "current_password", _("메일 주소를 바꾸려면 현재 비밀번호를 정확히 입력해 주세요.")
                )
        return cleaned

    def wrong_password(self) -> bool:
        return "current_password" in self.errors

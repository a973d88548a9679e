"""The consent checkboxes, on the sign-up form and on the consent page: the required one is its own
box, never ticked in advance; the optional ones are separate and may be left empty."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PRIVACY_LABEL = _("위 개인정보 수집·이용에 동의합니다(필수)")
MARKETING_LABEL = _("사업 공고·설명회 안내 메일을 받겠습니다(선택)")


def privacy_field(*, refusal: "StrOrPromise") -> forms.BooleanField:
    return forms.BooleanField(label=PRIVACY_LABEL, required=True, error_messages={"required": refusal})


def marketing_field() -> forms.BooleanField:
    return forms.BooleanField(label=MARKETING_LABEL, required=False)


class ConsentForm(forms.Form):
    """The consent page: the required box only while the user owes it; the optional ones always."""

    privacy = privacy_field(refusal=_("개인정보 수집·이용에 동의해야 서비스를 계속 이용할 수 있습니다."))
    marketing = marketing_field()

    def __init__(self, *args, needs_privacy: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_privacy:
            del self.fields["privacy"]

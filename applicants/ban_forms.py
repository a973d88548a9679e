"""The forms of the participation-ban pages (참여제한, SPEC §15.2). What a ban may be is the service's
to judge (applicants/services/bans.py); these only read what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.models import ParticipationBan


class BanForm(forms.Form):
    subject_type = forms.ChoiceField(
        label=_("대상 구분"), choices=ParticipationBan.SubjectType.choices, widget=forms.RadioSelect
    )
    business_number = forms.CharField(
        label=_("사업자등록번호"), max_length=12, help_text=_("1234567890 또는 123-45-67890")
    )
    reason = forms.CharField(label=_("제한 사유"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("근거"), max_length=200, required=False)
    starts_on = forms.DateField(
        label=_("제한 시작일"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("비워 두면 오늘입니다."),
    )
    ends_on = forms.DateField(
        label=_("제한 종료일"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "비워 두면 시작일부터 3년(마지막 날은 3년 뒤 하루 전)이고, 이전에 제한된 적이 있으면 영구입니다."
        ),
    )
    permanent = forms.BooleanField(label=_("영구 제한"), required=False)

    def ban_values(self) -> dict:
        """The service's keywords: a date typed, or 영구 ticked, says `ends_on` outright."""
        data = dict(self.cleaned_data)
        permanent = data.pop("permanent")
        given = permanent or data["ends_on"] is not None
        return {**data, "ends_on": None if permanent else data["ends_on"], "ends_on_given": given}


class LiftForm(forms.Form):
    note = forms.CharField(label=_("해제 사유"), max_length=500, required=False)

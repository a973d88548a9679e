from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from mentoring.models import Mentor, MentoringSession
from program.choices import Expertise, Region


class MentorForm(forms.ModelForm):
    """Staff keep the mentor pool: expertise, industries (KSIC divisions), regions, capacity."""

    expertise = forms.MultipleChoiceField(
        label=_("전문분야"), choices=Expertise.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    regions = forms.MultipleChoiceField(
        label=_("활동 지역"), choices=Region.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    ksic_divisions = forms.CharField(
        label=_("전문 업종(KSIC 중분류)"),
        required=False,
        help_text=_("제조업 중분류 두 자리를 쉼표로 구분해 입력하세요(예: 26, 29)."),
    )

    class Meta:
        model = Mentor
        fields = [
            "name", "user", "sponsor", "supplier", "affiliation", "expertise", "ksic_divisions", "regions",
            "capacity", "is_active", "bio",
        ]  # fmt: skip
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # mypy: "user" is the ModelForm's ModelChoiceField, not a bare Field
        self.fields["user"].queryset = get_user_model().objects.filter(role=Role.MENTOR).order_by("username")  # type: ignore[attr-defined]
        self.fields["user"].required = False
        if self.instance.pk:
            self.initial["ksic_divisions"] = ", ".join(self.instance.ksic_divisions or [])

    def clean_ksic_divisions(self):
        raw = self.cleaned_data["ksic_divisions"] or ""
        return [part.strip() for part in raw.replace(" ", ",").split(",") if part.strip()]


class SessionForm(forms.ModelForm):
    class Meta:
        model = MentoringSession
        fields = ["held_on", "hours", "mode", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "12"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"hours": _("0.5시간 단위, 12시간까지")}


class AssignForm(forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)
    starts_on = forms.DateField(label=_("시작일"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("종료일"), widget=forms.DateInput(attrs={"type": "date"}))

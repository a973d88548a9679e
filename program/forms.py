from django import forms
from django.utils.translation import gettext_lazy as _

from program.models import Program


class ProgramForm(forms.ModelForm):
    """Staff set up a program: its sponsor, policy (§3.1), budget, rubric (§5) and window."""

    class Meta:
        model = Program
        fields = [
            "title", "year", "sponsor", "agency", "track", "description",
            "gov_ratio", "sponsor_ratio", "sme_ratio",
            "gov_cap_basic", "gov_cap_advanced1", "gov_cap_advanced2",
            "rounding_unit", "cap_excess_to", "gov_budget", "rubric",
            "opens_on", "closes_on", "status",
        ]  # fmt: skip
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "rubric": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "gov_cap_basic": _("비워 두면 한도 없음"),
            "rubric": _(
                '예: [{"key": "plan", "label": "사업계획 적정성", "max_points": 30}, …] (합계 100점)'
            ),
        }

    def clean(self):
        cleaned = super().clean()
        ratios = [cleaned.get(name) for name in ("gov_ratio", "sponsor_ratio", "sme_ratio")]
        if None not in ratios and sum(ratios) != 100:
            self.add_error("gov_ratio", _("분담 비율(정부·주관기관·기업)의 합은 100이어야 합니다."))
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("접수 마감일은 시작일보다 빠를 수 없습니다."))
        return cleaned

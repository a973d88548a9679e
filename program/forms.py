from django import forms
from django.utils.translation import gettext_lazy as _

from program.models import Program


class ProgramForm(forms.ModelForm):
    """Staff set up a program: its sponsor, policy (§3.1), budget, rubric (§5) and window.

    The rules across fields are Program.clean's, which a ModelForm runs and ties to their fields.
    """

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

from django import forms
from django.utils.translation import gettext_lazy as _

from program.choices import DocumentKind
from program.models import Program
from program.selectors import agency_choices


class DocumentKindsField(forms.MultipleChoiceField):
    """The program's required documents as checkboxes; none checked means none required."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=DocumentKind.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("제출 전 필수 서류"),
            help_text=_("신청서를 제출하기 전에 올려야 하는 서류입니다."),
            **kwargs,
        )


class ProgramForm(forms.ModelForm):
    """Staff set up a program: its sponsor, policy (§3.1), budget, rubric (§5) and window.

    The rules across fields are Program.clean's, which a ModelForm runs and ties to their fields.
    The agency offered is the user's own (docs/domain.md §1), chosen already for a new program.
    """

    required_documents = DocumentKindsField()

    class Meta:
        model = Program
        fields = [
            "title", "year", "sponsor", "agency", "track", "description",
            "gov_ratio", "sponsor_ratio", "sme_ratio",
            "gov_cap_basic", "gov_cap_advanced1", "gov_cap_advanced2",
            "rounding_unit", "cap_excess_to", "gov_budget", "rubric", "required_documents",
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        agency.queryset = agency_choices(user=user)  # type: ignore[attr-defined]
        if user.agency_id is not None:
            agency.empty_label = None  # type: ignore[attr-defined]
            agency.initial = agency.initial or user.agency_id

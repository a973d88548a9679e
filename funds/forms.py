from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.forms import KrwField
from funds.models import Contribution, Disbursement
from program.cost_share import MAX_TOTAL


class ContributionForm(forms.Form):
    amount = KrwField(label=_("금액(원)"), min_value=1, max_value=10**15)
    kind = forms.ChoiceField(
        label=_("출연 형태"),
        choices=Contribution.Kind.choices,
        help_text=_("현물은 이 사업 출연금의 20%까지입니다."),
    )
    purpose = forms.ChoiceField(label=_("용도"), choices=Contribution.Purpose.choices)
    received_on = forms.DateField(label=_("입금일"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("비고"), max_length=200, required=False)


class DisbursementForm(forms.Form):
    amount = KrwField(label=_("지급액(원)"), min_value=1, max_value=MAX_TOTAL)
    kind = forms.ChoiceField(label=_("지급 구분"), choices=Disbursement.Kind.choices)
    paid_on = forms.DateField(label=_("지급일"), widget=forms.DateInput(attrs={"type": "date"}))

"""The forms of agreement changes (협약변경, SPEC §16): the SME's request and staff's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.forms import KrwField
from applicants.models import Supplier
from program.cost_share import MAX_TOTAL
from projects.models import AgreementChange

DATE = {"type": "date"}


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("변경 종류"), choices=AgreementChange.Kind.choices, widget=forms.RadioSelect
    )
    cause_on = forms.DateField(
        label=_("변경 사유 발생일"),
        widget=forms.DateInput(attrs=DATE),
        help_text=_("사유 발생일로부터 15일 이내, 협약 종료 1개월 전까지 신청할 수 있습니다."),
    )
    reason = forms.CharField(label=_("변경 사유"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    new_ends_on = forms.DateField(
        label=_("변경 종료일"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("기간 연장일 때만: 연장 후의 협약 종료일."),
    )
    new_supplier = forms.ModelChoiceField(
        label=_("변경 공급기업"),
        queryset=Supplier.objects.order_by("name"),
        required=False,
        help_text=_("공급기업 변경일 때만."),
    )
    new_total_cost = KrwField(
        label=_("변경 총사업비(원)"),
        required=False,
        min_value=1,
        max_value=MAX_TOTAL,
        help_text=_("사업비 변경일 때만: 변경 후의 총사업비(부가세 제외). 분담금은 다시 계산됩니다."),
    )

    KIND_FIELDS = {
        AgreementChange.Kind.EXTENSION: "new_ends_on",
        AgreementChange.Kind.SUPPLIER: "new_supplier",
        AgreementChange.Kind.COST: "new_total_cost",
    }

    def clean(self):
        data = super().clean() or {}
        # Only the kind's own field goes to the service: a value typed for another kind is dropped.
        keep = self.KIND_FIELDS.get(data.get("kind", ""))
        for name in self.KIND_FIELDS.values():
            if name != keep:
                data[name] = None
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("검토 의견"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("반려할 때는 사유를 꼭 적어 주세요."),
    )

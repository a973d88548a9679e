"""Forms of the funded project's pages (SPEC §16–§17). The rules are the services'; a form only reads
what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.models import Supplier
from program.choices import Kpi

KPI_ROWS = len(Kpi.choices)  # every KPI may have its target


class AgreementForm(forms.Form):
    """The draft of the agreement: the period, the supplier, and one row per KPI target (kpi_N,
    baseline_N, target_N); blank rows are left out."""

    starts_on = forms.DateField(
        label=_("협약 시작일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("협약 종료일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    supplier = forms.ModelChoiceField(
        label=_("공급기업"), queryset=Supplier.objects.order_by("name"), required=False
    )
    # Not an input: where the service's reasons about the KPI targets as a whole land (the table's).
    kpi_targets = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("성과지표 선택")), *Kpi.choices]
        for index in range(KPI_ROWS):
            self.fields[f"kpi_{index}"] = forms.ChoiceField(
                label=_("성과지표 %d") % (index + 1), choices=choices, required=False
            )
            for name, label in (("baseline", _("기준값")), ("target", _("목표값"))):
                self.fields[f"{name}_{index}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=30,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )

    @classmethod
    def initial_for(cls, agreement) -> dict:
        initial = {
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "supplier": agreement.supplier_id,
        }
        for index, row in enumerate(agreement.kpi_targets[:KPI_ROWS]):
            initial.update(
                {
                    f"kpi_{index}": row["kpi"],
                    f"baseline_{index}": row["baseline"],
                    f"target_{index}": row["target"],
                }
            )
        return initial

    def targets(self) -> list[dict]:
        rows = []
        for index in range(KPI_ROWS):
            row = {
                name: self.cleaned_data.get(f"{name}_{index}") or "" for name in ("kpi", "baseline", "target")
            }
            if any(row.values()):
                rows.append(row)
        return rows

    def rows(self) -> list[tuple]:
        """(kpi, baseline, target) bound fields per row, for the table."""
        return [(self[f"kpi_{i}"], self[f"baseline_{i}"], self[f"target_{i}"]) for i in range(KPI_ROWS)]


class AgreementSignForm(forms.Form):
    password = forms.CharField(
        label=_("비밀번호"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("서명하려면 로그인 비밀번호를 다시 입력해 주세요."),
    )
    confirmed = forms.BooleanField(
        label=_("협약 내용을 확인했습니다"),
        error_messages={"required": _("협약 내용을 확인했다는 데 표시해 주세요.")},
    )

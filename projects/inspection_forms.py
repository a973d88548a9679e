"""The staff inspection form of the inspection panel (SPEC §17): the three checks, one box per KPI
target (baseline → target → result), the audit report from the application's documents, the result,
the note and the rework's due date."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from applicants.models import Attachment
from projects.models import Inspection

KPI_PREFIX = "kpi_"


def _figure(value) -> str:
    """A KPI figure as people write it: grouped, without trailing zeros (125, not 125.0000)."""
    if value in (None, ""):
        return "—"
    try:
        plain = format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)
    return number_format(plain, use_l10n=True, force_grouping=True)


class InspectionForm(forms.Form):
    installed = forms.BooleanField(label=_("설치 확인: 협약한 설비·솔루션이 설치되어 있다"), required=False)
    operating = forms.BooleanField(label=_("가동 확인: 현장에서 실제로 가동되고 있다"), required=False)
    data_collected = forms.BooleanField(
        label=_("데이터 수집 확인: 생산 데이터가 수집되고 있다"), required=False
    )
    audit_report = forms.ModelChoiceField(
        label=_("감리 보고서"),
        queryset=Attachment.objects.none(),
        required=False,
        empty_label=_("없음"),
        help_text=_("이 신청서에 올라온 서류에서 고릅니다."),
    )
    result = forms.ChoiceField(
        label=_("점검 결과"), choices=Inspection.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("점검 의견"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("보완·부적합 판정에는 필수입니다. 신청기업에 알림으로 갑니다."),
    )
    rework_due = forms.DateField(
        label=_("보완 기한"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("보완 판정에만 적용됩니다: 내일부터 60일 안."),
    )

    def __init__(self, *args, application, targets: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audit_report"].queryset = application.attachments.order_by("kind", "-uploaded_at")  # type: ignore[attr-defined]
        self.kpi_names = []
        for row in targets:
            name = KPI_PREFIX + row["kpi"]
            self.kpi_names.append(name)
            label = _("%(label)s: 도입 전 %(baseline)s → 목표 %(target)s · 결과 %(result)s") % {
                "label": row["label"],
                "baseline": _figure(row["baseline"]),
                "target": _figure(row["target"]),
                "result": _figure(row["result"]),
            }
            self.fields[name] = forms.BooleanField(label=label, required=False)

    def kpi_fields(self):
        return [self[name] for name in self.kpi_names]

    def check_fields(self):
        return [self["installed"], self["operating"], self["data_collected"]]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "installed": data["installed"],
            "operating": data["operating"],
            "data_collected": data["data_collected"],
            "kpis": {name[len(KPI_PREFIX) :]: data[name] for name in self.kpi_names},
            "audit_report": data["audit_report"],
            "result": data["result"],
            "note": data["note"],
            "rework_due": data["rework_due"],
        }


class CompletionReportForm(forms.Form):
    file = forms.FileField(
        label=_("완료보고서 파일"),
        help_text=_("PDF, PNG, JPG, XLSX, HWP 파일, 한 파일에 20MB까지."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.hwp"}),
    )


# Where a refusal of the service is shown: at its field, else above the form.
ERROR_FIELDS = {
    "checks_incomplete": "installed",
    "note_required": "note",
    "note_too_long": "note",
    "due_on_required": "rework_due",
    "due_on_invalid": "rework_due",
    "audit_report_invalid": "audit_report",
    "result_invalid": "result",
}

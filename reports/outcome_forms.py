"""The outcomes form: one row (a small form with the KPI as its prefix) per KPI.

The form only reads what was typed; the rules (ranges, whole numbers, dates) are reports.outcomes'
and come back onto the row's fields from its ValidationError.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reports.models import Outcome
from reports.outcomes import UNITS, WHOLE_KPIS

K = Outcome.Kpi


class KpiValueField(forms.CharField):
    """A number as people type it: `1,234,000`, `3.5`, `-20,000,000` (an operating loss)."""

    default_error_messages = {"invalid": _("숫자로 입력해 주세요(예: 1,234 또는 3.5).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        cleaned = re.sub(r"[\s,]", "", value).removesuffix("원").removesuffix("%")
        if not cleaned.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def display_value(value) -> str:
    """A stored value as people read it: `1,234,000`, `3.5` rather than `3.5000`, `-20,000,000`."""
    if value is None or value == "":
        return ""
    text = format(Decimal(value).normalize(), "f")
    whole, _dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}" + (f".{fraction}" if fraction else "")


def _help(kpi: str) -> str:
    unit = UNITS[kpi]
    if kpi in Outcome.PERCENT_KPIS:
        return _("단위: %(unit)s, 0~100") % {"unit": unit}
    if kpi == K.OPERATING_PROFIT:
        return _("단위: %(unit)s, 정수(손실은 음수)") % {"unit": unit}
    if kpi in WHOLE_KPIS:
        return _("단위: %(unit)s, 정수") % {"unit": unit}
    return _("단위: %(unit)s") % {"unit": unit}


class OutcomeRowForm(forms.Form):
    """One KPI: before and after the smart factory, and when each was measured."""

    baseline = KpiValueField(label=_("도입 전"))
    result = KpiValueField(label=_("도입 후"))
    baseline_on = forms.DateField(
        label=_("도입 전 측정일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    measured_on = forms.DateField(
        label=_("도입 후 측정일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, kpi: str, outcome: Outcome | None = None, **kwargs):
        self.kpi = kpi
        self.label = K(kpi).label
        self.unit = UNITS[kpi]
        if outcome is not None:
            kwargs["initial"] = {
                "baseline": display_value(outcome.baseline),
                "result": display_value(outcome.result),
                "baseline_on": outcome.baseline_on,
                "measured_on": outcome.measured_on,
            }
        kwargs["prefix"] = kpi
        super().__init__(*args, **kwargs)
        for name in ("baseline", "result"):
            self.fields[name].help_text = _help(kpi)

    def filled(self) -> bool:
        """Whether anything was typed in the row: empty rows are left alone."""
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.filled():
            for name in ("baseline", "result", "measured_on"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("이 지표를 입력하려면 이 값도 필요합니다."))
        return data

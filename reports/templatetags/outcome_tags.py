"""Outcomes for people: a KPI value with its unit (`1,234,000원`, `3.5%`) and a signed change (`+12.5%`)."""

from django import template
from django.utils.translation import gettext as _

from reports.outcome_forms import display_value
from reports.outcomes import UNITS, change_percent, outcome_list

register = template.Library()


@register.filter
def kpi_value(value, kpi: str) -> str:
    text = display_value(value)
    if not text:
        return "–"
    unit = str(UNITS.get(kpi, ""))
    if unit in ("", "%"):
        return f"{text}{unit}"
    return _("%(value)s%(unit)s") % {"value": text, "unit": unit}


@register.filter
def signed_percent(value) -> str:
    """`+12.5%`, `-3.0%`, `0.0%`; `–` where there is no figure."""
    if value is None or value == "":
        return "–"
    if value == 0:
        return "0.0%"
    return f"+{value}%" if value > 0 else f"{value}%"


@register.filter
def outcome_change(outcome) -> str:
    """An outcome's change %, improvement positive."""
    return signed_percent(change_percent(outcome.kpi, outcome.baseline, outcome.result))


@register.simple_tag
def outcomes_of(application):
    """The application's outcomes in the KPIs' order (one query)."""
    return outcome_list(application_id=application.pk)


@register.filter
def signed_points(value) -> str:
    """A difference in percentage points: `+5.0`, `-3.2`; `–` where there is none."""
    if value is None or value == "":
        return "–"
    return f"+{value}" if value > 0 else str(value if value != 0 else 0.0)

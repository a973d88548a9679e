"""성과 (docs/domain.md §8): KPI baselines and results per application, and their aggregates.

Writes go through `outcome_save`; the aggregates compare adopters with the comparison group
(rejected or withdrawn applicants who reported the same KPIs), each in one grouped query.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Case, Count, FloatField, Q, Value, When
from django.db.models.functions import Abs, Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_applicant, is_official, is_sponsor_user
from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE
from applicants.selectors import application_list, application_lock
from config.errors import Conflict, NotAllowed
from program.services import audit_event_record
from program.validators import validate_plausible_date
from reports.models import Outcome
from reports.permissions import can_report_outcomes

S = Application.Status
K = Outcome.Kpi

# An adopter reports once its project is completed; a rejected or withdrawn applicant reports as
# the comparison group (docs/domain.md §8). A project being built or inspected enters its results
# too: `submit_completion` needs one for every KPI target of the agreement (SPEC §17). Nothing is
# reported before that.
REPORTABLE = (S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED, S.REJECTED, S.WITHDRAWN)
# The aggregates count as adopters the projects a sponsor's money supports (as the dashboard does),
# but not a terminated one: its agreement was ended, its results are not the program's.
ADOPTERS = tuple(s for s in SPONSOR_VISIBLE if s != S.TERMINATED)
COMPARISON = (S.REJECTED, S.WITHDRAWN)

MONEY_KPIS = frozenset({K.UNIT_COST, K.REVENUE, K.OPERATING_PROFIT, K.RD_SPEND})
# Counts, and money (whole won, docs/domain.md §2), take no fractions.
WHOLE_KPIS = frozenset({K.EMPLOYEES, K.ACCIDENTS}) | MONEY_KPIS
# Keyed by the KPI's value (a Kpi member is that str), as rows from .values() give it.
UNITS: dict[str, str | Promise] = {
    K.PRODUCTIVITY: gettext_lazy("개/시간"),
    K.DEFECT_RATE: "%",
    K.UNIT_COST: gettext_lazy("원"),
    K.LEAD_TIME: gettext_lazy("일"),
    K.ON_TIME_DELIVERY: "%",
    K.REVENUE: gettext_lazy("원"),
    K.OPERATING_PROFIT: gettext_lazy("원"),
    K.EMPLOYEES: gettext_lazy("명"),
    K.RD_SPEND: gettext_lazy("원"),
    K.ACCIDENTS: gettext_lazy("건"),
}
DECIMAL_PLACES = 4
MAX_ABS = Decimal(10) ** (20 - DECIMAL_PLACES)  # the column holds 20 digits, 4 after the point
ONE_PLACE = Decimal("0.1")


# --- rules ----------------------------------------------------------------------------------------


def change_percent(kpi: str, baseline, result) -> Decimal | None:
    """The change from baseline to result in %, to one decimal, oriented so that improvement is
    positive (a fall in defects is +). None when the baseline is 0: no change % exists then.

    Divided by |baseline| so that a loss turning into a profit is an improvement too.
    """
    baseline, result = Decimal(baseline), Decimal(result)
    if baseline == 0:
        return None
    change = (result - baseline) * 100 / abs(baseline)
    if kpi in Outcome.LOWER_IS_BETTER:
        change = -change
    if change == 0:
        change = Decimal(0)  # no "-0.0"
    return change.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _kpi_label(kpi: str) -> str:
    return str(K(kpi).label)


def _value(raw, kpi: str) -> tuple[Decimal | None, str | None]:
    """A KPI value as a Decimal, or the reason it is refused."""
    if raw is None or raw == "":
        return None, _("값을 입력해 주세요.")
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None, _("숫자로 입력해 주세요.")
    if not value.is_finite():
        return None, _("숫자로 입력해 주세요.")
    if value < 0 and kpi != K.OPERATING_PROFIT:
        return None, _("0 이상이어야 합니다.")
    if kpi in Outcome.PERCENT_KPIS and value > 100:
        return None, _("백분율은 100을 넘을 수 없습니다.")
    if abs(value) >= MAX_ABS:
        return None, _("값이 너무 큽니다.")
    if kpi in WHOLE_KPIS and value != value.to_integral_value():
        return None, _("정수로 입력해 주세요.")
    if value != value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES)):
        return None, _("소수점 아래 %(places)d자리까지 입력할 수 있습니다.") % {"places": DECIMAL_PLACES}
    return value, None


def _date(raw) -> tuple[datetime.date | None, str | None]:
    """A date (or an ISO 8601 string of one), None when empty, or the reason it is refused."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, datetime.datetime):
        return raw.date(), None
    if isinstance(raw, datetime.date):
        return raw, None
    try:
        return datetime.date.fromisoformat(str(raw)), None
    except ValueError:
        return None, _("날짜를 YYYY-MM-DD 형식으로 입력해 주세요.")


def _clean(*, kpi, baseline, result, measured_on, baseline_on) -> dict:
    """The values to store, or a ValidationError with every refused field and its reason."""
    if kpi not in K.values:
        raise ValidationError({"kpi": _("알 수 없는 성과지표입니다: %s") % kpi})
    errors = {}
    values = {}
    for field, raw in (("baseline", baseline), ("result", result)):
        values[field], error = _value(raw, kpi)
        if error:
            errors[field] = error
    today = timezone.localdate()
    measured_on, error = _date(measured_on)
    if error or measured_on is None:
        errors["measured_on"] = error or _("측정일을 입력해 주세요.")
    elif measured_on > today:
        errors["measured_on"] = _("측정일은 오늘 이후일 수 없습니다.")
    baseline_on, error = _date(baseline_on)
    if error:
        errors["baseline_on"] = error
    elif baseline_on is not None and baseline_on > today:
        errors["baseline_on"] = _("도입 전 측정일은 오늘 이후일 수 없습니다.")
    for name, day in (("measured_on", measured_on), ("baseline_on", baseline_on)):
        if name not in errors:
            try:
                validate_plausible_date(day)
            except ValidationError as invalid:
                errors[name] = invalid.messages[0]
    if not errors and baseline_on is not None and measured_on < baseline_on:
        errors["measured_on"] = _("측정일은 도입 전 측정일(%s)보다 빠를 수 없습니다.") % (
            baseline_on.isoformat()
        )
    if errors:
        raise ValidationError(errors)
    return {**values, "baseline_on": baseline_on, "measured_on": measured_on}


def _plain(value):
    """A stored value as the audit trail keeps it (JSON): `4.5`, not `4.5000`; dates in ISO 8601."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --- writes ---------------------------------------------------------------------------------------


@transaction.atomic
def outcome_save(
    *, actor, application: Application, kpi: str, baseline, result, measured_on, baseline_on=None
) -> Outcome:
    """Enter or correct one KPI of an application (one row per application and KPI), audited.

    Raises NotAllowed (403) for anyone but staff and the company's applicants, Conflict
    `outcome_not_allowed` (409) while the application is neither being built, inspected, completed,
    rejected nor withdrawn,
    and ValidationError with each refused field otherwise; nothing changes then.
    """
    # The application lock serialises two entries of the same KPI (the unique row is made once).
    application = application_lock(application_id=application.pk)
    if not can_report_outcomes(actor, application):
        raise NotAllowed()
    if application.status not in REPORTABLE:
        raise Conflict(
            _("성과는 구축·완료점검·완료·탈락·포기 상태의 신청서에만 입력할 수 있습니다(현재: %s).")
            % application.get_status_display(),
            code="outcome_not_allowed",
        )
    values = _clean(
        kpi=kpi, baseline=baseline, result=result, measured_on=measured_on, baseline_on=baseline_on
    )
    current = Outcome.objects.filter(application=application, kpi=kpi).first()
    if current is None:
        outcome = Outcome.objects.create(application=application, kpi=kpi, entered_by=actor, **values)
        after = {"kpi": kpi, **{name: _plain(value) for name, value in values.items()}}
        audit_event_record(actor=actor, action="outcome.create", target=application, after=after)
        return outcome
    before = {name: _plain(getattr(current, name)) for name in values}
    after = {name: _plain(value) for name, value in values.items()}
    changed = [name for name in values if before[name] != after[name]]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    current.entered_by = actor
    current.save()
    audit_event_record(
        actor=actor,
        action="outcome.update",
        target=application,
        before={"kpi": kpi, **{name: before[name] for name in changed}},
        after={"kpi": kpi, **{name: after[name] for name in changed}},
    )
    return current


# --- reads ----------------------------------------------------------------------------------------


def outcome_visible_list(*, user):
    """The outcomes `user` may read: officials those of the applications in their scope (staff their
    agency's, the ministry all); an SME its company's; a sponsor those of the projects its money
    supports (not the comparison group's, which it sees only in aggregate); others none."""
    if is_official(user):
        return Outcome.objects.filter(application__in=application_list(user=user).values("pk"))
    if is_applicant(user) and user.company_id:
        return Outcome.objects.filter(application__company_id=user.company_id)
    if is_sponsor_user(user):
        return Outcome.objects.filter(
            application__program__sponsor_id=user.sponsor_id, application__status__in=SPONSOR_VISIBLE
        )
    return Outcome.objects.none()


def outcome_list(*, application_id: int):
    """One application's outcomes, in KPI order of the form."""
    order = Case(*(When(kpi=kpi, then=Value(i)) for i, kpi in enumerate(K.values)))
    return Outcome.objects.filter(application_id=application_id).order_by(order)


def _oriented_change():
    """(result − baseline) / |baseline| × 100 in SQL, as a float: not yet negated for the KPIs where
    lower is better (their sign is flipped in Python, per KPI)."""
    baseline = Cast("baseline", FloatField())
    return (Cast("result", FloatField()) - baseline) * Value(100.0) / Abs(baseline)


def outcome_scope(*, program_id=None, sponsor_id=None, year=None, agency_id=None) -> Q:
    """The outcomes of a program, a sponsor's programs, a program year and/or an agency's programs
    (None: any)."""
    scope = Q()
    if agency_id is not None:
        scope &= Q(application__program__agency_id=agency_id)
    if program_id is not None:
        scope &= Q(application__program_id=program_id)
    if sponsor_id is not None:
        scope &= Q(application__program__sponsor_id=sponsor_id)
    if year is not None:
        scope &= Q(application__program__year=year)
    return scope


def _scoped(*, program_id=None, sponsor_id=None, year=None, agency_id=None):
    # No change % exists from a baseline of 0: such rows are left out of both groups.
    scope = outcome_scope(program_id=program_id, sponsor_id=sponsor_id, year=year, agency_id=agency_id)
    return Outcome.objects.filter(scope).exclude(baseline=0)


def _oriented(kpi: str, mean) -> float | None:
    if mean is None:
        return None
    return -float(mean) if kpi in Outcome.LOWER_IS_BETTER else float(mean)


def _figure(companies: int, mean: float | None) -> dict:
    return {"companies": companies, "mean_change_percent": None if mean is None else round(mean, 1)}


def outcome_aggregates(*, program_id=None, sponsor_id=None, year=None, agency_id=None) -> dict:
    """Per KPI (in the model's order, every KPI present): its label and unit, the adopters' and the
    comparison group's number of companies and mean change % (improvement positive), and the
    difference adopters − comparison in percentage points (None unless both groups reported).
    One query."""
    group = Case(When(application__status__in=ADOPTERS, then=Value("adopters")), default=Value("comparison"))
    rows = (
        _scoped(program_id=program_id, sponsor_id=sponsor_id, year=year, agency_id=agency_id)
        .filter(application__status__in=ADOPTERS + COMPARISON)
        .annotate(group=group)
        .values("kpi", "group")
        .annotate(companies=Count("application__company", distinct=True), mean=Avg(_oriented_change()))
        .order_by()
    )
    found = {(row["kpi"], row["group"]): row for row in rows}
    result: dict[str, dict] = {}
    for kpi, label in K.choices:
        means = {}
        figures = {}
        for name in ("adopters", "comparison"):
            row = found.get((kpi, name))
            means[name] = _oriented(kpi, row["mean"]) if row else None
            figures[name] = _figure(row["companies"] if row else 0, means[name])
        difference = None
        if means["adopters"] is not None and means["comparison"] is not None:
            difference = round(means["adopters"] - means["comparison"], 1)
        result[kpi] = {
            "kpi": kpi,
            "label": str(label),
            "unit": str(UNITS[kpi]),
            **figures,
            "difference": difference,
        }
    return result


def outcome_aggregates_by_year(*, sponsor_id=None, program_id=None, agency_id=None) -> list[dict]:
    """The adopters' figures per program year and KPI, years ascending, KPIs in the model's order;
    only the (year, KPI) pairs that were reported. One query."""
    rows = (
        _scoped(program_id=program_id, sponsor_id=sponsor_id, agency_id=agency_id)
        .filter(application__status__in=ADOPTERS)
        .values("application__program__year", "kpi")
        .annotate(companies=Count("application__company", distinct=True), mean=Avg(_oriented_change()))
        .order_by()
    )
    position = {kpi: i for i, kpi in enumerate(K.values)}
    rows = sorted(rows, key=lambda row: (row["application__program__year"], position.get(row["kpi"], 99)))
    return [
        {
            "year": row["application__program__year"],
            "kpi": row["kpi"],
            "label": _kpi_label(row["kpi"]),
            "unit": str(UNITS[row["kpi"]]),
            **_figure(row["companies"], _oriented(row["kpi"], row["mean"])),
        }
        for row in rows
    ]

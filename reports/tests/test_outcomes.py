"""reports.outcomes: who may enter outcomes, which values are refused, the orientation of change %,
the audit trail, and the aggregates with their comparison group (docs/domain.md §8)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applicants.models import Application
from config.errors import Conflict, NotAllowed
from program.models import AuditEvent
from reports.models import Outcome
from reports.outcomes import (
    change_percent,
    outcome_aggregates,
    outcome_aggregates_by_year,
    outcome_save,
)
from reports.tests.report_data import outcome_for
from tests.factories import (
    ApplicationFactory,
    EvaluatorAssignmentFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status
BASE_ON = datetime.date(2024, 6, 30)
MEASURED_ON = datetime.date(2025, 6, 30)


def save(actor, application, kpi="productivity", baseline="100", result="130", **extra):
    values = {"measured_on": MEASURED_ON, "baseline_on": BASE_ON, **extra}
    return outcome_save(
        actor=actor, application=application, kpi=kpi, baseline=baseline, result=result, **values
    )


def refused(actor, application, **values) -> dict:
    with pytest.raises(ValidationError) as info:
        save(actor, application, **values)
    return info.value.message_dict


# --- change % --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi", "baseline", "result", "expected"),
    [
        ("productivity", "100", "130", "30.0"),  # more output per hour: better
        ("productivity", "100", "70", "-30.0"),
        ("defect_rate", "4.0", "3.0", "25.0"),  # fewer defects: better, so positive
        ("defect_rate", "4.0", "5.0", "-25.0"),
        ("unit_cost", "1000", "708", "29.2"),
        ("lead_time", "10", "8.1", "19.0"),
        ("accidents", "4", "5", "-25.0"),
        ("revenue", "3", "4", "33.3"),  # rounded half up to one decimal
        ("revenue", "3", "2", "-33.3"),
        ("operating_profit", "-100", "50", "150.0"),  # a loss turned into a profit improved
        ("operating_profit", "-100", "-200", "-100.0"),
        ("on_time_delivery", "90", "90", "0.0"),
        ("defect_rate", "2", "2", "0.0"),  # not "-0.0"
    ],
)
def test_change_percent_is_oriented_so_that_improvement_is_positive(kpi, baseline, result, expected):
    assert change_percent(kpi, Decimal(baseline), Decimal(result)) == Decimal(expected)


def test_there_is_no_change_percent_from_a_zero_baseline():
    assert change_percent("accidents", Decimal(0), Decimal(2)) is None
    assert change_percent("revenue", 0, 0) is None


# --- who may enter outcomes -----------------------------------------------------------------------


def test_the_owner_enters_an_outcome_of_its_completed_project_and_it_is_audited(owner, completed):
    outcome = save(owner, completed, baseline="100", result="130.5")

    assert (outcome.kpi, outcome.baseline, outcome.result) == ("productivity", Decimal(100), Decimal("130.5"))
    assert (outcome.baseline_on, outcome.measured_on, outcome.entered_by) == (BASE_ON, MEASURED_ON, owner)
    event = AuditEvent.objects.get(action="outcome.create")
    assert event.actor == owner and event.object_id == completed.pk
    assert event.after == {
        "kpi": "productivity",
        "baseline": "100",
        "result": "130.5",
        "baseline_on": "2024-06-30",
        "measured_on": "2025-06-30",
    }


def test_a_correction_updates_the_one_row_and_audits_before_and_after(owner, completed, staff):
    save(owner, completed, baseline="100", result="130")
    outcome = save(staff, completed, baseline="100", result="125")

    assert Outcome.objects.count() == 1
    assert outcome.result == Decimal(125) and outcome.entered_by == staff
    event = AuditEvent.objects.get(action="outcome.update")
    assert event.actor == staff
    assert (event.before, event.after) == (
        {"kpi": "productivity", "result": "130"},
        {"kpi": "productivity", "result": "125"},
    )


def test_saving_the_same_values_again_changes_and_audits_nothing(owner, completed):
    save(owner, completed, baseline="4.5", result="3")
    save(owner, completed, baseline=Decimal("4.50"), result="3.0000")
    assert AuditEvent.objects.filter(action__startswith="outcome.").count() == 1


@pytest.mark.parametrize("status", [S.REJECTED, S.WITHDRAWN])
def test_a_rejected_or_withdrawn_applicant_reports_as_the_comparison_group(owner, status):
    application = ApplicationFactory(company=owner.company, status=status)
    assert save(owner, application).application == application


@pytest.mark.parametrize("status", [S.BUILDING, S.COMPLETION_REVIEW])
def test_a_project_being_built_or_inspected_enters_its_results(owner, staff, status):
    application = ApplicationFactory(company=owner.company, status=status)
    for actor in (owner, staff):
        assert save(actor, application).application == application


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.SUBMITTED, S.EVALUATION, S.SELECTED, S.AGREEMENT, S.TERMINATED]
)
def test_nothing_is_reported_while_the_application_is_under_way(owner, staff, status):
    application = ApplicationFactory(company=owner.company, status=status)
    for actor in (owner, staff):
        with pytest.raises(Conflict) as info:
            save(actor, application)
        assert info.value.code == "outcome_not_allowed" and info.value.status_code == 409
    assert not Outcome.objects.exists() and not AuditEvent.objects.exists()


def test_staff_enter_outcomes_for_any_company(staff):
    application = ApplicationFactory(status=S.COMPLETED)
    assert save(staff, application).entered_by == staff


@pytest.mark.parametrize("who", ["other applicant", "sponsor", "evaluator", "mentor", "inactive owner"])
def test_no_one_else_may_enter_outcomes(who, completed, owner):
    if who == "other applicant":
        actor = UserFactory(applicant=True)
    elif who == "sponsor":
        actor = UserFactory(sponsor_user=True, sponsor=completed.program.sponsor)
    elif who == "evaluator":
        actor = EvaluatorAssignmentFactory(application=completed).evaluator
    elif who == "mentor":
        actor = MentoringAssignmentFactory(application=completed).mentor.user
    else:
        owner.is_active = False
        owner.save()
        actor = owner
    with pytest.raises(NotAllowed):
        save(actor, completed)
    assert not Outcome.objects.exists()


# --- impossible values ------------------------------------------------------------------------------


def test_values_at_the_edges_are_accepted(owner, completed):
    today = timezone.localdate()
    save(owner, completed, kpi="defect_rate", baseline="100", result="0")
    save(owner, completed, kpi="on_time_delivery", baseline="99.9999", result="100")
    save(owner, completed, kpi="employees", baseline="40", result="40.0")
    save(owner, completed, kpi="accidents", baseline="0", result="0")
    save(owner, completed, kpi="operating_profit", baseline="-250000000", result="-1")
    save(owner, completed, kpi="lead_time", baseline="0.0001", result="9999", measured_on=today)
    save(owner, completed, kpi="revenue", baseline="1", result="2", baseline_on=today, measured_on=today)
    save(owner, completed, kpi="rd_spend", baseline="1", result="2", baseline_on=None)
    save(owner, completed, kpi="unit_cost", baseline=1000, result=900, measured_on="2025-06-30")
    assert Outcome.objects.count() == 9


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"baseline": "-1"}, "baseline", "0 이상이어야 합니다."),
        ({"result": "-0.0001"}, "result", "0 이상이어야 합니다."),
        ({"kpi": "accidents", "result": "-1"}, "result", "0 이상이어야 합니다."),
        (
            {"kpi": "defect_rate", "baseline": "100.0001", "result": "3"},
            "baseline",
            "백분율은 100을 넘을 수 없습니다.",
        ),
        ({"kpi": "on_time_delivery", "result": "101"}, "result", "100을 넘을 수 없습니다."),
        ({"kpi": "employees", "result": "40.5"}, "result", "정수로 입력해 주세요."),
        ({"kpi": "accidents", "baseline": "0.5"}, "baseline", "정수로 입력해 주세요."),
        ({"kpi": "revenue", "baseline": "1000.5"}, "baseline", "정수로 입력해 주세요."),
        ({"baseline": "1.00001"}, "baseline", "소수점 아래 4자리까지"),
        ({"result": "1e16"}, "result", "값이 너무 큽니다."),
        ({"result": "abc"}, "result", "숫자로 입력해 주세요."),
        ({"baseline": "NaN"}, "baseline", "숫자로 입력해 주세요."),
        ({"baseline": None}, "baseline", "값을 입력해 주세요."),
        ({"measured_on": None}, "measured_on", "측정일을 입력해 주세요."),
        ({"measured_on": "2025-13-01"}, "measured_on", "YYYY-MM-DD"),
        ({"baseline_on": "yesterday"}, "baseline_on", "YYYY-MM-DD"),
        (
            {"measured_on": datetime.date(2024, 6, 29)},
            "measured_on",
            "측정일은 도입 전 측정일(2024-06-30)보다 빠를 수 없습니다.",
        ),
    ],
)
def test_impossible_values_are_refused_on_their_field(owner, completed, values, field, message):
    errors = refused(owner, completed, **values)
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not Outcome.objects.exists() and not AuditEvent.objects.exists()


def test_dates_in_the_future_are_refused(owner, completed):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "오늘 이후일 수 없습니다" in refused(owner, completed, measured_on=tomorrow)["measured_on"][0]
    errors = refused(owner, completed, baseline_on=tomorrow, measured_on=MEASURED_ON)
    assert list(errors) == ["baseline_on"]


def test_every_refused_field_is_reported_at_once(owner, completed):
    errors = refused(owner, completed, kpi="defect_rate", baseline="-1", result="150", measured_on=None)
    assert set(errors) == {"baseline", "result", "measured_on"}


def test_an_unknown_kpi_is_refused(owner, completed):
    assert list(refused(owner, completed, kpi="happiness")) == ["kpi"]


def test_a_refused_correction_leaves_the_stored_row_as_it_was(owner, completed):
    save(owner, completed, kpi="defect_rate", baseline="4", result="3")
    refused(owner, completed, kpi="defect_rate", baseline="4", result="300")
    outcome = Outcome.objects.get()
    assert outcome.result == Decimal(3)
    assert not AuditEvent.objects.filter(action="outcome.update").exists()


# --- aggregates -------------------------------------------------------------------------------------


@pytest.fixture
def world():
    """Sponsor A: 2025 and 2026 programs with adopters and a comparison group; sponsor B beside it."""
    a, b = SponsorFactory(name="에이전자"), SponsorFactory(name="비제철")
    p25 = ProgramFactory(sponsor=a, year=2025)
    p26 = ProgramFactory(sponsor=a, year=2026)
    done1 = ApplicationFactory(program=p25, status=S.COMPLETED)
    done2 = ApplicationFactory(program=p25, status=S.COMPLETED)
    building = ApplicationFactory(program=p26, status=S.BUILDING)  # funded: an adopter too
    rejected = ApplicationFactory(program=p25, status=S.REJECTED)
    withdrawn = ApplicationFactory(program=p25, status=S.WITHDRAWN)
    draft = ApplicationFactory(program=p25, status=S.DRAFT)  # in neither group
    other = ApplicationFactory(program=ProgramFactory(sponsor=b, year=2025), status=S.COMPLETED)

    outcome_for(done1, "productivity", "100", "130")  # +30
    outcome_for(done2, "productivity", "100", "120")  # +20
    outcome_for(building, "productivity", "100", "160")  # +60 (2026)
    outcome_for(rejected, "productivity", "100", "104")  # +4
    outcome_for(withdrawn, "productivity", "100", "96")  # −4
    outcome_for(draft, "productivity", "100", "500")
    outcome_for(other, "productivity", "100", "10")
    outcome_for(done1, "defect_rate", "4", "3")  # −25 % defects: +25
    outcome_for(done2, "defect_rate", "5", "4")  # +20
    outcome_for(rejected, "defect_rate", "4", "5")  # −25
    outcome_for(done1, "accidents", "0", "1")  # no change % from 0: left out
    outcome_for(done2, "accidents", "2", "1")  # +50
    outcome_for(rejected, "operating_profit", "-100", "50")  # +150: only the comparison group reported
    return {"a": a, "b": b, "p25": p25, "p26": p26}


def test_the_aggregates_compare_adopters_with_the_comparison_group(world):
    figures = outcome_aggregates(sponsor_id=world["a"].pk)

    assert list(figures) == list(Outcome.Kpi.values)
    productivity = figures["productivity"]
    assert productivity["label"] == "생산성(시간당 생산량)" and productivity["unit"] == "개/시간"
    assert productivity["adopters"] == {"companies": 3, "mean_change_percent": 36.7}  # (30+20+60)/3
    assert productivity["comparison"] == {"companies": 2, "mean_change_percent": 0.0}
    assert productivity["difference"] == 36.7

    defects = figures["defect_rate"]
    assert defects["adopters"] == {"companies": 2, "mean_change_percent": 22.5}
    assert defects["comparison"] == {"companies": 1, "mean_change_percent": -25.0}
    assert defects["difference"] == 47.5

    assert figures["accidents"]["adopters"] == {"companies": 1, "mean_change_percent": 50.0}
    assert figures["operating_profit"]["adopters"] == {"companies": 0, "mean_change_percent": None}
    assert figures["operating_profit"]["comparison"] == {"companies": 1, "mean_change_percent": 150.0}
    assert figures["operating_profit"]["difference"] is None
    assert figures["revenue"]["adopters"]["companies"] == figures["revenue"]["comparison"]["companies"] == 0


def test_the_aggregates_are_scoped_to_a_program_a_sponsor_and_a_year(world):
    by_program = outcome_aggregates(program_id=world["p26"].pk)["productivity"]
    assert by_program["adopters"] == {"companies": 1, "mean_change_percent": 60.0}
    assert by_program["comparison"]["companies"] == 0

    by_year = outcome_aggregates(sponsor_id=world["a"].pk, year=2025)["productivity"]
    assert by_year["adopters"] == {"companies": 2, "mean_change_percent": 25.0}

    other = outcome_aggregates(sponsor_id=world["b"].pk)["productivity"]
    assert other["adopters"] == {"companies": 1, "mean_change_percent": -90.0}

    everyone = outcome_aggregates()["productivity"]
    assert everyone["adopters"]["companies"] == 4 and everyone["comparison"]["companies"] == 2


def test_a_company_with_two_projects_is_counted_once():
    sponsor = SponsorFactory()
    first = ApplicationFactory(program=ProgramFactory(sponsor=sponsor, year=2024), status=S.COMPLETED)
    second = ApplicationFactory(
        program=ProgramFactory(sponsor=sponsor, year=2025), company=first.company, status=S.COMPLETED
    )
    outcome_for(first, "revenue", "100", "110")
    outcome_for(second, "revenue", "100", "130")
    assert outcome_aggregates(sponsor_id=sponsor.pk)["revenue"]["adopters"] == {
        "companies": 1,
        "mean_change_percent": 20.0,
    }


def test_the_adopters_by_year(world):
    rows = outcome_aggregates_by_year(sponsor_id=world["a"].pk)
    assert [(r["year"], r["kpi"], r["companies"], r["mean_change_percent"]) for r in rows] == [
        (2025, "productivity", 2, 25.0),
        (2025, "defect_rate", 2, 22.5),
        (2025, "accidents", 1, 50.0),
        (2026, "productivity", 1, 60.0),
    ]
    assert rows[0]["label"] == "생산성(시간당 생산량)"
    only = outcome_aggregates_by_year(program_id=world["p26"].pk)
    assert [(r["year"], r["kpi"]) for r in only] == [(2026, "productivity")]
    assert outcome_aggregates_by_year(sponsor_id=SponsorFactory().pk) == []


def _sponsor_with(n: int):
    """n adopters and n rejected applicants, each reporting three KPIs."""
    sponsor = SponsorFactory()
    program = ProgramFactory(sponsor=sponsor, year=2025)
    for i in range(n):
        for status in (S.COMPLETED, S.REJECTED):
            application = ApplicationFactory(program=program, status=status)
            outcome_for(application, "productivity", "100", str(100 + i))
            outcome_for(application, "defect_rate", "4", "3")
            outcome_for(application, "revenue", "1000", str(1000 + 10 * i))
    return sponsor


@pytest.mark.parametrize("selector", [outcome_aggregates, outcome_aggregates_by_year])
def test_the_aggregates_take_one_query_however_many_applications(selector, django_assert_num_queries):
    small, large = _sponsor_with(2), _sponsor_with(20)
    with django_assert_num_queries(1):
        selector(sponsor_id=small.pk)
    with CaptureQueriesContext(connection) as queries:
        result = selector(sponsor_id=large.pk)
    assert len(queries) == 1, "\n".join(q["sql"] for q in queries.captured_queries)
    if selector is outcome_aggregates:
        assert result["productivity"]["adopters"]["companies"] == 20
        assert result["productivity"]["comparison"] == {"companies": 20, "mean_change_percent": 9.5}

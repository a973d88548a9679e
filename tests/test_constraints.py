"""The database itself refuses rows that break the domain's invariants (STYLE.md convention 5).

Model validation is bypassed on purpose: factories save through `QuerySet.create`, and the rest
goes through `QuerySet.update` / `bulk_create`, so only the database stands in the way. Each
refusal is matched against the constraint's name, so that a test cannot pass for another reason.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from applicants.models import Application
from config.constraints import FieldCheckConstraint, FieldUniqueConstraint
from funds.models import CostShare, Disbursement, LedgerEntry, Pot
from mentoring.models import Mentor, MentoringSession
from program.models import DEFAULT_RUBRIC, Program
from reports.models import Outcome, Report
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ContributionFactory,
    EvaluationFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    SupplierFactory,
    rubric_form_data,
)

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2026, 3, 1)


def ledger_entry(**fields):
    fields = {"pot": Pot.GOVERNMENT, "kind": LedgerEntry.Kind.CONTRIBUTION, "amount": 1_000, **fields}
    fields.setdefault("program", ProgramFactory())
    return LedgerEntry.objects.create(**fields)


def disbursement(**fields):
    fields = {
        "kind": "advance",
        "amount": 1_000,
        "gov_part": 500,
        "sponsor_part": 500,
        "paid_on": MARCH_1,
        **fields,
    }
    fields.setdefault("application", ApplicationFactory(selected=True))
    return Disbursement.objects.create(**fields)


def cost_share(**fields):
    fields = {
        "total": 100,
        "government": 30,
        "sponsor": 30,
        "sme": 40,
        "computed_at": timezone.now(),
        **fields,
    }
    fields.setdefault("application", ApplicationFactory(selected=True))
    return CostShare.objects.create(**fields)


def mentoring_session(**fields):
    fields = {"held_on": MARCH_1, "hours": Decimal("2.0"), **fields}
    fields.setdefault("assignment", MentoringAssignmentFactory())
    return MentoringSession.objects.create(**fields)


def outcome(**fields):
    fields = {"kpi": "defect_rate", "baseline": 5, "result": 3, "measured_on": MARCH_1, **fields}
    fields.setdefault("application", ApplicationFactory(status=Application.Status.COMPLETED))
    return Outcome.objects.create(**fields)


def report(**fields):
    return Report.objects.create(**{"kind": "fund_status", "format": "xlsx", **fields})


def user(**fields):
    return User.objects.create(**{"username": "someone", **fields})


def assert_refused(action, match, error=IntegrityError):
    with pytest.raises(error, match=match), transaction.atomic():
        action()


# (builder, bad fields, the constraint that must refuse them)
CASES = [
    pytest.param(
        ProgramFactory,
        {"gov_ratio": 30, "sponsor_ratio": 30, "sme_ratio": 30},
        "program_ratios_sum_100",
        id="program-ratios-sum-below-100",
    ),
    pytest.param(
        ProgramFactory,
        {"gov_ratio": 40, "sponsor_ratio": 30, "sme_ratio": 40},
        "program_ratios_sum_100",
        id="program-ratios-sum-above-100",
    ),
    # Sums to 100, but one ratio is out of 0..100.
    pytest.param(
        ProgramFactory,
        {"gov_ratio": 101, "sponsor_ratio": 0, "sme_ratio": -1},
        "ratio",
        id="program-ratio-out-of-range",
    ),
    pytest.param(
        ProgramFactory, {"gov_cap_basic": -1}, "program_gov_caps_non_negative", id="gov-cap-basic-negative"
    ),
    pytest.param(
        ProgramFactory,
        {"gov_cap_advanced2": -1},
        "program_gov_caps_non_negative",
        id="gov-cap-advanced2-negative",
    ),
    pytest.param(
        ProgramFactory, {"gov_budget": -1}, "program_gov_budget_non_negative", id="gov-budget-negative"
    ),
    pytest.param(
        ProgramFactory,
        {"opens_on": MARCH_1, "closes_on": MARCH_1 - datetime.timedelta(days=1)},
        "program_window_ordered",
        id="program-closes-before-opens",
    ),
    pytest.param(ContributionFactory, {"amount": 0}, "contribution_amount_positive", id="contribution-zero"),
    pytest.param(
        ContributionFactory, {"amount": -1_000}, "contribution_amount_positive", id="contribution-negative"
    ),
    pytest.param(
        disbursement,
        {"amount": 1_000, "gov_part": 500, "sponsor_part": 499},
        "disbursement_parts_sum_to_amount",
        id="disbursement-parts-short",
    ),
    pytest.param(
        disbursement,
        {"amount": 1_000, "gov_part": 1_100, "sponsor_part": -100},
        "disbursement_parts_non_negative",
        id="disbursement-part-negative",
    ),
    pytest.param(
        cost_share,
        {"total": 100, "government": 30, "sponsor": 30, "sme": 41},
        "cost_share_shares_sum_to_total",
        id="cost-share-not-summing",
    ),
    pytest.param(
        cost_share,
        {"total": 100, "government": 30, "sponsor": 80, "sme": -10},
        "cost_share_shares_non_negative",
        id="cost-share-negative",
    ),
    pytest.param(EvaluationFactory, {"bonus": 4}, "evaluation_bonus_steps", id="bonus-not-a-step-of-3"),
    pytest.param(EvaluationFactory, {"bonus": 15}, "evaluation_bonus_steps", id="bonus-over-12"),
    pytest.param(
        EvaluationFactory,
        {"conflict_of_interest": True, "total": 80},
        "evaluation_conflict_has_no_score",
        id="conflicted-evaluation-with-total",
    ),
    pytest.param(
        EvaluationFactory,
        {"conflict_of_interest": True, "total": None, "bonus": 3},
        "evaluation_conflict_has_no_score",
        id="conflicted-evaluation-with-bonus",
    ),
    pytest.param(
        mentoring_session, {"hours": Decimal("0.4")}, "session_hours_in_range", id="session-too-short"
    ),
    pytest.param(
        mentoring_session, {"hours": Decimal("12.5")}, "session_hours_in_range", id="session-too-long"
    ),
    pytest.param(
        MentoringAssignmentFactory,
        {"starts_on": MARCH_1, "ends_on": MARCH_1},
        "assignment_ends_after_start",
        id="assignment-ends-on-start",
    ),
    pytest.param(
        MentoringAssignmentFactory,
        {"starts_on": MARCH_1, "ends_on": datetime.date(2026, 2, 1)},
        "assignment_ends_after_start",
        id="assignment-ends-before-start",
    ),
    pytest.param(
        outcome,
        {"kpi": "defect_rate", "result": 101},
        "outcome_percent_at_most_100",
        id="defect-rate-over-100",
    ),
    pytest.param(
        outcome,
        {"kpi": "on_time_delivery", "baseline": Decimal("100.5")},
        "outcome_percent_at_most_100",
        id="on-time-delivery-over-100",
    ),
    pytest.param(
        outcome,
        {"baseline_on": MARCH_1, "measured_on": datetime.date(2026, 2, 28)},
        "outcome_measured_after_baseline",
        id="outcome-measured-before-baseline",
    ),
    pytest.param(report, {"progress": 101}, "report_progress_at_most_100", id="report-progress-over-100"),
    pytest.param(
        user,
        {"role": Role.SPONSOR, "sponsor": None},
        "user_sponsor_iff_sponsor_role",
        id="sponsor-user-without-sponsor",
    ),
]
# The ledger is append-only on PostgreSQL, so its constraints are exercised on INSERT only.
INSERT_ONLY_CASES = [
    pytest.param(ledger_entry, {"amount": 0}, "ledger_amount_positive", id="ledger-zero"),
    pytest.param(ledger_entry, {"amount": -1}, "ledger_amount_positive", id="ledger-negative"),
]


@pytest.mark.parametrize(("build", "bad", "constraint"), CASES + INSERT_ONLY_CASES)
def test_database_refuses_insert(build, bad, constraint):
    assert_refused(lambda: build(**bad), match=constraint)


@pytest.mark.parametrize(("build", "bad", "constraint"), CASES)
def test_database_refuses_update(build, bad, constraint):
    row = build()  # valid as built: only `bad` can be what the database refuses
    queryset = type(row).objects.filter(pk=row.pk)

    assert_refused(lambda: queryset.update(**bad), match=constraint)

    assert queryset.count() == 1


# The edges of the same rules, which the database must accept.
ACCEPTED = [
    pytest.param(
        ProgramFactory, {"gov_ratio": 50, "sponsor_ratio": 50, "sme_ratio": 0}, id="program-ratio-zero"
    ),
    pytest.param(
        ProgramFactory, {"gov_ratio": 100, "sponsor_ratio": 0, "sme_ratio": 0}, id="program-ratio-100"
    ),
    pytest.param(ProgramFactory, {"gov_cap_basic": 0, "gov_budget": 0}, id="program-zero-caps"),
    pytest.param(ProgramFactory, {"opens_on": MARCH_1, "closes_on": MARCH_1}, id="program-one-day-window"),
    pytest.param(ContributionFactory, {"amount": 1}, id="contribution-one-won"),
    pytest.param(ledger_entry, {"amount": 1}, id="ledger-one-won"),
    pytest.param(
        disbursement, {"amount": 1_001, "gov_part": 0, "sponsor_part": 1_001}, id="disbursement-one-pot"
    ),
    pytest.param(
        cost_share, {"total": 100, "government": 50, "sponsor": 50, "sme": 0}, id="cost-share-sme-zero"
    ),
    pytest.param(EvaluationFactory, {"bonus": 12}, id="bonus-12"),
    pytest.param(
        EvaluationFactory,
        {"conflict_of_interest": True, "total": None, "scores": {}},
        id="conflicted-evaluation-unscored",
    ),
    pytest.param(mentoring_session, {"hours": Decimal("0.5")}, id="session-half-hour"),
    pytest.param(mentoring_session, {"hours": Decimal("12")}, id="session-12-hours"),
    pytest.param(
        MentoringAssignmentFactory,
        {"starts_on": MARCH_1, "ends_on": datetime.date(2026, 3, 2)},
        id="assignment-one-day",
    ),
    pytest.param(outcome, {"kpi": "defect_rate", "baseline": 100, "result": 0}, id="defect-rate-100"),
    pytest.param(outcome, {"kpi": "productivity", "baseline": 80, "result": 150}, id="productivity-over-100"),
    pytest.param(
        outcome, {"baseline_on": MARCH_1, "measured_on": MARCH_1}, id="outcome-measured-on-baseline"
    ),
    pytest.param(report, {"progress": 100}, id="report-progress-100"),
]


@pytest.mark.parametrize(("build", "fields"), ACCEPTED)
def test_database_accepts_the_edges(build, fields):
    row = build(**fields)

    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("factory", [CompanyFactory, SupplierFactory, SponsorFactory])
def test_business_numbers_are_unique(factory):
    first = factory()
    model = type(first)

    assert_refused(
        lambda: model.objects.bulk_create([factory.build(business_number=first.business_number)]),
        match="business_number",
    )


@pytest.mark.parametrize("factory", [CompanyFactory, SupplierFactory, SponsorFactory])
@pytest.mark.parametrize("number", ["123456789", ""])
def test_business_numbers_are_ten_characters(factory, number):
    assert_refused(lambda: factory(business_number=number), match="business_number_10_digits")


@pytest.mark.parametrize("factory", [CompanyFactory, SupplierFactory, SponsorFactory])
def test_business_numbers_are_not_longer_than_ten(factory):
    # PostgreSQL refuses it as too long for varchar(10) (DataError); SQLite by the length check.
    assert_refused(
        lambda: factory(business_number="12345678901"), match="10", error=(IntegrityError, DataError)
    )


@pytest.mark.parametrize("status", ["draft", "submitted", "selected", "building"])
def test_one_live_application_per_company_and_program(status):
    first = ApplicationFactory(status=status)

    assert_refused(
        lambda: ApplicationFactory(program=first.program, company=first.company),
        match="application_one_live_per_company_program|company_id",
    )


@pytest.mark.parametrize("ended", ["rejected", "withdrawn", "completed"])
def test_a_new_application_is_allowed_once_the_first_has_ended(ended):
    first = ApplicationFactory(status=ended)

    second = ApplicationFactory(program=first.program, company=first.company)

    assert Application.objects.filter(company=first.company, program=first.program).count() == 2
    assert second.status == Application.Status.DRAFT


def test_an_ended_application_cannot_come_back_to_life_beside_a_live_one():
    first = ApplicationFactory(status=Application.Status.REJECTED)
    ApplicationFactory(program=first.program, company=first.company)

    assert_refused(
        lambda: Application.objects.filter(pk=first.pk).update(status="submitted"),
        match="application_one_live_per_company_program|company_id",
    )


def test_the_same_company_may_apply_to_another_program():
    first = ApplicationFactory()

    ApplicationFactory(company=first.company)

    assert Application.objects.filter(company=first.company).count() == 2


def affiliated_user(role, affiliation):
    """A user of `role` belonging to a fresh sponsor or company, or to nothing (affiliation None);
    staff belong to an agency as well, so the constraint under test is the only one broken."""
    related = {"sponsor": SponsorFactory, "company": CompanyFactory}
    extra = {affiliation: related[affiliation]()} if affiliation else {}
    if role == Role.STAFF:
        extra["agency"] = AgencyFactory()
    return user(role=role, **extra)


@pytest.mark.parametrize(
    ("role", "affiliation", "constraint"),
    [
        (Role.SPONSOR, None, "user_sponsor_iff_sponsor_role"),
        (Role.STAFF, "sponsor", "user_sponsor_iff_sponsor_role"),
        (Role.APPLICANT, "sponsor", "user_sponsor_iff_sponsor_role"),
        (Role.STAFF, "company", "user_company_only_for_applicants"),
        (Role.MENTOR, "company", "user_company_only_for_applicants"),
    ],
)
def test_user_affiliation_follows_role(role, affiliation, constraint):
    assert_refused(lambda: affiliated_user(role, affiliation), match=constraint)


@pytest.mark.parametrize(
    ("role", "affiliation"),
    [
        (Role.SPONSOR, "sponsor"),
        (Role.APPLICANT, "company"),
        (Role.APPLICANT, None),  # signed up, company not registered yet
        (Role.EVALUATOR, None),
    ],
)
def test_user_affiliations_that_fit_the_role_are_accepted(role, affiliation):
    assert affiliated_user(role, affiliation).pk is not None


@pytest.mark.postgres
def test_ledger_entries_cannot_be_updated_or_deleted():
    entry = ledger_entry(amount=5_000)
    rows = LedgerEntry.objects.filter(pk=entry.pk)

    assert_refused(lambda: rows.update(amount=1), match="append-only", error=DatabaseError)
    assert_refused(rows.delete, match="append-only", error=DatabaseError)

    assert rows.get().amount == 5_000


def _condition_values(model, name):
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return sorted(constraint.condition.children[0][1])


def test_the_known_choice_constraints_list_every_choice():
    assert _condition_values(Application, "application_status_known") == sorted(Application.Status.values)
    assert _condition_values(LedgerEntry, "ledger_pot_known") == sorted(Pot.values)
    assert _condition_values(LedgerEntry, "ledger_kind_known") == sorted(LedgerEntry.Kind.values)
    assert _condition_values(User, "user_role_known") == sorted(Role.values)


@pytest.mark.django_db
def test_an_unknown_status_is_refused():
    application = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="lost")


# ------------------------------------------------------- a constraint a user hits answers in Korean

HANGUL = re.compile(r"[가-힣]")


def _all_constraints():
    return [(model, constraint) for model in apps.get_models() for constraint in model._meta.constraints]


@pytest.mark.parametrize(
    ("model", "constraint"),
    _all_constraints(),
    ids=[f"{m._meta.label}.{c.name}" for m, c in _all_constraints()],
)
def test_every_constraint_has_a_korean_message_at_a_field(model, constraint):
    """So that a new constraint cannot forget: Django's default is "Constraint “<name>” is violated"."""
    message = str(constraint.get_violation_error_message())

    assert constraint.violation_error_message != constraint.default_violation_error_message
    assert HANGUL.search(message) and constraint.name not in message
    assert isinstance(constraint, FieldCheckConstraint | FieldUniqueConstraint)
    assert model._meta.get_field(constraint.field)


def _mentoring_session_form(client, staff):
    today = timezone.localdate()
    assignment = MentoringAssignmentFactory(starts_on=today, ends_on=today + datetime.timedelta(weeks=8))
    client.force_login(assignment.mentor.user)
    body = {"held_on": today, "hours": "13", "mode": "visit", "notes": ""}
    return client.post(f"/mentor/assignments/{assignment.pk}/", body), MentoringSession.objects.exists


def _mentor_form(overrides):
    def send(client, staff):
        client.force_login(staff)
        body = {"name": "최전문", "capacity": "2", "is_active": "on", "ksic_divisions": "", **overrides()}
        return client.post("/staff/mentors/new/", body), Mentor.objects.filter(name="최전문").exists

    return send


def _mentor_api(overrides):
    def send(client, staff):
        client.force_login(staff)
        body = {"name": "최전문", "capacity": 2, **overrides()}
        return client.post("/api/v1/mentors/", body, content_type="application/json"), Mentor.objects.filter(
            name="최전문"
        ).exists

    return send


def _program_form(client, staff):
    taken = ProgramFactory(title="2026 유형1", year=2026)
    client.force_login(staff)
    body = {
        "title": taken.title, "year": 2026, "sponsor": taken.sponsor_id, "agency": taken.agency_id,
        "track": "", "description": "", "gov_ratio": 30, "sponsor_ratio": 30, "sme_ratio": 40,
        "gov_cap_basic": "", "gov_cap_advanced1": "", "gov_cap_advanced2": "", "rounding_unit": 1000,
        "cap_excess_to": "sme", "gov_budget": 0, **rubric_form_data(DEFAULT_RUBRIC),
        "opens_on": "2026-03-01", "closes_on": "2026-04-30", "status": "draft",
    }  # fmt: skip
    return client.post("/staff/programs/new/", body), lambda: Program.objects.count() > 1


def _program_api(client, staff):
    taken = ProgramFactory(title="2026 유형1", year=2026)
    client.force_login(staff)
    body = {
        "title": taken.title, "year": 2026, "sponsor": taken.sponsor_id, "agency": taken.agency_id,
        "gov_ratio": 30, "sponsor_ratio": 30, "sme_ratio": 40, "opens_on": "2026-03-01",
        "closes_on": "2026-04-30",
    }  # fmt: skip
    response = client.post("/api/v1/programs/", body, content_type="application/json")
    return response, lambda: Program.objects.count() > 1


# (how a user reaches it, the constraint, the field its error must be on)
USER_REACHABLE = [
    pytest.param(_mentoring_session_form, "session_hours_in_range", "hours", id="13-hour session"),
    pytest.param(
        _mentor_form(lambda: {"capacity": "0"}),
        "mentor_capacity_positive",
        "capacity",
        id="mentor capacity 0",
    ),
    pytest.param(
        _mentor_form(lambda: {"sponsor": SponsorFactory().pk, "supplier": SupplierFactory().pk}),
        "mentor_one_affiliation",
        "supplier",
        id="mentor with two affiliations",
    ),
    pytest.param(
        _mentor_api(lambda: {"capacity": 0}),
        "mentor_capacity_positive",
        "capacity",
        id="mentor API capacity 0",
    ),
    pytest.param(
        _mentor_api(lambda: {"sponsor": SponsorFactory().pk, "supplier": SupplierFactory().pk}),
        "mentor_one_affiliation",
        "supplier",
        id="mentor API with two affiliations",
    ),
    pytest.param(_program_form, "program_unique_title_per_year", "title", id="program form, same title"),
    pytest.param(_program_api, "program_unique_title_per_year", "title", id="program API, same title"),
]


@pytest.mark.parametrize(("send", "constraint", "field"), USER_REACHABLE)
def test_a_constraint_a_user_hits_answers_in_korean_at_its_field(client, staff, send, constraint, field):
    response, written = send(client, staff)

    assert response.status_code == 400
    if response["Content-Type"].startswith("application/json"):
        errors = response.json()[field]
    else:
        errors = response.context["form"].errors[field]
    assert errors and all(HANGUL.search(str(error)) for error in errors)
    assert constraint not in response.content.decode()
    assert not written()

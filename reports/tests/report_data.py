"""A small program with something in every figure the reports show (shared by the report tests)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applicants.models import Application
from funds.models import LedgerEntry, Pot
from mentoring.models import MentoringSession
from reports.models import Outcome, Report
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    UserFactory,
    fund_program,
)

S = Application.Status
K = LedgerEntry.Kind


def commit_and_pay(application, *, government: int, sponsor: int, paid: int) -> None:
    for pot, amount in ((Pot.GOVERNMENT, government), (Pot.SPONSOR, sponsor)):
        LedgerEntry.objects.create(
            program=application.program, pot=pot, kind=K.COMMITMENT, amount=amount, application=application
        )
        LedgerEntry.objects.create(
            program=application.program, pot=pot, kind=K.DISBURSEMENT, amount=paid, application=application
        )


def populated_program(**program_fields):
    """A program with applications in several statuses, levels and regions, scores, money,
    mentoring and outcomes (adopters and a comparison group)."""
    program = ProgramFactory(title="2026 상생형 스마트공장 (경북)", **program_fields)
    fund_program(program, sponsor=2_000_000_000, government=1_500_000_000)
    now = timezone.now()
    made = []
    rows = [
        (S.SUBMITTED, "basic", "경북", None),
        (S.EVALUATION, "advanced1", "경기", Decimal("71.50")),
        (S.SELECTED, "basic", "경북", Decimal("88.00")),
        (S.BUILDING, "advanced2", "서울", Decimal("93.25")),
        (S.COMPLETED, "advanced1", "경남", Decimal("91.00")),
        (S.REJECTED, "basic", "경북", Decimal("55.00")),
        (S.WITHDRAWN, "basic", "부산", Decimal("65.00")),
        (S.DRAFT, "basic", "경기", None),
    ]
    for status, level, region, score in rows:
        made.append(
            ApplicationFactory(
                program=program,
                status=status,
                level=level,
                score=score,
                total_cost=150_000_000,
                wants_mentoring=True,
                company=CompanyFactory(region=region, name=f"{region}정밀"),
                submitted_at=None if status == S.DRAFT else now,
            )
        )
    selected, building, completed, rejected = made[2], made[3], made[4], made[5]
    commit_and_pay(selected, government=45_000_000, sponsor=45_000_000, paid=10_000_000)
    commit_and_pay(building, government=45_000_000, sponsor=45_000_000, paid=20_000_000)
    commit_and_pay(completed, government=45_000_000, sponsor=45_000_000, paid=45_000_000)
    assignment = MentoringAssignmentFactory(application=building)
    MentoringSession.objects.create(
        assignment=assignment, held_on=datetime.date(2026, 3, 10), hours=Decimal("2.5")
    )
    measured = timezone.localdate()
    for application, results in ((completed, ("130", "2.0")), (rejected, ("105", "4.5"))):
        Outcome.objects.create(
            application=application, kpi="productivity", baseline=100, result=results[0], measured_on=measured
        )
        Outcome.objects.create(
            application=application, kpi="defect_rate", baseline=5, result=results[1], measured_on=measured
        )
    return program


def outcome_for(application, kpi="productivity", baseline="100", result="130") -> Outcome:
    """An outcome stored as it is (no service rules), measured on 2025-06-30."""
    return Outcome.objects.create(
        application=application,
        kpi=kpi,
        baseline=Decimal(baseline),
        result=Decimal(result),
        measured_on=datetime.date(2025, 6, 30),
    )


def report_for(kind: str, fmt: str, **fields) -> Report:
    fields.setdefault("requested_by", UserFactory(role="staff"))
    return Report.objects.create(kind=kind, format=fmt, **fields)

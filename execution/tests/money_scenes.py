"""Funded projects for the settlement and clawback tests (part A2): an application selected through
funds' service (split computed, both pots committed), moved to `building` with the SME's share
deposited, then spending lines and payments as a test needs them."""

import datetime

from django.utils import timezone

from applicants.models import Application
from execution.models import SpendingLine
from funds.models import CostShare
from funds.services import disbursement_record, fund_commit
from tests.factories import (
    ApplicationFactory,
    DepositFactory,
    ProgramFactory,
    SpendingLineFactory,
    UserFactory,
    fund_program,
)

TOTAL = 100_000_000  # 30/30/40: government 30,000,000, sponsor 30,000,000, SME 40,000,000
PAID_ON = datetime.date(2026, 4, 1)


def funded(staff, *, total: int = TOTAL, status=Application.Status.BUILDING, program=None, **fields):
    """An application of a new company, selected in `staff`'s agency and funded, in `status`, with
    its SME share deposited (so that payments pass the deposit rule, SPEC §18.2)."""
    program = program or ProgramFactory(agency=staff.agency)
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(
        selected=True, program=program, company=owner.company, total_cost=total, **fields
    )
    fund_commit(application=application, actor=staff)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    share = CostShare.objects.get(application=application)
    if share.sme > 0:
        DepositFactory(application=application, amount=share.sme, recorded_by=staff)
    application.owner = owner  # for the tests: the company's applicant
    return application


def line(application, amount: int, status=SpendingLine.Status.APPROVED, **fields) -> SpendingLine:
    """A spending line as reviewed (the factory and the review's fields; no service rules)."""
    reviewed = status != SpendingLine.Status.PENDING
    return SpendingLineFactory(
        application=application,
        amount=amount,
        status=status,
        credit_note=amount < 0,
        reviewed_at=timezone.now() if reviewed else None,
        **fields,
    )


def pay(staff, application, amount: int, kind: str = "advance"):
    return disbursement_record(
        actor=staff, application=application, amount=amount, kind=kind, paid_on=PAID_ON
    )


def other_agency_staff():
    """Staff of 중소기업중앙회, an agency other than the factories' default one."""
    from tests.factories import AgencyFactory

    return UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회"))

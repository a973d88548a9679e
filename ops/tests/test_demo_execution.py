"""The demo's spending, deposits, settlements, clawbacks and bans (issue 20 item 7, SPEC §18, §15.2):
seed_demo walks the projects through the execution services (ops/execution_demo.py)."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from accounts.models import User
from applicants.models import Application, ParticipationBan
from execution.models import Clawback, Deposit, Settlement, SpendingLine
from execution.settlement import settlement_figures
from funds.models import CostShare, LedgerEntry
from funds.selectors import application_balances
from reports.dashboard import sponsor_dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_projects_spend_with_evidence_and_a_few_lines_are_flagged(seeded):
    running = Application.objects.filter(status__in=("building", "completion_review"))
    assert running.exists()
    for application in running:
        assert 5 <= application.spending_lines.count() <= 9, application
    lines = SpendingLine.objects.all()
    numbers = [n for n in lines.values_list("invoice_number", flat=True) if n]
    assert numbers and all(len(n) == 24 and n.isdigit() for n in numbers)
    assert len(set(numbers)) == len(numbers)
    line = lines.first()
    assert line.document.name.endswith(".pdf") and line.document.read().startswith(b"%PDF")
    mismatch = lines.get(supplier_mismatch=True)
    credit = lines.get(credit_note=True)
    assert mismatch.flagged and mismatch.status == "pending"
    assert credit.amount < 0 and credit.flagged and credit.status == "pending"
    assert {mismatch.application.status, credit.application.status} <= {"building", "completion_review"}
    demo_lines = lines.filter(application__company=User.objects.get(username="applicant").company)
    assert demo_lines.exists() and not demo_lines.filter(status="pending").exists()


def test_every_payment_follows_a_deposit_of_the_smes_share(seeded):
    """SPEC §18.2: deposits ≥ floor(sme × paid / (government + sponsor)) wherever anything was paid."""
    paid = Application.objects.filter(disbursements__isnull=False).distinct()
    assert paid.exists()
    for application in paid:
        share = CostShare.objects.get(application=application)
        balances = application_balances(application_id=application.pk)
        total_paid = sum(balance.disbursed for balance in balances.values())
        deposits = Deposit.objects.filter(application=application).aggregate(s=Sum("amount", default=0))["s"]
        assert deposits >= share.sme * total_paid // (share.government + share.sponsor), application


def test_settled_projects_were_reviewed_settled_and_paid_their_balances(seeded):
    settled = Application.objects.filter(settlement__isnull=False)
    assert settled.count() >= 5
    assert settled.filter(company=User.objects.get(username="applicant").company).exists()
    assert not SpendingLine.objects.filter(application__in=settled, status="pending").exists()
    disallowed = SpendingLine.objects.filter(status="disallowed")
    assert disallowed.exists() and not disallowed.filter(reason="").exists()
    for application in settled:
        figures = settlement_figures(application=application)
        assert figures.status == "confirmed"
        assert figures.final_due == {"government": 0, "sponsor": 0}, application
    refund = Clawback.objects.get(reason="settlement")
    figures = settlement_figures(application=refund.application)
    assert (refund.government, refund.sponsor) == (figures.refund["government"], figures.refund["sponsor"])
    assert refund.amount > 0 and refund.status == "open"
    assert not Settlement.objects.exclude(application__status="completed").exists()


def test_the_terminated_project_owes_a_clawback_partly_collected_with_bans(seeded):
    terminated = Application.objects.get(status="terminated")
    clawback = Clawback.objects.get(application=terminated)
    assert clawback.reason == "collusion" and clawback.ban and clawback.status == "open"
    assert 0 < clawback.collected < clawback.amount
    recovered = LedgerEntry.objects.filter(application=terminated, kind="recovery").aggregate(s=Sum("amount"))
    assert recovered["s"] == clawback.collected
    bans = ParticipationBan.objects.all()
    assert bans.filter(subject_type="company", business_number=terminated.company.business_number).exists()
    assert bans.filter(subject_type="supplier", business_number=terminated.supplier.business_number).exists()
    figures = sponsor_dashboard(sponsor_id=terminated.program.sponsor_id)
    assert figures["recovered"] == clawback.collected_sponsor > 0
    assert figures["recovery_due"] >= clawback.sponsor - clawback.collected_sponsor > 0

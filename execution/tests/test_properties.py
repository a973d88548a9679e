"""Property tests of the settlement and clawbacks (SPEC §18.3-18.4, issue 20 item 3): for any spending
(approved, disallowed, credit notes), advance payments, confirmation, the final payment and the
refund's collection, no pot goes below zero, the shares sum to the eligible amount, what a pot paid
less what clawbacks claim back is exactly its settled share once settled, and the running pot totals
stay equal to the ledger."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execution.models import Clawback, SpendingLine
from execution.services.clawbacks import clawback_collect
from execution.services.settlement import settlement_confirm
from execution.settlement import settlement_figures
from execution.tests.money_scenes import funded, line, pay
from funds.models import Pot
from funds.selectors import application_balances, fund_balances, ledger_totals_mismatches
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

POTS = (Pot.GOVERNMENT, Pot.SPONSOR)
lines = st.lists(
    st.tuples(
        st.integers(-30_000_000, 90_000_000).filter(lambda amount: amount != 0),
        st.sampled_from([SpendingLine.Status.APPROVED, SpendingLine.Status.DISALLOWED]),
    ),
    max_size=6,
)
scenes = st.fixed_dictionaries(
    {
        "total": st.integers(1_000, 200_000_000),
        "capped": st.booleans(),
        "rounding_unit": st.sampled_from([1, 1_000, 10_000]),
        "lines": lines,
        "advances": st.lists(st.integers(1, 100), max_size=3),  # percent of what is still outstanding
        "collect": st.integers(1, 100),  # percent of the refund collected
    }
)


def assert_pots_never_negative(application) -> None:
    balances = fund_balances(program_id=application.program_id)
    assert all(balances[pot].available >= 0 for pot in POTS)
    assert ledger_totals_mismatches(program_id=application.program_id) == []


def claimed(application) -> dict[str, int]:
    claims = dict.fromkeys(POTS, 0)
    for clawback in Clawback.objects.filter(application=application):
        claims[Pot.GOVERNMENT] += clawback.government
        claims[Pot.SPONSOR] += clawback.sponsor
    return claims


def play(staff, scene) -> None:
    program = ProgramFactory(
        agency=staff.agency, capped_2022=scene["capped"], rounding_unit=scene["rounding_unit"]
    )
    application = funded(staff, total=scene["total"], program=program)
    for amount, status in scene["lines"]:
        line(application, amount, status)
    for percent in scene["advances"]:
        outstanding = sum(b.outstanding for b in application_balances(application_id=application.pk).values())
        if outstanding * percent // 100 > 0:
            pay(staff, application, outstanding * percent // 100)
        assert_pots_never_negative(application)
    figures = settlement_figures(application=application)
    assert sum(figures.shares.values()) == figures.eligible
    settlement_confirm(actor=staff, application=application)
    assert_pots_never_negative(application)
    figures = settlement_figures(application=application)
    due = sum(max(0, balance) for balance in figures.balance.values())
    if due:
        pay(staff, application, due, kind="final")
        assert_pots_never_negative(application)
    paid = {pot: b.disbursed for pot, b in application_balances(application_id=application.pk).items()}
    claims = claimed(application)
    for pot in POTS:
        assert paid[pot] - claims[pot] == figures.shares[pot]
    refund = Clawback.objects.filter(application=application).first()
    if refund is not None:
        amount = max(1, refund.amount * scene["collect"] // 100)
        clawback_collect(actor=staff, clawback=refund, amount=amount, collected_on=datetime.date(2026, 10, 1))
        refund.refresh_from_db()
        assert refund.collected_government <= refund.government and refund.collected_sponsor <= refund.sponsor
        assert_pots_never_negative(application)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scene=scenes)
def test_settling_any_project_keeps_the_pots_whole(staff, scene):
    with transaction.atomic():
        play(staff, scene)
        transaction.set_rollback(True)

import pytest

from funds.models import CostShare
from funds.services import cost_share_compute
from funds.tasks import compute_cost_share
from tests.factories import ApplicationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_it_stores_the_split_of_the_programs_policy():
    program = ProgramFactory(capped_2022=True)
    application = ApplicationFactory(program=program, level="basic", total_cost=200_000_000, selected=True)
    share = cost_share_compute(application=application)
    assert (share.total, share.government, share.sponsor, share.sme, share.capped) == (
        200_000_000,
        42_000_000,
        78_000_000,
        80_000_000,
        True,
    )


def test_running_it_twice_changes_nothing():
    application = ApplicationFactory(total_cost=100_000_001, selected=True)
    first = cost_share_compute(application=application)
    second = cost_share_compute(application=application)
    assert CostShare.objects.count() == 1
    assert second.computed_at == first.computed_at
    assert (second.government, second.sponsor, second.sme) == (30_000_000, 30_000_000, 40_000_001)


def test_a_new_total_is_recomputed():
    application = ApplicationFactory(total_cost=100_000_000, selected=True)
    first = cost_share_compute(application=application)
    application.total_cost = 50_000_000
    application.save()
    second = cost_share_compute(application=application)
    assert CostShare.objects.count() == 1
    assert (second.total, second.government) == (50_000_000, 15_000_000)
    assert second.computed_at > first.computed_at


def test_an_application_without_a_total_has_no_split():
    application = ApplicationFactory(total_cost=None)
    assert cost_share_compute(application=application) is None
    assert not CostShare.objects.exists()


def test_the_task_computes_through_the_service(settings):
    application = ApplicationFactory(total_cost=100_000_001, selected=True)
    result = compute_cost_share.apply(args=[application.pk]).get()
    assert result == {"government": 30_000_000, "sponsor": 30_000_000, "sme": 40_000_001}
    assert compute_cost_share.apply(args=[application.pk + 999]).get() is None

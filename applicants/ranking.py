"""The ranked list per program with the cut line where the money runs out (SPEC §5)."""

from dataclasses import dataclass

from django.db.models import F

from applicants.models import Application
from funds.cost_share import Split, split_cost
from funds.selectors import fund_balances


@dataclass(frozen=True)
class RankedApplication:
    rank: int
    application: Application
    split: Split | None
    funded: bool  # above the cut line: the pots still cover it after everyone ranked higher


def program_ranking(*, program) -> list[RankedApplication]:
    """Applications in evaluation, best score first; each marked funded while both pots last."""
    applications = (
        Application.objects.filter(program=program, status=Application.Status.EVALUATION)
        .select_related("company")
        .defer("plan")
        .order_by(F("score").desc(nulls_last=True), "submitted_at", "id")
    )
    balances = fund_balances(program_id=program.pk)
    gov_left, sponsor_left = balances["government"].available, balances["sponsor"].available
    policy = program.cost_share_policy()
    ranked, line_crossed = [], False
    for rank, application in enumerate(applications, start=1):
        split = (
            split_cost(application.total_cost, application.level, policy) if application.total_cost else None
        )
        fits = split is not None and split.government <= gov_left and split.sponsor <= sponsor_left
        funded = fits and not line_crossed and application.score is not None
        if funded:
            gov_left -= split.government
            sponsor_left -= split.sponsor
        else:
            line_crossed = True  # strictly by rank: nobody below the line jumps over it
        ranked.append(RankedApplication(rank, application, split, funded))
    return ranked

"""The ranked list per program with the cut line where the money runs out (docs/domain.md §5)."""

from dataclasses import dataclass

from django.db.models import Count, F

from applicants.models import Application
from applicants.selectors import application_split, with_repeat_level
from funds.selectors import fund_balances
from program.cost_share import Split


@dataclass(frozen=True)
class RankedApplication:
    rank: int | None  # None: not scored yet, so not ranked
    application: Application
    split: Split | None
    funded: bool  # above the cut line: the pots still cover it after everyone ranked higher
    cut_before: bool = False  # the cut line is drawn just above this row

    @property
    def scored(self) -> bool:
        return self.rank is not None


def program_ranking(*, program, balances: dict | None = None) -> list[RankedApplication]:
    """Applications in evaluation, best score first; each marked funded while both pots last.

    The government and sponsor shares of the ranked applications are added up in rank order
    against each pot's available money; the cut line falls before the first one either pot no
    longer covers, and nobody below it jumps over it. Applications not scored yet follow, unranked:
    they claim no money and move no line. Each application carries its committee's size
    (`evaluator_count`). `balances`: the program's fund_balances, if already read."""
    applications = with_repeat_level(
        Application.objects.filter(program=program, status=Application.Status.EVALUATION)
        .select_related("company")
        .defer("plan")
        .annotate(evaluator_count=Count("evaluator_assignments"))
        .order_by(F("score").desc(nulls_last=True), "submitted_at", "id")
    )
    balances = balances or fund_balances(program_id=program.pk)
    gov_left, sponsor_left = balances["government"].available, balances["sponsor"].available
    ranked, line_crossed, rank = [], False, 0
    for application in applications:
        application.program = program  # the policy is the program's: no query per row
        split = application_split(application) if application.total_cost else None
        if application.score is None:
            ranked.append(RankedApplication(None, application, split, funded=False))
            continue
        rank += 1
        fits = split is not None and split.government <= gov_left and split.sponsor <= sponsor_left
        funded = fits and not line_crossed
        if funded and split is not None:  # funded implies a split; this says so to mypy
            gov_left -= split.government
            sponsor_left -= split.sponsor
        ranked.append(
            RankedApplication(rank, application, split, funded, cut_before=not (funded or line_crossed))
        )
        line_crossed = line_crossed or not funded  # strictly by rank
    return ranked

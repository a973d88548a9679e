"""A sponsor's fund dashboard (docs/domain.md §10 `sponsors/{id}/dashboard/`, page `/sponsor/`).

Every figure comes from the ledger, the contributions and the supported applications, each in one
grouped query: the dashboard runs the same number of queries whatever the sponsor's size.
"""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, When

from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE
from execution.models import Clawback
from funds.models import Contribution, Pot
from funds.selectors import PotBalance, pot_balances_by, sum_balances
from mentoring.models import MentoringAssignment
from program.choices import Region, SupportLevel
from projects.selectors_sponsor import with_project_state
from reports.outcomes import outcome_aggregates


def sponsor_dashboard(*, sponsor_id: int, agency_id: int | None = None) -> dict:
    """The figures of one sponsor's dashboard, as plain data (ints, lists, dicts). Seven queries.

    `pots` are the pot figures of `programs/{id}/fund/` summed over the sponsor's programs
    (`committed` gross); the headline and by-year `committed` are the sponsor pot's committed net of
    releases, also given as `committed_net` (docs/domain.md §3.4). `recovered` is what clawbacks
    brought back to the sponsor pot, `recovery_due` what its open clawbacks still owe it (SPEC §18.4).
    With `agency_id`, only that agency's programs count (what its staff see,
    program.permissions.user_agency_id)."""
    in_agency = {} if agency_id is None else {"program__agency_id": agency_id}
    contributions = Contribution.objects.filter(sponsor_id=sponsor_id, **in_agency).aggregate(
        cash=Sum("amount", filter=Q(kind=Contribution.Kind.CASH), default=0),
        in_kind=Sum("amount", filter=Q(kind=Contribution.Kind.IN_KIND), default=0),
    )
    # The pots by year (the pots are the sums over years), from the running totals the database
    # keeps per program (funds.PotTotal): a few rows, however long the ledger.
    by_year_pots = pot_balances_by("program__year", program__sponsor_id=sponsor_id, **in_agency)
    balances = sum_balances(by_year_pots.values())
    pots = {pot: balance.figures() for pot, balance in balances.items()}

    supported = Application.objects.filter(
        program__sponsor_id=sponsor_id, status__in=SPONSOR_VISIBLE, **in_agency
    )
    # One pass for the cost-share totals, by_region and by_level (region x level cells).
    cells = list(
        supported.values("company__region", "level")
        .annotate(
            projects=Count("id"),
            shares=Count("cost_share__id"),
            government=Sum("cost_share__government", default=0),
            sponsor_share=Sum("cost_share__sponsor", default=0),
            total=Sum("cost_share__total", default=0),
        )
        .order_by()
    )
    shares = {
        "projects": sum(c["shares"] for c in cells),
        "government": sum(c["government"] for c in cells),
        "sponsor": sum(c["sponsor_share"] for c in cells),
        "total": sum(c["total"] for c in cells),
    }
    regions: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"projects": 0, "sponsor_share": 0})
    levels: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"projects": 0, "sponsor_share": 0})
    for c in cells:
        for bucket in (regions[c["company__region"]], levels[c["level"]]):
            bucket["projects"] += c["projects"]
            bucket["sponsor_share"] += c["sponsor_share"]

    by_year_apps: dict[int, Mapping[str, Any]] = {
        row["program__year"]: row
        for row in supported.values("program__year")
        .annotate(smes=Count("company", distinct=True), projects=Count("id"))
        .order_by()
    }
    by_year = _by_year(by_year_pots, by_year_apps)
    by_region = [
        {
            "region": code,
            "label": str(label),
            **(dict(regions[code]) if code in regions else {"projects": 0, "sponsor_share": 0}),
        }
        for code, label in Region.choices
    ]
    by_level = [
        {
            "level": code,
            "label": str(label),
            **(dict(levels[code]) if code in levels else {"projects": 0, "sponsor_share": 0}),
        }
        for code, label in SupportLevel.choices
    ]
    partner_q = Q(company__partner_of_id=sponsor_id) | Q(
        company__is_sponsor_partner=True, company__partner_of__isnull=True
    )
    partners = supported.aggregate(
        partner=Count("company", filter=partner_q, distinct=True),
        general=Count("company", filter=~partner_q, distinct=True),
    )
    # Per KPI with any report: the adopters' figures, and those of the comparison group (docs/domain.md §8).
    outcomes = [
        {
            "kpi": row["kpi"],
            "label": row["label"],
            "companies": row["adopters"]["companies"],
            "change_percent": row["adopters"]["mean_change_percent"],
            "comparison": row["comparison"],
            "difference": row["difference"],
        }
        for row in outcome_aggregates(sponsor_id=sponsor_id, agency_id=agency_id).values()
        if row["adopters"]["companies"] or row["comparison"]["companies"]
    ]
    gov, spon = balances[Pot.GOVERNMENT], balances[Pot.SPONSOR]
    projects = shares["projects"]
    capacity = None
    if projects:
        average_gov = shares["government"] / projects
        average_sponsor = shares["sponsor"] / projects
        limits = []
        if average_gov > 0:
            limits.append(gov.available / average_gov)
        if average_sponsor > 0:
            limits.append(spon.available / average_sponsor)
        capacity = {
            "projects": int(min(limits)) if limits else 0,
            "average_total": shares["total"] // projects,
            "average_government": int(average_gov),
            "average_sponsor": int(average_sponsor),
        }
    return {
        "contributed": {
            "cash": contributions["cash"],
            "in_kind": contributions["in_kind"],
            "total": contributions["cash"] + contributions["in_kind"],
        },
        "committed": spon.committed_net,
        "committed_net": spon.committed_net,
        "disbursed": spon.disbursed,
        "available": spon.available,
        "recovered": spon.recovered,
        "recovery_due": recovery_due(sponsor_id=sponsor_id, agency_id=agency_id),
        "pots": pots,
        "smes_supported": partners["partner"] + partners["general"],
        "projects_supported": projects,
        "partners": partners,
        "by_year": by_year,
        "by_region": by_region,
        "by_level": by_level,
        "outcomes": outcomes,
        "capacity_estimate": capacity,
    }


def recovery_due(*, sponsor_id: int, agency_id: int | None = None) -> int:
    """What the open clawbacks of a sponsor's programs still owe its pot (SPEC §18.4): the sum of
    sponsor − collected_sponsor over them, in one query. Collected and uncollectable ones owe nothing."""
    in_agency = {} if agency_id is None else {"application__program__agency_id": agency_id}
    return Clawback.objects.filter(
        application__program__sponsor_id=sponsor_id, status=Clawback.Status.OPEN, **in_agency
    ).aggregate(due=Sum(F("sponsor") - F("collected_sponsor"), default=0))["due"]


def _by_year(pots: dict[Any, dict[str, PotBalance]], apps: dict[int, Mapping[str, Any]]) -> list[dict]:
    """Per year with sponsor money or supported projects: the sponsor pot's contributed, committed
    (net of releases, docs/domain.md §3.4) and disbursed, and the SMEs and projects supported."""
    money = {year: p[Pot.SPONSOR] for year, p in pots.items() if p[Pot.SPONSOR] != PotBalance()}
    rows = []
    for year in sorted(set(apps) | set(money)):
        balance, supported = money.get(year, PotBalance()), apps.get(year, {})
        rows.append({
            "year": year,
            "contributed": balance.total,
            "committed": balance.committed_net,
            "disbursed": balance.disbursed,
            "smes": supported.get("smes", 0),
            "projects": supported.get("projects", 0),
        })  # fmt: skip
    return rows


def sponsor_projects(*, sponsor_id: int, agency_id: int | None = None) -> QuerySet[Application]:
    """The projects a sponsor's money supports (SPEC §1): its programs' applications from selection
    on, running before completed, newest decision first, with the company, program, split, active
    mentors, the agreement's status and period and the newest inspection's result loaded (two
    queries a page: the rows, the mentors). With `agency_id`, only that agency's programs."""
    in_agency = {} if agency_id is None else {"program__agency_id": agency_id}
    mentorings = MentoringAssignment.objects.filter(status=MentoringAssignment.Status.ACTIVE).select_related(
        "mentor"
    )
    supported = Application.objects.filter(
        program__sponsor_id=sponsor_id, status__in=SPONSOR_VISIBLE, **in_agency
    )
    return (
        with_project_state(supported)
        .select_related("company", "program", "cost_share")
        .defer("plan")
        .prefetch_related(Prefetch("mentoring_assignments", queryset=mentorings, to_attr="active_mentorings"))
        .order_by(
            Case(When(status=Application.Status.COMPLETED, then=1), default=0),
            F("decided_at").desc(nulls_last=True),
            "-id",
        )
    )

"""A sponsor's fund dashboard (docs/domain.md §10 `sponsors/{id}/dashboard/`, page `/sponsor/`).

Every figure comes from the ledger, the contributions and the supported applications, each in one
grouped query: the dashboard runs the same number of queries whatever the sponsor's size.
"""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, Sum

from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE
from funds.models import Contribution, LedgerEntry, Pot, PotTotal
from funds.selectors import PotBalance
from program.choices import Region, SupportLevel
from reports.outcomes import outcome_aggregates

K = LedgerEntry.Kind


def _pot_sums(rows) -> dict:
    sums = {pot: {kind: 0 for kind in K.values} for pot in Pot.values}
    for row in rows:
        sums[row["pot"]][row["kind"]] = row["amount"]
    balances = {pot: PotBalance.of(s) for pot, s in sums.items()}
    return {
        pot: {
            "total": b.total,
            "committed": b.net_committed,
            "released": b.released,
            "disbursed": b.disbursed,
            "available": b.available,
        }
        for pot, b in balances.items()
    }


def sponsor_dashboard(*, sponsor_id: int) -> dict:
    """The figures of one sponsor's dashboard, as plain data (ints, lists, dicts). Six queries."""
    contributions = Contribution.objects.filter(sponsor_id=sponsor_id).aggregate(
        cash=Sum("amount", filter=Q(kind=Contribution.Kind.CASH), default=0),
        in_kind=Sum("amount", filter=Q(kind=Contribution.Kind.IN_KIND), default=0),
    )
    # The ledger by year, pot and kind (the pots are the sums over years), from the running totals
    # the database keeps per program (funds.PotTotal): a few rows, however long the ledger.
    ledger_rows = list(
        PotTotal.objects.filter(program__sponsor_id=sponsor_id)
        .values("program__year", "pot", "kind")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    totals: defaultdict[tuple[str, str], int] = defaultdict(int)
    by_year_ledger: defaultdict[int, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in ledger_rows:
        totals[(row["pot"], row["kind"])] += row["amount"]
        if row["pot"] == Pot.SPONSOR:
            by_year_ledger[row["program__year"]][row["kind"]] = row["amount"]
    pots = _pot_sums([{"pot": pot, "kind": kind, "amount": amount} for (pot, kind), amount in totals.items()])

    supported = Application.objects.filter(program__sponsor_id=sponsor_id, status__in=SPONSOR_VISIBLE)
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
    years = sorted(set(by_year_apps) | set(by_year_ledger))
    by_year = [
        {
            "year": year,
            "contributed": by_year_ledger[year][K.CONTRIBUTION],
            "committed": by_year_ledger[year][K.COMMITMENT] - by_year_ledger[year][K.RELEASE],
            "disbursed": by_year_ledger[year][K.DISBURSEMENT],
            "smes": by_year_apps.get(year, {}).get("smes", 0),
            "projects": by_year_apps.get(year, {}).get("projects", 0),
        }
        for year in years
    ]
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
        for row in outcome_aggregates(sponsor_id=sponsor_id).values()
        if row["adopters"]["companies"] or row["comparison"]["companies"]
    ]
    gov, spon = pots[Pot.GOVERNMENT], pots[Pot.SPONSOR]
    projects = shares["projects"]
    capacity = None
    if projects:
        average_gov = shares["government"] / projects
        average_sponsor = shares["sponsor"] / projects
        limits = []
        if average_gov > 0:
            limits.append(gov["available"] / average_gov)
        if average_sponsor > 0:
            limits.append(spon["available"] / average_sponsor)
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
        "committed": spon["committed"],
        "disbursed": spon["disbursed"],
        "available": spon["available"],
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

"""Funds' sections of the signed-in home (program/home.py): what is committed and not yet paid.

Staff see, per program of their agency, the money committed to selected projects that no payment
has drawn yet (the payments to make); the ministry sees every agency's committed and paid. The
figures are the running totals per program (funds.PotTotal, `pot_balances_by`): one query however
long the ledger, and one more for the names.
"""

from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import is_ministry, is_staff
from funds.models import Pot
from funds.selectors import PotBalance, pot_balances_by
from program.home import HomeSection
from program.models import Agency
from program.permissions import user_agency_id
from program.selectors import program_list


def staff_payments(request) -> HomeSection | None:
    """Staff: per program of their agency with money still owed, the government and sponsor shares
    committed and not paid, largest first. Two queries."""
    user = request.user
    if not is_staff(user):
        return None
    agency_id = user_agency_id(user)
    scope = {} if agency_id is None else {"program__agency_id": agency_id}
    owed = {
        program_id: {"government": pots[Pot.GOVERNMENT].outstanding, "sponsor": pots[Pot.SPONSOR].outstanding}
        for program_id, pots in pot_balances_by("program_id", **scope).items()
    }
    owed = {pk: o for pk, o in owed.items() if o["government"] or o["sponsor"]}
    rows: list[dict[str, Any]] = [
        {
            "program": program,
            **owed[program.pk],
            "total": owed[program.pk]["government"] + owed[program.pk]["sponsor"],
        }
        for program in program_list(user=user).filter(pk__in=list(owed))
    ]
    rows.sort(key=lambda row: (-row["total"], row["program"].title))
    return HomeSection(
        name="payments",
        title=_("지급할 약정금"),
        template="funds/home/payments.html",
        order=30,
        context={"rows": rows, "total": sum(row["total"] for row in rows)},
    )


def ministry_funds(request) -> HomeSection | None:
    """The ministry: per agency, committed (net of releases) and paid, both pots together. Two
    queries."""
    if not is_ministry(request.user):
        return None
    balances = pot_balances_by("program__agency_id")
    rows: list[dict[str, Any]] = []
    for agency in Agency.objects.order_by("name"):
        both = sum(balances.get(agency.pk, {}).values(), PotBalance())
        rows.append({"agency": agency, "committed": both.committed_net, "disbursed": both.disbursed})
    totals = {key: sum(int(row[key]) for row in rows) for key in ("committed", "disbursed")}
    return HomeSection(
        name="national-funds",
        title=_("협업기관별 약정·지급"),
        template="funds/home/ministry.html",
        order=30,
        context={"rows": rows, "totals": totals},
    )

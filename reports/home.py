"""Reports' sections of the signed-in home (program/home.py): a sponsor's headline figures and the
projects its money supports (SPEC §1, §11), and for everyone who requests reports, the reports that
failed or are ready.

The sponsor's figures are those of its dashboard (reports.dashboard): the sponsor pot from the
running totals, the contributions as the dashboard counts them (cash and in kind), the government
pot's total as the match.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from accounts.roles import is_official, is_sponsor_user
from funds.models import Contribution, Pot
from funds.selectors import no_balances, pot_balances_by
from program.home import HomeSection
from reports.dashboard import recovery_due, sponsor_projects
from reports.models import Report
from reports.permissions import can_request_report
from reports.selectors import report_visible

HOME_PROJECTS = 10


def sponsor_figures(request) -> HomeSection | None:
    """A sponsor: contributed, matched, committed, paid, available, recovered and still due on
    clawbacks, and its supported projects (the newest ten; the dashboard pages through all). Six queries."""
    user = request.user
    if not is_sponsor_user(user):
        return None
    sponsor_id = user.sponsor_id
    pots = (
        pot_balances_by("program__sponsor_id", program__sponsor_id=sponsor_id).get(sponsor_id)
        or no_balances()
    )
    contributed = Contribution.objects.filter(sponsor_id=sponsor_id).aggregate(total=Sum("amount", default=0))
    own, government = pots[Pot.SPONSOR], pots[Pot.GOVERNMENT]
    projects = sponsor_projects(sponsor_id=sponsor_id)
    figures = {
        "contributed": contributed["total"],
        "matched": government.total,
        "committed": own.committed_net,
        "disbursed": own.disbursed,
        "available": own.available,
        "recovered": own.recovered,
        "recovery_due": recovery_due(sponsor_id=sponsor_id),
        "projects": projects.count(),
    }
    return HomeSection(
        name="sponsor",
        title=_("재원 현황"),
        template="reports/home/sponsor.html",
        order=10,
        context={"figures": figures, "projects": list(projects[:HOME_PROJECTS]), "sponsor": user.sponsor},
    )


def report_status(request) -> HomeSection | None:
    """Officials and sponsors: reports that failed (to request again) and those ready. One query."""
    user = request.user
    if not (is_official(user) or is_sponsor_user(user)) or not can_request_report(user):
        return None
    S = Report.Status
    counts = (
        report_visible(user)
        .order_by()
        .aggregate(
            failed=Count("pk", filter=Q(status=S.FAILED)),
            done=Count("pk", filter=Q(status=S.DONE)),
            pending=Count("pk", filter=Q(status__in=(S.PENDING, S.RUNNING))),
        )
    )
    return HomeSection(
        name="reports",
        title=_("보고서"),
        template="reports/home/reports.html",
        order=60,
        context={"counts": counts, "statuses": S},
    )

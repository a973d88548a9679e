"""What the SME's spending register shows (SPEC §18.1-§18.2), gathered for its page and the home:
the lines with their running total against the agreed total, the deposits and the share of its own
the SME owes so far. Reads only; the sums are the selectors' (execution.selectors)."""

from typing import Any

from applicants.models import Application
from execution.clawback_selectors import clawbacks_of
from execution.selectors import deposit_list, deposit_total, spending_list, spending_sums
from execution.services.deposits import sme_share_required
from funds.models import Pot
from funds.selectors import application_balances

S = Application.Status
# The register and the settlement exist once the project is funded and stay readable after it ends.
REGISTER_SHOWN = (S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED, S.TERMINATED)


def register_context(application: Application) -> dict[str, Any]:
    """The register page's figures. Five queries, however many lines (the project's cost share comes
    with the application: applicants.selectors.application_list joins it)."""
    cost_share = getattr(application, "cost_share", None)
    agreed_total = cost_share.total if cost_share is not None else 0
    sums = spending_sums(application_id=application.pk)
    balances = application_balances(application_id=application.pk)
    paid = sum(balances[pot].disbursed for pot in (Pot.GOVERNMENT, Pot.SPONSOR) if pot in balances)
    deposited = deposit_total(application_id=application.pk)
    return {
        "application": application,
        "lines": spending_list(application_id=application.pk),
        "sums": sums,
        "agreed_total": agreed_total,
        "remaining": agreed_total - sums.counted,
        "over_budget": sums.counted > agreed_total,
        "deposits": deposit_list(application_id=application.pk),
        "deposited": deposited,
        "paid": paid,
        "sme_due": sme_share_required(share=cost_share, paid_after=paid) if cost_share is not None else 0,
        "sme_share": cost_share.sme if cost_share is not None else 0,
        "clawbacks": [c for c in clawbacks_of(application_id=application.pk) if c.status == "open"],
    }

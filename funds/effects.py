"""What an application's workflow does to money, plugged into applicants' services through the
extension points of config/plugins.py (settings.PLUGINS): applicants never imports funds.

Each runs inside the caller's transaction, so a refusal here (a pot that cannot cover the
commitment) rolls the whole action back.
"""

from applicants.models import Application
from applicants.workflow import FUNDED
from funds.outbox import cost_share_request
from funds.services import fund_commit, fund_release


def application_transition(*, application: Application, action: str, previous: str, actor) -> None:
    """`select` commits the split to both pots (docs/domain.md §3.2); `withdraw` after funding
    releases what is still committed (§3.4), and so does `terminate` (협약해지, SPEC §4).

    What a terminated project was already paid is not released: it is owed back. Clawbacks
    (환수, SPEC §18.5) come with issue 20 and will be opened here for the paid part."""
    if action == "select":
        # The commitment needs the split now; the task recomputes it idempotently after.
        fund_commit(application=application, actor=actor)
        cost_share_request(application_id=application.pk)
    elif action in ("withdraw", "terminate") and previous in FUNDED:
        fund_release(application=application, actor=actor)


def application_cost_changed(*, application: Application) -> None:
    """A new or changed total cost: the split is computed again by the worker. Through the outbox,
    so a broker outage never fails the request and never loses the task."""
    cost_share_request(application_id=application.pk)

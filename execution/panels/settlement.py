"""The staff application page's deposits, settlement and clawbacks panel (SPEC §18.2–§18.4), tab
"funds": the SME's deposits with the form to record one, the settlement's figures with a link to the
sheet, and the application's clawbacks with a link to open one."""

from typing import Any

from applicants.panels import panel
from execution.clawback_selectors import clawbacks_of
from execution.forms import DepositForm
from execution.permissions import can_manage_execution
from execution.register import REGISTER_SHOWN
from execution.selectors import deposit_list
from execution.settlement import settlement_figures


@panel(name="settlement", template="execution/panels/settlement.html", tab="funds")
def settlement(request, application, *, deposit_form: DepositForm | None = None) -> dict[str, Any] | None:
    if application.status not in REGISTER_SHOWN:
        return None
    deposits = list(deposit_list(application_id=application.pk))
    return {
        "deposits": deposits,
        "deposited": sum(deposit.amount for deposit in deposits),
        "figures": settlement_figures(application=application),
        "clawbacks": clawbacks_of(application_id=application.pk),
        "can_manage": can_manage_execution(request.user, application),
        "deposit_form": deposit_form or DepositForm(auto_id="deposit-%s"),
    }

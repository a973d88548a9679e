"""Funds' panel on the staff application page (applicants/panels.py): the payments."""

from typing import Any

from applicants.panels import panel
from funds.forms import DisbursementForm
from funds.permissions import can_record_disbursement
from funds.selectors import application_outstanding
from funds.services import PAYABLE


@panel(name="payments", template="funds/panels/payments.html", tab="funds")
def payments(request, application, *, payment_form: DisbursementForm | None = None) -> dict[str, Any] | None:
    """What was paid and what is still owed, and the form to record a payment (docs/domain.md §3.3);
    only once money is committed to the application."""
    if application.status not in PAYABLE:
        return None
    return {
        "payments": application.disbursements.order_by("paid_on", "id"),
        "outstanding": sum(application_outstanding(application_id=application.pk).values()),
        "payment_form": payment_form or DisbursementForm(),
        "can_record": can_record_disbursement(request.user, application),
    }

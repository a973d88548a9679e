"""Funds' panels on the staff application page (applicants/panels.py): the payments, and the company's
support history with its warnings (SPEC §15.4)."""

from typing import Any

from applicants.panels import panel
from funds.forms import DisbursementForm
from funds.history import company_history, company_warnings
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


@panel(name="support_history", template="funds/panels/support_history.html")
def support_history(request, application, **overrides) -> dict[str, Any]:
    """지원 이력 (SPEC §15.4) in the overview, beside the declarations: the company's other support in any
    program or agency and the imported records, with the three warnings on top (banned, repeat
    level, another live application this year). Five queries however long the history."""
    return {
        # Not `history` nor `warnings`: the page's own context has those names (its timeline).
        "support_rows": company_history(
            application.company.business_number, exclude_application_id=application.pk
        ),
        "support_warnings": company_warnings(application),
    }

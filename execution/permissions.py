"""Who may see and do what with a funded project's spending, deposits, settlement and clawbacks
(SPEC §18, §14). Outside scope answers 404: the application is first found in its scope
(applicants.selectors.application_visible), then these predicates decide (403 for a role that sees
but may not act). Evaluators and mentors see none of it (404)."""

from django.db.models import Q

from accounts.roles import is_official, is_sponsor_user
from applicants.permissions import is_owner
from program.permissions import agency_scope, can_act_in_agency


def can_view_execution(user, application) -> bool:
    """Spending, deposits, the settlement and clawbacks of an application `user` already sees: the
    agency's officials (staff, the ministry), the SME's people and the program's sponsor."""
    if is_official(user) or is_owner(user, application):
        return True
    return is_sponsor_user(user) and user.sponsor_id == application.program.sponsor_id


def can_record_spending(user, application) -> bool:
    """The SME's owner records its spending (SPEC §18.1); the state (`building`) is the service's check."""
    return is_owner(user, application)


def can_manage_execution(user, application) -> bool:
    """Staff of the application's agency review spending, record deposits, confirm the settlement
    and open and collect clawbacks; the ministry and everyone else only read (403)."""
    return can_act_in_agency(user, application.program.agency_id)


def execution_scope(user, prefix: str = "application__") -> Q | None:
    """Lists across applications (the review queue, clawbacks): staff their agency's programs', the
    ministry all; None for everyone else. `prefix` reaches the application from the listed model."""
    if is_official(user):
        return agency_scope(user, f"{prefix}program__agency")
    return None

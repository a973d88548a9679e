"""Who may see and do what with a funded project's agreement, changes and inspection (SPEC §16–§17).

Outside a user's scope means 404: the application is first found in `applicants.permissions`'s scope,
then these predicates decide. Evaluators and mentors see an application but not its agreement (404).
"""

from accounts.roles import is_official, is_sponsor_user
from applicants.permissions import is_owner
from program.permissions import can_act_in_agency


def can_view_agreement(user, application) -> bool:
    """The agency's officials (staff, the ministry), the SME's people and the program's sponsor. The
    application itself must already be in the user's scope (applicants.selectors)."""
    if is_official(user):
        return True
    if is_owner(user, application):
        return True
    return is_sponsor_user(user) and user.sponsor_id == application.program.sponsor_id


def can_edit_agreement(user, application) -> bool:
    """Staff of the application's agency draft, send and countersign; the ministry reads only."""
    return can_act_in_agency(user, application.program.agency_id)


def can_sign_agreement(user, application) -> bool:
    """The SME's owner (an active applicant of the company) signs for the SME."""
    return is_owner(user, application)

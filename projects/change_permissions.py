"""Who may see and do what with agreement changes (협약변경, SPEC §16). Outside scope means 404.

The application's own scope comes first (applicants/permissions.py): whoever cannot see the
application gets 404. Of those who can, officials of its agency, the SME's people and the program's
sponsor (whose money a cost change moves) read the changes; evaluators and mentors do not (404).
"""

from accounts.roles import is_official, is_sponsor_user
from applicants.models import Application
from applicants.permissions import is_owner
from program.permissions import can_act_in_agency, in_agency_scope


def can_read_changes(user, application: Application) -> bool:
    """Among those who see the application: officials, the SME's users and the program's sponsor."""
    if is_official(user):
        return in_agency_scope(user, application.program.agency_id)
    if is_sponsor_user(user):
        return application.program.sponsor_id == user.sponsor_id
    return is_owner(user, application)


def can_request_change(user, application: Application) -> bool:
    """The SME asks for changes: an applicant of the application's company."""
    return is_owner(user, application)


def can_decide_change(user, application: Application) -> bool:
    """Staff of the program's agency approve or reject; the ministry reads only (403)."""
    return can_act_in_agency(user, application.program.agency_id)

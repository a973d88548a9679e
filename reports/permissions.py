"""Who may ask for reports and enter outcomes (docs/domain.md §1, §8, §9). Outside scope means 404."""

from accounts.roles import is_sponsor_user, is_staff
from applicants.models import Application
from applicants.permissions import is_owner
from program.models import Program, Sponsor


def can_request_report(user, *, program: Program | None = None, sponsor: Sponsor | None = None) -> bool:
    """Staff ask for any report; a sponsor user only for its own sponsor and its programs (§9)."""
    if is_staff(user):
        return True
    if not is_sponsor_user(user):
        return False
    other_sponsor = sponsor is not None and sponsor.pk != user.sponsor_id
    other_program = program is not None and program.sponsor_id != user.sponsor_id
    return not (other_sponsor or other_program)


def can_report_outcomes(user, application: Application) -> bool:
    """Staff enter and correct any application's outcomes; an SME its own company's."""
    return is_staff(user) or is_owner(user, application)

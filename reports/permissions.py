"""Who may ask for reports and enter outcomes (docs/domain.md §1, §8, §9). Outside scope means 404.

Officials work by agency: staff ask for reports on their own agency's programs and see those; the
ministry asks for any and sees every one. A sponsor user keeps to its own sponsor."""

from django.db.models import Q

from accounts.models import Role
from accounts.roles import is_official, is_sponsor_user, is_staff
from applicants.models import Application
from applicants.permissions import is_owner
from program.models import Program, Sponsor
from program.permissions import agency_scope, in_agency_scope


def report_scope(user) -> Q | None:
    """The reports `user` may see: officials those about their agency scope (the ministry every one;
    staff those of their agency, and those of no agency about one of its programs, such as a
    sponsor's or the ministry's on that program), a sponsor user the reports its sponsor's people
    asked for (always scoped to the sponsor) and the scheduled reports of its programs; None: none."""
    if is_official(user):
        of_agency = agency_scope(user)
        if not of_agency:  # every agency's
            return of_agency
        return of_agency | (Q(agency__isnull=True) & agency_scope(user, "program__agency"))
    if not is_sponsor_user(user):
        return None
    own = Q(sponsor_id=user.sponsor_id) | Q(program__sponsor_id=user.sponsor_id)
    asked_by_sponsor = Q(requested_by__role=Role.SPONSOR, requested_by__sponsor_id=user.sponsor_id)
    return own & (asked_by_sponsor | Q(scheduled=True))


def can_request_report(user, *, program: Program | None = None, sponsor: Sponsor | None = None) -> bool:
    """Officials ask for reports (the ministry of any scope, staff on their agency's programs; any
    sponsor: a shared register); a sponsor user only for its own sponsor and its programs (§9)."""
    if is_official(user):
        return program is None or in_agency_scope(user, program.agency_id)
    if not is_sponsor_user(user):
        return False
    other_sponsor = sponsor is not None and sponsor.pk != user.sponsor_id
    other_program = program is not None and program.sponsor_id != user.sponsor_id
    return not (other_sponsor or other_program)


def can_report_outcomes(user, application: Application) -> bool:
    """Staff enter and correct their agency's applications' outcomes; an SME its own company's."""
    if is_staff(user):
        return in_agency_scope(user, application.program.agency_id)
    return is_owner(user, application)

"""Who may see and do what with a program's money (docs/domain.md §1, §3). Outside scope means 404.

Officials work by agency (docs/domain.md §1): staff see and change the money of their own agency's
programs, the ministry reads every agency's and changes nothing (403)."""

from django.db.models import Q

from accounts.roles import is_official, is_sponsor_user
from applicants.models import Application
from program.models import Program
from program.permissions import agency_scope, can_act_in_agency, in_agency_scope


def contribution_scope(user) -> Q | None:
    """The contributions `user` may see: staff their agency's programs', the ministry all, a sponsor
    user its sponsor's; None means none."""
    if is_official(user):
        return agency_scope(user, "program__agency")
    if is_sponsor_user(user):
        return Q(sponsor_id=user.sponsor_id)
    return None


def can_record_contribution(user, program: Program) -> bool:
    """Staff of the program's agency record a sponsor's contributions into its pot; the sponsor and
    the ministry see them only."""
    return can_act_in_agency(user, program.agency_id)


def can_view_ranking(user, program: Program) -> bool:
    """A program's ranking against its money line: officials whose scope holds the program; to anyone
    else it does not exist (404)."""
    return is_official(user) and in_agency_scope(user, program.agency_id)


def can_record_disbursement(user, application: Application) -> bool:
    """Staff of the application's agency record payments to it; whoever else sees it may not (403)."""
    return can_act_in_agency(user, application.program.agency_id)

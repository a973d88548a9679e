"""Who may see and do what with a program's money (docs/domain.md §1, §3). Outside scope means 404."""

from django.db.models import Q

from accounts.roles import is_sponsor_user, is_staff
from applicants.models import Application
from program.models import Program


def contribution_scope(user) -> Q | None:
    """The contributions `user` may see: staff all, a sponsor user its sponsor's; None means none."""
    if is_staff(user):
        return Q()
    if is_sponsor_user(user):
        return Q(sponsor_id=user.sponsor_id)
    return None


def can_record_contribution(user, program: Program) -> bool:
    """Staff record a sponsor's contributions into a program's pot; the sponsor sees them only."""
    return is_staff(user)


def can_view_ranking(user, program: Program) -> bool:
    """A program's ranking against its money line: staff only; to anyone else it does not exist (404)."""
    return is_staff(user)


def can_record_disbursement(user, application: Application) -> bool:
    """Staff record payments to a funded application; whoever else sees it may not (403)."""
    return is_staff(user)

"""Who may see and do what with programs and sponsors (docs/domain.md §1). Outside scope means 404."""

from django.db.models import Q

from accounts.roles import is_sponsor_user, is_staff
from program.models import Program


def program_scope(user) -> Q:
    """The programs `user` may see: staff all, a sponsor its own (drafts too), others the published."""
    if is_staff(user):
        return Q()
    if is_sponsor_user(user):
        return Q(sponsor_id=user.sponsor_id)
    return ~Q(status=Program.Status.DRAFT)


def sponsor_scope(user) -> Q | None:
    """The sponsors `user` may see: staff all, a sponsor user its own; None means none at all."""
    if is_staff(user):
        return Q()
    if is_sponsor_user(user):
        return Q(pk=user.sponsor_id)
    return None


def can_view_sponsor(user, sponsor_id: int) -> bool:
    """A sponsor's figures (its fund dashboard, its programs' pots): staff, and the sponsor's own users."""
    return is_staff(user) or (is_sponsor_user(user) and user.sponsor_id == sponsor_id)


def can_view_program_fund(user, program: Program) -> bool:
    return can_view_sponsor(user, program.sponsor_id)


def can_change_program(user, program: Program | None = None) -> bool:
    """Staff create and edit programs; a sponsor may see its programs but not change them (403)."""
    return is_staff(user)

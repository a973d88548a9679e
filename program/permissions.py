"""Who may see and do what with programs and sponsors (docs/domain.md §1). Outside scope means 404."""

from django.db.models import Q

from accounts.roles import is_official, is_sponsor_user, is_staff
from program.models import Program


def user_agency_id(user) -> int | None:
    """The agency an official's scope keeps to: a staff member's own; None (every agency) for the
    ministry, a superuser without an agency and every other role."""
    return user.agency_id if is_staff(user) else None


def agency_scope(user, agency_field: str = "agency") -> Q:
    """What of the program's data an official may see, by the agency it is under (docs/domain.md
    §1): staff their own agency's, the ministry every agency's. `agency_field` is the path from the
    queried model to its agency (`"agency"` for a program, `"program__agency"` for an application…).

    Only for officials; each app's scope answers for the other roles. A superuser holding the staff
    role without an agency sees every agency, as it does in the admin."""
    if (agency_id := user_agency_id(user)) is not None:
        return Q(**{f"{agency_field}_id": agency_id})
    return Q()


def in_agency_scope(user, agency_id: int | None) -> bool:
    """Whether an object under `agency_id` is in the official's agency scope (agency_scope's rule)."""
    if (own := user_agency_id(user)) is not None:
        return agency_id == own
    return is_official(user)


def can_act_in_agency(user, agency_id: int | None) -> bool:
    """Staff act (write) on data under `agency_id` when it is in their agency scope; the ministry
    reads every agency's and acts on none (docs/domain.md §1.1)."""
    return is_staff(user) and in_agency_scope(user, agency_id)


def is_outside_agency(user, agency_id: int | None) -> bool:
    """An official whose agency scope does not hold an object under `agency_id`: it answers 404, not
    403, so that another agency's data does not show it exists (docs/domain.md §1)."""
    return is_official(user) and not in_agency_scope(user, agency_id)


def agency_choice_scope(user) -> Q:
    """The agencies `user` may put a program under (docs/domain.md §1), as a filter on agencies: staff their
    own; a superuser without one any (agency_scope's rule)."""
    if (agency_id := user_agency_id(user)) is not None:
        return Q(pk=agency_id)
    return Q()


def audit_scope(user) -> Q | None:
    """The audit events `user` may read (docs/domain.md §1): staff those about their agency's data and those
    about the shared registers (sponsors, companies, suppliers, mentors, users: no agency); the
    ministry and an agency-less superuser every one. None means none at all."""
    if not is_official(user):
        return None
    scope = agency_scope(user)
    # Q(...) | Q() would be just Q(...): an empty scope (every agency) is kept as it is.
    return scope if not scope else Q(agency__isnull=True) | scope


def program_scope(user) -> Q:
    """The programs `user` may see: staff their agency's, the ministry all, a sponsor its own (drafts
    too), others the published."""
    if is_official(user):
        return agency_scope(user)
    if is_sponsor_user(user):
        return Q(sponsor_id=user.sponsor_id)
    return ~Q(status=Program.Status.DRAFT)


def sponsor_scope(user) -> Q | None:
    """The sponsors `user` may see: staff and the ministry all (a shared register), a sponsor user its
    own; None means none at all."""
    if is_official(user):
        return Q()
    if is_sponsor_user(user):
        return Q(pk=user.sponsor_id)
    return None


def can_view_sponsor(user, sponsor_id: int) -> bool:
    """A sponsor's figures (its fund dashboard, its programs' pots): staff, and the sponsor's own users."""
    return is_official(user) or (is_sponsor_user(user) and user.sponsor_id == sponsor_id)


def can_view_program_fund(user, program: Program) -> bool:
    """A program's pots: officials whose scope holds the program, and the program's sponsor."""
    if is_official(user):
        return in_agency_scope(user, program.agency_id)
    return can_view_sponsor(user, program.sponsor_id)


def can_change_program(user, program: Program | None = None) -> bool:
    """Staff create and edit their agency's programs; the ministry and a sponsor may see programs but
    not change them (403)."""
    if program is not None:
        return can_act_in_agency(user, program.agency_id)
    return is_staff(user)

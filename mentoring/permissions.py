"""Who may see and do what with mentors, assignments and sessions (docs/domain.md §1, §7).

An assignment outside a user's scope answers 404; one in scope that the user may not change, 403.
Officials work by agency: staff their own agency's programs' assignments, the ministry every agency's,
read only. Mentors themselves are a register shared by every agency.
"""

from django.db.models import Q

from accounts.roles import is_applicant, is_mentor, is_official, is_sponsor_user, is_staff
from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE
from mentoring.models import Mentor, MentoringAssignment
from program.permissions import agency_scope, can_act_in_agency


def assignment_scope(user, prefix: str = "") -> Q | None:
    """The assignments `user` may see, as a filter on `prefix` (a path to an assignment); None: none."""
    if is_official(user):
        return agency_scope(user, f"{prefix}application__program__agency")
    if is_mentor(user):
        return Q(**{f"{prefix}mentor__user": user})
    if is_applicant(user) and user.company_id:
        return Q(**{f"{prefix}application__company_id": user.company_id})
    if is_sponsor_user(user):
        return Q(
            **{
                f"{prefix}application__program__sponsor_id": user.sponsor_id,
                f"{prefix}application__status__in": SPONSOR_VISIBLE,
            }
        )
    return None


def can_change_mentor(user, mentor: Mentor | None = None) -> bool:
    """Staff keep the mentor pool: create and edit profiles."""
    return is_staff(user)


def can_view_mentors(user) -> bool:
    """The whole mentor pool and the suggestions for an application: officials (the ministry reads)."""
    return is_official(user)


def can_assign_mentor(user, application: Application | None = None) -> bool:
    """Staff assign mentors to their agency's applications (no application: to any of them)."""
    if application is not None:
        return can_act_in_agency(user, application.program.agency_id)
    return is_staff(user)


def can_end_assignment(user, assignment: MentoringAssignment) -> bool:
    """Staff of the assignment's agency end or cancel it."""
    return can_act_in_agency(user, assignment.application.program.agency_id)


def is_own_mentor(user, assignment: MentoringAssignment) -> bool:
    """The active mentor user the assignment belongs to."""
    return bool(user.is_authenticated and user.is_active and assignment.mentor.user_id == user.pk)


def can_log_session(user, assignment: MentoringAssignment) -> bool:
    """The assignment's own mentor logs its sessions; staff of its agency may log one for it."""
    return is_own_mentor(user, assignment) or (
        can_act_in_agency(user, assignment.application.program.agency_id)
    )

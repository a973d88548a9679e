"""Who may see and do what with mentors, assignments and sessions (docs/domain.md §1, §7).

An assignment outside a user's scope answers 404; one in scope that the user may not change, 403.
"""

from django.db.models import Q

from accounts.roles import is_applicant, is_mentor, is_sponsor_user, is_staff
from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE
from mentoring.models import Mentor, MentoringAssignment


def assignment_scope(user, prefix: str = "") -> Q | None:
    """The assignments `user` may see, as a filter on `prefix` (a path to an assignment); None: none."""
    if is_staff(user):
        return Q()
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


def can_assign_mentor(user, application: Application | None = None) -> bool:
    """Staff assign mentors to an application and ask for suggestions (no application: to any)."""
    return is_staff(user)


def can_end_assignment(user, assignment: MentoringAssignment) -> bool:
    return is_staff(user)


def is_own_mentor(user, assignment: MentoringAssignment) -> bool:
    """The active mentor user the assignment belongs to."""
    return bool(user.is_authenticated and user.is_active and assignment.mentor.user_id == user.pk)


def can_log_session(user, assignment: MentoringAssignment) -> bool:
    """The assignment's own mentor logs its sessions; staff may log one for it."""
    return is_own_mentor(user, assignment) or is_staff(user)

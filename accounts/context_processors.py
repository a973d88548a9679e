"""Template context from accounts: which role the signed-in user holds (docs/domain.md §1)."""

from types import SimpleNamespace

from accounts.roles import (
    is_applicant,
    is_evaluator,
    is_mentor,
    is_ministry,
    is_official,
    is_sponsor_user,
    is_staff,
)


def roles(request) -> dict:
    """`roles`: the role predicates of accounts/roles.py answered for the signed-in user, so a
    template writes `{% if roles.staff %}` and never compares role strings itself."""
    # A session that still owes its second factor (accounts/middleware.py) is shown no role's menu.
    pending = getattr(request, "two_factor_pending", False)
    user = None if pending else getattr(request, "user", None)
    return {
        "two_factor_pending": pending,
        "roles": SimpleNamespace(
            staff=is_staff(user),
            evaluator=is_evaluator(user),
            applicant=is_applicant(user),
            sponsor=is_sponsor_user(user),
            mentor=is_mentor(user),
            ministry=is_ministry(user),
            official=is_official(user),  # staff or the ministry: the staff menu
        ),
    }

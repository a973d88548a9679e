"""The role predicates of docs/domain.md §1: one small function per role, each taking a user.

Each answers False for an anonymous or inactive user. These say which role a person holds; what a
role may do with an object lives in each app's `permissions.py` (`can_<verb>_<object>`). Django's
own `user.is_staff` attribute is the admin flag, a different thing.
"""

from accounts.models import Role


def _has_role(user, role: Role) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == role)


def is_staff(user) -> bool:
    """A program officer of the executing agency (사업담당자)."""
    return _has_role(user, Role.STAFF)


def is_evaluator(user) -> bool:
    return _has_role(user, Role.EVALUATOR)


def is_applicant(user) -> bool:
    """An applicant, whether or not it has registered its company yet."""
    return _has_role(user, Role.APPLICANT)


def is_sponsor_user(user) -> bool:
    """An active user of the sponsor role, bound to a sponsor."""
    return _has_role(user, Role.SPONSOR) and bool(user.sponsor_id)


def is_mentor(user) -> bool:
    return _has_role(user, Role.MENTOR)


def is_ministry(user) -> bool:
    """Oversight at 중소벤처기업부 / 스마트제조혁신추진단: reads what staff read, in every agency;
    writes nothing (docs/domain.md §1)."""
    return _has_role(user, Role.MINISTRY)


def is_official(user) -> bool:
    """Staff or the ministry: the people who may open staff pages and read staff data."""
    return is_staff(user) or is_ministry(user)

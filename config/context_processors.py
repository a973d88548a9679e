"""Template context every page gets."""

from types import SimpleNamespace

from django.conf import settings

from accounts import roles as role_predicates


def demo_mode(request) -> dict:
    """`demo_mode`: the page is served from demo data (config/settings/demo.py), so base.html says so."""
    return {"demo_mode": getattr(settings, "DEMO_MODE", False)}


def roles(request) -> dict:
    """`roles`: which role the signed-in user holds, asked of accounts/roles.py (docs/domain.md §1),
    so a template writes `{% if roles.staff %}` and never compares role strings itself."""
    user = getattr(request, "user", None)
    return {
        "roles": SimpleNamespace(
            staff=role_predicates.is_staff(user),
            evaluator=role_predicates.is_evaluator(user),
            applicant=role_predicates.is_applicant(user),
            sponsor=role_predicates.is_sponsor_user(user),
            mentor=role_predicates.is_mentor(user),
        )
    }

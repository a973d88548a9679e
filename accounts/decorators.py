from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import is_applicant, is_evaluator, is_mentor, is_ministry, is_staff

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def role_required(has_role):
    """Pages of one role (`has_role` is a predicate of accounts.roles): the login page for anonymous
    visitors, 404 for everyone else."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def staff_required(view):
    """Staff pages. The ministry opens every one of them but changes nothing: its GET is served and
    any other method answers 403 (docs/domain.md §1). What either sees is its scope's business
    (each app's permissions.py): staff their agency's data, the ministry every agency's."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if is_ministry(request.user):
            if request.method not in SAFE_METHODS:
                raise PermissionDenied
        elif not is_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


applicant_required = role_required(is_applicant)
evaluator_required = role_required(is_evaluator)
mentor_required = role_required(is_mentor)

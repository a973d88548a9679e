from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.roles import is_applicant, is_evaluator, is_mentor, is_staff


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


staff_required = role_required(is_staff)
applicant_required = role_required(is_applicant)
evaluator_required = role_required(is_evaluator)
mentor_required = role_required(is_mentor)

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.models import Role


def role_required(role: str):
    """Pages of one role: the login page for anonymous visitors, 404 for everyone else."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not (request.user.is_active and request.user.role == role):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.STAFF)
applicant_required = role_required(Role.APPLICANT)

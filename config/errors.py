"""Domain errors: raised by services, answered by pages and the API with their status and code."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    code = "invalid"
    default_message = _("요청을 처리할 수 없습니다.")

    def __init__(self, message=None, *, code: str | None = None, data: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.data = data or {}  # more of the answer for a client, e.g. {"missing": [kinds]}
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    """The actor's role may not do this (403)."""

    status_code = 403
    code = "permission_denied"
    default_message = _("이 작업을 수행할 권한이 없습니다.")


class Conflict(DomainError):
    """Not possible in the object's current state (409); nothing was changed."""

    status_code = 409
    code = "conflict"
    default_message = _("현재 상태에서는 이 작업을 할 수 없습니다.")


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class InsufficientFunds(Conflict):
    code = "insufficient_funds"
    default_message = _("재원이 부족하여 선정할 수 없습니다.")

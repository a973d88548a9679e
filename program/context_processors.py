"""Template context from program: the header's unread count (the inbox, `/inbox/`)."""

from program.notifications import UNREAD_COUNT_CAP, notification_unread_count


def inbox(request) -> dict:
    """`inbox_unread`: how many of the signed-in user's notices are unread (one query, counted no
    further than UNREAD_COUNT_CAP; "99+" beyond) — lazily, so a response that draws no header
    (a JSON answer, a redirect) runs none. Nothing for anonymous users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": _UnreadCount(user)}


class _UnreadCount:
    """The count, asked of the database at most once, when a template first reads it."""

    def __init__(self, user):
        self._user = user
        self._count: int | None = None

    @property
    def count(self) -> int:
        if self._count is None:
            self._count = notification_unread_count(user=self._user)
        return self._count

    @property
    def label(self) -> str:
        return "99+" if self.count >= UNREAD_COUNT_CAP else str(self.count)

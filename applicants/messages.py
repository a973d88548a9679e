"""Who reads and writes an application's messages (SPEC §19), and which ones.

The thread belongs to the two sides of an application: the SME's people (its company's applicants)
and the officials whose agency scope holds it. They read the `applicant` messages; `internal` notes
are for officials only. Evaluators, mentors and sponsors may see the application but not its thread
(404). Staff of the application's agency post either kind, the SME only `applicant` ones, the
ministry reads both and posts none (403).
"""

from django.db.models import QuerySet
from django.urls import reverse

from accounts.roles import is_official
from applicants.models import Application, Message
from applicants.permissions import application_outside_agency, is_owner
from program.permissions import can_act_in_agency


def can_read_messages(user, application: Application) -> bool:
    if is_official(user):
        return not application_outside_agency(user, application)
    return is_owner(user, application)


def can_post_message(user, application: Application) -> bool:
    return is_owner(user, application) or can_act_in_agency(user, application.program.agency_id)


def visibilities_for(user, application: Application) -> tuple[str, ...]:
    """The kinds of message `user` may read on `application`; none outside the thread's two sides."""
    if not can_read_messages(user, application):
        return ()
    if is_official(user):
        return tuple(Message.Visibility.values)
    return (Message.Visibility.APPLICANT,)


def visibilities_to_post(user, application: Application) -> tuple[str, ...]:
    """The kinds of message `user` may post: staff either, the SME applicant-visible ones only."""
    if not can_post_message(user, application):
        return ()
    if is_official(user):
        return tuple(Message.Visibility.values)
    return (Message.Visibility.APPLICANT,)


def message_list(*, user, application: Application) -> QuerySet[Message]:
    """The messages `user` may read on `application`, oldest first, their files loaded (two queries
    whatever the thread's length; the index on (application, created_at) serves the order)."""
    allowed = visibilities_for(user, application)
    if not allowed:
        return Message.objects.none()
    return (
        Message.objects.filter(application_id=application.pk, visibility__in=allowed)
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


# The pages draw the newest messages of a long thread; `?thread=all` draws the whole of it. A thread of
# 2,500 messages took 0.9 s to draw in full (docs/performance.md, issue 18); the API pages it by 20.
THREAD_SHOWN = 50


def thread_context(request, application: Application, *, form: dict | None = None) -> dict:
    """What a thread shows to the signed-in user (the staff page's panel, the SME's section): its
    messages — the newest THREAD_SHOWN, oldest first, unless the page asks for all (`?thread=all`) —
    and the post form as typed with its errors (`form`: body, visibility, errors)."""
    user = request.user
    postable = visibilities_to_post(user, application)
    messages = message_list(user=user, application=application)
    earlier_url = ""
    if request.GET.get("thread") == "all":
        thread = list(messages)
    else:
        # One more than shown says whether there are earlier ones, without counting them.
        newest = list(messages.order_by("-created_at", "-id")[: THREAD_SHOWN + 1])
        thread = newest[:THREAD_SHOWN][::-1]
        if len(newest) > THREAD_SHOWN:
            official = is_official(user)
            page, anchor = ("staff-detail", "tab-messages") if official else ("my-detail", "messages")
            earlier_url = f"{reverse(f'applicants:{page}', args=[application.pk])}?thread=all#{anchor}"
    return {
        "thread": thread,
        "thread_earlier_url": earlier_url,
        "can_post": bool(postable),
        "can_post_internal": Message.Visibility.INTERNAL in postable,
        "visibilities": [(v, label) for v, label in Message.Visibility.choices if v in postable],
        "form": form or {"body": "", "visibility": Message.Visibility.APPLICANT, "errors": {}},
        "body_max": Message.BODY_MAX_LENGTH,
    }

"""`/inbox/`: a signed-in user's own notices — unread first, each a link to its object's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from program.notifications import notification_list, notification_mark_all_read, notification_mark_read

PAGE_SIZE = 20


@require_GET
@login_required
def inbox(request):
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "program/inbox.html", {"page": page})


@require_POST
@login_required
def inbox_open(request, pk: int):
    """Mark one notice read and go to its object's page: a POST (a GET must not change anything)."""
    notification = notification_mark_read(user=request.user, pk=pk)
    # Only a path of this site: a stored link never sends anyone elsewhere.
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("program:inbox")


@require_POST
@login_required
def inbox_read_all(request):
    marked = notification_mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("알림 %(count)d건을 읽음으로 표시했습니다.") % {"count": marked})
    return redirect("program:inbox")

"""The participation-ban pages (참여제한, SPEC §15.2): the register at `/staff/bans/`, shared by every
agency's staff and read by the ministry; the form to record a ban; lifting one with a note."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from applicants.ban_forms import BanForm, LiftForm
from applicants.bans_selectors import STATES, ban_liftable, ban_list
from applicants.models import ParticipationBan
from applicants.services.bans import ban_lift, ban_record
from config.errors import DomainError
from config.forms import add_validation_errors, validation_message
from program.business_number import format_business_number

PAGE_SIZE = 20


def _state(request) -> str:
    state = request.GET.get("state", "active")
    return state if state in STATES else "active"


@require_GET
@staff_required
def bans(request):
    """The register: search by business number or name, 제한 중/해제/전체, newest first."""
    return _register(request)


def _register(request, *, lift_errors: dict | None = None, status: int = 200):
    state, search = _state(request), request.GET.get("q", "").strip()
    page = Paginator(ban_list(search=search, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [_row(ban, today) for ban in page]
    context = {
        "page": page,
        "rows": rows,
        "state": state,
        "search": search,
        "states": [("active", _("제한 중")), ("lifted", _("해제")), ("all", _("전체"))],
        "lift_errors": lift_errors or {},
    }
    return render(request, "applicants/bans/list.html", context, status=status)


@dataclass(frozen=True)
class Row:
    """A line of the register: the ban, what it is today, and whether it may still be lifted."""

    ban: ParticipationBan
    in_force: bool
    can_lift: bool  # not lifted and not run out: a ban yet to start may be lifted too
    number: str  # 123-45-67890


def _row(ban: ParticipationBan, today: datetime.date) -> Row:
    can_lift = ban_liftable(ban, today)
    return Row(
        ban=ban,
        in_force=can_lift and ban.starts_on <= today,
        can_lift=can_lift,
        number=format_business_number(ban.business_number),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def ban_new(request):
    """Record a ban: 3 years by default, permanent on a second strike or when 영구 is ticked."""
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ban = ban_record(actor=request.user, **form.ban_values())
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied from error
            form.add_error(None, str(error.message))
        else:
            done = _("참여제한을 등록했습니다.")
            if ban.second_strike:
                done = _("재위반이므로 영구 참여제한으로 등록했습니다.")
            messages.success(request, done)
            return redirect("applicants:bans")
    status = 400 if form.errors else 200
    return render(request, "applicants/bans/new.html", {"form": form}, status=status)


@require_POST
@staff_required
def ban_lift_view(request, pk):
    """Lift a ban early with a note; refused, the register again with the reason at its row."""
    ban = get_object_or_404(ParticipationBan, pk=pk)
    form = LiftForm(request.POST)
    form.is_valid()
    try:
        ban_lift(actor=request.user, ban=ban, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        return _register(request, lift_errors={ban.pk: validation_message(error)}, status=400)
    except DomainError as error:
        if error.status_code == 403:
            raise PermissionDenied from error
        return _register(request, lift_errors={ban.pk: str(error.message)}, status=error.status_code)
    messages.success(request, _("참여제한을 해제했습니다."))
    return redirect("applicants:bans")


urlpatterns = [
    path("staff/bans/", bans, name="bans"),
    path("staff/bans/new/", ban_new, name="ban-new"),
    path("staff/bans/<int:pk>/lift/", ban_lift_view, name="ban-lift"),
]

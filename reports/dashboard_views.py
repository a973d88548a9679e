"""`/sponsor/`: a sponsor's fund dashboard page (docs/domain.md §1, §3.4, §11): its money, the projects
it supports and their outcomes. The figures are reports.dashboard.sponsor_dashboard's."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import is_official, is_sponsor_user
from program.models import Sponsor
from program.permissions import can_view_sponsor, user_agency_id
from program.selectors import sponsor_list
from reports.dashboard import sponsor_dashboard, sponsor_projects

# The supported projects listed under the dashboard, a page at a time (SPEC §1).
PROJECTS_PER_PAGE = 20


@require_GET
@login_required
def sponsor_home(request):
    """`/sponsor/`: a sponsor user's own dashboard; officials pick a sponsor (a shared register)."""
    if is_sponsor_user(request.user):
        return _render_dashboard(request, request.user.sponsor)
    if is_official(request.user):
        return render(request, "reports/sponsor_list.html", {"sponsors": sponsor_list(user=request.user)})
    raise Http404


@require_GET
@login_required
def sponsor_dashboard_page(request, pk):
    """One sponsor's dashboard: officials see any (staff with their agency's figures only); a sponsor
    user only its own (404 for any other id)."""
    if not can_view_sponsor(request.user, pk):
        raise Http404
    return _render_dashboard(request, get_object_or_404(Sponsor, pk=pk))


def _render_dashboard(request, sponsor):
    data = sponsor_dashboard(sponsor_id=sponsor.pk, agency_id=user_agency_id(request.user))
    charts = {
        "by_year": {
            "labels": [str(row["year"]) for row in data["by_year"]],
            "contributed": [row["contributed"] for row in data["by_year"]],
            "committed": [row["committed"] for row in data["by_year"]],
            "disbursed": [row["disbursed"] for row in data["by_year"]],
        },
        "by_region": {
            "labels": [row["label"] for row in data["by_region"]],
            "projects": [row["projects"] for row in data["by_region"]],
        },
        "by_level": {
            "labels": [row["label"] for row in data["by_level"]],
            "projects": [row["projects"] for row in data["by_level"]],
        },
        "partners": {
            "labels": [_("협력사"), _("일반 기업")],
            "smes": [data["partners"]["partner"], data["partners"]["general"]],
        },
        # The page's language: static/js/dashboard.js writes axes and tooltips in it (억/만 or ₩…M).
        "language": "ko" if (get_language() or "ko").startswith("ko") else "en",
        "labels": {
            "contributed": _("출연"),
            "committed": _("약정"),
            "disbursed": _("지급"),
            "projects": _("지원 과제 수"),
            "smes": _("기업 수"),
        },
    }
    agency_id = user_agency_id(request.user)
    projects = sponsor_projects(sponsor_id=sponsor.pk, agency_id=agency_id)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"sponsor": sponsor, "data": data, "charts": charts, "projects": page}
    return render(request, "reports/sponsor_dashboard.html", context)

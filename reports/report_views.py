"""`/reports/`: request a report, watch its progress, download it (docs/domain.md §9, §11).

Staff request reports on their agency's programs, the ministry any report; a sponsor user only
reports scoped to its own sponsor. The list shows the reports the user may see; rows still being
generated are refreshed by static/js/reports.js from `/api/v1/reports/{id}/`.
"""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from config.errors import DomainError
from config.forms import add_validation_errors
from program.models import Program, Sponsor
from program.selectors import program_list, sponsor_list
from reports.models import Report
from reports.permissions import can_request_report
from reports.selectors import report_visible
from reports.services import report_request

# `?status=`: the reports list narrowed to one stage (the home's counts link here).
STATUS_FILTERS = {
    "failed": (Report.Status.FAILED,),
    "done": (Report.Status.DONE,),
    "pending": (Report.Status.PENDING, Report.Status.RUNNING),
}


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("보고서 종류"), choices=Report.Kind.choices)
    format = forms.ChoiceField(
        label=gettext_lazy("형식"),
        choices=Report.Format.choices,
        help_text=gettext_lazy("PDF는 사업 현황·성과, CSV는 신청서 목록만 됩니다."),
    )
    program = forms.ModelChoiceField(
        label=gettext_lazy("사업"), queryset=Program.objects.none(), required=False
    )
    sponsor = forms.ModelChoiceField(
        label=gettext_lazy("주관기관"), queryset=Sponsor.objects.none(), required=False
    )
    period_start = forms.DateField(
        label=gettext_lazy("기간 시작"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=gettext_lazy("기간 끝"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Officials: the programs of their agency scope and every sponsor (a shared register); a
        # sponsor user its own sponsor and programs (drafts too, as program_list gives them).
        programs = program_list(user=user)
        sponsors = sponsor_list(user=user)
        for name, queryset in (("program", programs), ("sponsor", sponsors)):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = queryset
            field.empty_label = _("전체")


@require_http_methods(["GET", "POST"])
@login_required
def reports_page(request):
    if not can_request_report(request.user):
        raise Http404
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report_request(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("보고서를 요청했습니다. 만들어지는 동안 진행률이 이 화면에 표시됩니다.")
            )
            return redirect("reports:reports")
    reports = report_visible(request.user)
    status = request.GET.get("status")
    if status in STATUS_FILTERS:  # the home's counts link here (reports/home.py)
        reports = reports.filter(status__in=STATUS_FILTERS[status])
    reports = reports.order_by("-created_at", "-id")[:100]
    context = {"form": form, "reports": reports, "status": status if status in STATUS_FILTERS else ""}
    return render(request, "reports/list.html", context, status=400 if form.errors else 200)

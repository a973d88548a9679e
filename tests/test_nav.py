"""KRDS breadcrumb and pagination (config/templatetags/nav.py, templates/includes/), and the report
tones static/js/reports.js mirrors from config/templatetags/badges.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from accounts.models import Role
from config.templatetags.badges import TONES
from config.templatetags.nav import page_window
from reports.models import Report
from tests.factories import ProgramFactory, UserFactory


def _page(number: int, pages: int = 20):
    return Paginator(range(pages * 10), 10).page(number)


def _render(source: str, path: str = "/", **context) -> str:
    request = RequestFactory().get(path)
    return Template("{% load nav %}" + source).render(Context({"request": request, **context}))


def test_the_window_is_the_current_page_two_each_side_and_the_ends():
    assert page_window(_page(10)) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_window(_page(1)) == [1, 2, 3, None, 20]
    assert page_window(_page(20)) == [1, None, 18, 19, 20]


def test_a_short_range_has_no_ellipsis():
    assert page_window(_page(3, pages=6)) == [1, 2, 3, 4, 5, 6]


def test_pagination_keeps_every_parameter_but_the_page():
    html = _render(
        '{% include "includes/pagination.html" with page=page %}',
        path="/staff/applications/?q=%EB%8C%80%EC%84%B1&status=submitted&page=10&sort=-score",
        page=_page(10),
    )
    assert 'class="krds-pagination"' in html
    assert 'href="?q=%EB%8C%80%EC%84%B1&amp;status=submitted&amp;sort=-score&amp;page=9">이전' in html
    assert 'href="?q=%EB%8C%80%EC%84%B1&amp;status=submitted&amp;sort=-score&amp;page=11">다음' in html
    assert html.count("page=10") == 1  # only the current page's own link


def test_pagination_marks_the_current_page_and_elides_long_runs():
    html = _render('{% include "includes/pagination.html" with page=page %}', page=_page(10))
    current = re.search(r'<a class="page-link active" href="\?page=10" aria-current="page">(.*?)</a>', html)
    assert current and "현재페이지" in current[1] and current[1].endswith("10")
    assert html.count("link-dot") == 2
    assert re.findall(r'class="page-link" href="\?page=(\d+)"', html) == ["1", "8", "9", "11", "12", "20"]
    assert "10 / 20쪽" in html  # read out before the links


def test_pagination_on_the_first_page_disables_previous():
    html = _render(
        '{% include "includes/pagination.html" with page=page label=_("원장 쪽 이동") anchor="ledger" %}',
        page=_page(1),
    )
    assert '<span class="page-navi prev disabled">이전</span>' in html
    assert '<a class="page-navi next" href="?page=2#ledger">다음</a>' in html
    assert 'aria-label="원장 쪽 이동"' in html


def test_one_page_draws_no_pagination():
    assert "krds-pagination" not in _render(
        '{% include "includes/pagination.html" with page=page %}', page=_page(1, 1)
    )


def test_breadcrumb_links_all_but_the_current_page():
    html = _render(
        '{% breadcrumb "사업 관리" "/staff/programs/" "2026 경북" "/staff/programs/3/" "재원 현황" %}'
    )
    assert 'class="krds-breadcrumb-wrap" aria-label="현재 경로"' in html
    assert re.findall(r'<a href="([^"]+)" class="txt">([^<]+)</a>', html) == [
        ("/", "홈"),
        ("/staff/programs/", "사업 관리"),
        ("/staff/programs/3/", "2026 경북"),
    ]
    assert '<span class="txt" aria-current="page">재원 현황</span>' in html
    assert html.count("aria-current") == 1


def test_breadcrumb_from_a_list_of_crumbs():
    html = _render(
        '{% include "includes/breadcrumb.html" with crumbs=crumbs %}',
        crumbs=[("보고서", "/reports/"), ("<b>", None)],
    )
    assert '<a href="/reports/" class="txt">보고서</a>' in html
    assert '<span class="txt" aria-current="page">&lt;b&gt;</span>' in html


def test_breadcrumb_needs_a_current_page():
    with pytest.raises(TemplateSyntaxError):
        _render('{% breadcrumb "사업 관리" "/staff/programs/" %}')


def test_reports_js_paints_each_report_status_in_the_tone_of_the_badge_include():
    script = (Path(settings.BASE_DIR) / "static/js/reports.js").read_text()
    mirrored = re.search(r"var TONES = \{(.*?)\};", script)
    assert mirrored
    tones = dict(re.findall(r'(\w+): "(bg-[\w-]+)"', mirrored[1]))
    assert tones == {status: TONES[status] for status in Report.Status.values}


@pytest.mark.django_db
def test_program_list_and_reports_show_statuses_as_badges(client):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(title="모집 사업", track="유형1", status="open", agency=staff.agency)
    Report.objects.create(
        kind=Report.Kind.PROGRAM_STATUS, format=Report.Format.XLSX, program=program, requested_by=staff
    )
    client.force_login(staff)
    programs = client.get("/staff/programs/").content.decode()
    assert '<span class="krds-badge bg-light-success status status-open">모집중</span>' in programs
    assert '<span class="krds-badge outline-secondary">유형1</span>' in programs
    assert '<nav class="krds-breadcrumb-wrap"' in programs
    reports = client.get("/reports/").content.decode()
    assert (
        '<td data-part="status"><span class="krds-badge bg-light-gray status status-pending">대기</span>'
        in reports
    )

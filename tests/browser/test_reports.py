"""Reports in a real browser (issue 6 item 7): staff request a `program_status` report, watch its
progress, and download the PDF and the XLSX.

Tasks run in-process here (the `eager_tasks` fixture); the real-worker paths (beat, a killed worker)
are tested in reports/tests/test_report_worker.py.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from reports.models import Report
from reports.tasks import generate_report
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, fund_program

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_staff_request_a_program_report_watch_it_and_download_pdf_and_xlsx(new_page, eager_tasks):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(title="2026 상생형 스마트공장 (경북)")
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)
    for status in ("submitted", "evaluation", "selected", "rejected"):
        ApplicationFactory(program=program, status=status, total_cost=120_000_000)
    # One report still being made, to watch: the page polls it until it is done.
    running = Report.objects.create(
        kind=Report.Kind.PROGRAM_STATUS,
        format=Report.Format.XLSX,
        program=program,
        requested_by=staff,
        status=Report.Status.RUNNING,
        progress=40,
        started_at=timezone.now(),
    )

    page = new_page()
    login(page, staff.username)
    page.goto("/reports/")
    row = page.locator(f"tr[data-report='{running.pk}']")
    expect(row.locator("progress")).to_have_attribute("value", "40")
    badge = row.locator("[data-part=status] .krds-badge")
    expect(badge).to_have_text("생성중")
    expect(badge).to_have_class(re.compile(r"\bbg-light-information\b"))
    assert_accessible(page)
    shot(page, "reports-running")
    Report.objects.filter(pk=running.pk).update(status=Report.Status.PENDING, started_at=None)
    generate_report(running.pk)  # the worker finishes it; the page notices without a reload
    expect(row.get_by_role("link", name=re.compile("내려받기"))).to_be_visible(timeout=15_000)
    expect(row.locator("progress")).to_have_attribute("value", "100")
    # reports.js repaints the badge in the include's tone, not just its text.
    expect(badge).to_have_text("완료")
    expect(badge).to_have_class(re.compile(r"\bbg-light-success\b"))
    expect(badge).not_to_have_class(re.compile(r"\bbg-light-information\b"))

    for fmt in ("pdf", "xlsx"):
        page.get_by_label("보고서 종류").select_option("program_status")
        page.get_by_label("형식").select_option(fmt)
        page.get_by_label("사업", exact=True).select_option(str(program.pk))
        page.get_by_role("button", name="요청").click()
        expect(page.locator(".messages")).to_contain_text("보고서를 요청했습니다.")
        report = Report.objects.filter(format=fmt, program=program).latest("id")
        link = page.locator(f"tr[data-report='{report.pk}']").get_by_role("link", name=re.compile("내려받기"))
        expect(link).to_be_visible(timeout=15_000)
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        content = open(download.path(), "rb").read()
        assert content.startswith(b"%PDF" if fmt == "pdf" else b"PK\x03\x04"), download.suggested_filename
        assert download.suggested_filename.endswith(f".{fmt}")
    shot(page, "reports-done")
    assert Application.objects.filter(program=program).count() == 4

"""reports 0004 moves the run's bookkeeping out of Report.filters into its columns, and back; 0005
gives the reports asked for before agencies the agency of their staff requester or scheduled program."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reports", "0003_hardening_limits")]
AFTER = [("reports", "0004_report_run_columns")]
LATEST = [("reports", "0005_report_agency")]
# 0004 with the other apps as 0005 finds them: staff in agencies, programs as they are now.
BEFORE_AGENCY = [
    *AFTER,
    ("accounts", "0006_staff_agency_and_ministry"),
    ("program", "0005_program_required_documents"),
]


def every_app_latest():
    """Every app's latest migration: a test that moved other apps back leaves them all where it found them."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_bookkeeping_moves_to_its_columns_and_back():
    apps = migrate(BEFORE)
    Report = apps.get_model("reports", "Report")
    claimed = Report.objects.create(
        kind="applications_export",
        format="csv",
        filters={"q": "정밀", "_scope": "sponsor", "_attempts": 2, "_task": "message-1"},
    )
    fresh = Report.objects.create(kind="fund_status", format="xlsx", filters={})
    try:
        Report = migrate(AFTER).get_model("reports", "Report")
        moved = Report.objects.get(pk=claimed.pk)
        assert (moved.filters, moved.attempts, moved.task_id, moved.scope) == (
            {"q": "정밀"},
            2,
            "message-1",
            "sponsor",
        )
        untouched = Report.objects.get(pk=fresh.pk)
        assert (untouched.filters, untouched.attempts, untouched.task_id, untouched.scope) == ({}, 0, "", "")

        Report = migrate(BEFORE).get_model("reports", "Report")
        assert Report.objects.get(pk=claimed.pk).filters == claimed.filters
        assert Report.objects.get(pk=fresh.pk).filters == {}
    finally:
        migrate(every_app_latest())


@pytest.mark.django_db(transaction=True)
def test_earlier_reports_take_their_requesters_or_programs_agency():
    apps = migrate(BEFORE_AGENCY)
    Agency, Sponsor, Program = (apps.get_model("program", name) for name in ("Agency", "Sponsor", "Program"))
    User, Report = apps.get_model("accounts", "User"), apps.get_model("reports", "Report")
    kbiz = Agency.objects.create(name="중소기업중앙회")
    sponsor = Sponsor.objects.create(name="주관", business_number="1234567891", kind="large")
    program = Program.objects.create(
        title="사업",
        year=2026,
        sponsor=sponsor,
        agency=kbiz,
        opens_on="2026-01-01",
        closes_on="2026-02-01",
    )
    staff = User.objects.create(username="staff-kbiz", role="staff", agency=kbiz)
    by_staff = Report.objects.create(kind="fund_status", format="xlsx", requested_by=staff)
    scheduled = Report.objects.create(kind="fund_status", format="xlsx", program=program, scheduled=True)
    by_nobody = Report.objects.create(kind="fund_status", format="xlsx")
    try:
        Report = migrate(LATEST).get_model("reports", "Report")
        agencies = dict(Report.objects.values_list("pk", "agency_id"))
        assert agencies == {by_staff.pk: kbiz.pk, scheduled.pk: kbiz.pk, by_nobody.pk: None}
    finally:
        migrate(every_app_latest())

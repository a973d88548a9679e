"""reports 0004 moves the run's bookkeeping out of Report.filters into its columns, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reports", "0003_hardening_limits")]
AFTER = [("reports", "0004_report_run_columns")]


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
        migrate(AFTER)

import django.db.models.deletion
from django.db import migrations, models


def agency_from_requester_or_program(apps, schema_editor):
    """Reports asked for before agencies took their data apart: a staff member's report belongs to
    its agency, a scheduled one to its program's; the others (sponsors') keep none."""
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.select_related("requested_by", "program").iterator(chunk_size=500):
        if report.requested_by is not None and report.requested_by.role == "staff":
            agency_id = report.requested_by.agency_id
        elif report.scheduled and report.program is not None:
            agency_id = report.program.agency_id
        else:
            continue
        if agency_id is not None:
            Report.objects.filter(pk=report.pk).update(agency_id=agency_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_staff_agency_and_ministry"),
        ("program", "0005_program_required_documents"),
        ("reports", "0004_report_run_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="program.agency",
                verbose_name="협업기관",
            ),
        ),
        migrations.RunPython(agency_from_requester_or_program, migrations.RunPython.noop),
    ]

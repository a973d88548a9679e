"""The fund ledger is append-only: on PostgreSQL an UPDATE or DELETE of a row fails.

TRUNCATE stays possible: it is an operator's act on the whole table (and how test runs reset it),
not something the application can issue.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION funds_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_ledgerentry is append-only: % is not allowed; record a correcting entry', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_ledger_no_update_delete
    BEFORE UPDATE OR DELETE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS funds_ledger_no_update_delete ON funds_ledgerentry;
DROP FUNCTION IF EXISTS funds_ledger_append_only();
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("funds", "0002_initial")]

    operations = [migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD))]

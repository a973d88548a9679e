"""Trigram indexes for the queue search `q` (PostgreSQL only; SQLite has no pg_trgm).

`icontains` is compiled to `UPPER("col"::text) LIKE UPPER('%…%')` on PostgreSQL, so the GIN indexes
are on that expression. The business number is matched by prefix, which the existing
`varchar_pattern_ops` index of the unique column serves. Raw SQL rather than a model `GinIndex`, so
that the models (and `makemigrations --check`) stay the same on every database.
"""

from django.db import migrations

INDEXES = {
    "company_name_trgm_idx": "applicants_company USING gin (UPPER(name::text) gin_trgm_ops)",
    "application_title_trgm_idx": "applicants_application USING gin (UPPER(title::text) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: other objects may use it, and creating it needs privileges.


class Migration(migrations.Migration):
    dependencies = [("applicants", "0004_covering_indexes")]

    operations = [migrations.RunPython(create, drop)]

"""The SQLite triggers of funds.PotTotal (0007), for a later migration whose table rebuild dropped them."""

UPSERT = """
    INSERT INTO funds_pottotal (program_id, pot, kind, amount, entries)
    VALUES (NEW.program_id, NEW.pot, NEW.kind, NEW.amount, 1)
    ON CONFLICT (program_id, pot, kind)
    DO UPDATE SET amount = funds_pottotal.amount + excluded.amount, entries = funds_pottotal.entries + 1;
"""
SQLITE = [
    "DROP TRIGGER IF EXISTS funds_ledger_totals;",
    "DROP TRIGGER IF EXISTS funds_ledger_totals_delete;",
    f"CREATE TRIGGER funds_ledger_totals AFTER INSERT ON funds_ledgerentry BEGIN {UPSERT} END;",
    """
    CREATE TRIGGER funds_ledger_totals_delete AFTER DELETE ON funds_ledgerentry BEGIN
        UPDATE funds_pottotal SET amount = amount - OLD.amount, entries = entries - 1
        WHERE program_id = OLD.program_id AND pot = OLD.pot AND kind = OLD.kind;
    END;
    """,
]


def sqlite_recreate(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)

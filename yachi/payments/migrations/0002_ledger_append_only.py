"""Ledger entries cannot be changed or deleted, whatever writes to the table.

Money that moved is corrected by a new entry (a refund), never by editing the old one.
SQLite has no TRUNCATE, so there deletion stays possible (a test database is emptied
with DELETE); the foreign key from entries to intents is PROTECT all the same.
"""

from django.db import migrations

from yachi.core.migration_ops import VendorRunSQL

MESSAGE = "ledger entries are append-only"


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_payment_intents_and_ledger")]

    operations = [
        VendorRunSQL(
            "postgresql",
            [
                "CREATE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
                "CREATE TRIGGER payments_ledger_no_change BEFORE UPDATE OR DELETE ON "
                "payments_ledgerentry FOR EACH ROW EXECUTE FUNCTION payments_ledger_append_only()",
            ],
            [
                "DROP TRIGGER payments_ledger_no_change ON payments_ledgerentry",
                "DROP FUNCTION payments_ledger_append_only()",
            ],
        ),
        VendorRunSQL(
            "sqlite",
            [
                "CREATE TRIGGER payments_ledger_no_update BEFORE UPDATE ON payments_ledgerentry "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
            ],
            ["DROP TRIGGER payments_ledger_no_update"],
        ),
    ]

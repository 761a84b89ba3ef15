"""Audit entries cannot be updated, whatever writes to the table.

Deleting stays possible, for the retention purge; any other deletion is found by
`yachi audit verify` as a gap in the chain, and so is an update made by someone who
first drops this trigger.
"""

from django.db import migrations

from yachi.core.migration_ops import VendorRunSQL

MESSAGE = "audit entries are append-only"


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_audit_trail")]

    operations = [
        VendorRunSQL(
            "postgresql",
            [
                "CREATE FUNCTION compliance_audit_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
                "CREATE TRIGGER compliance_audit_no_update BEFORE UPDATE ON "
                "compliance_auditentry FOR EACH ROW EXECUTE FUNCTION compliance_audit_append_only()",
            ],
            [
                "DROP TRIGGER compliance_audit_no_update ON compliance_auditentry",
                "DROP FUNCTION compliance_audit_append_only()",
            ],
        ),
        VendorRunSQL(
            "sqlite",
            [
                "CREATE TRIGGER compliance_audit_no_update BEFORE UPDATE ON compliance_auditentry "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            ],
            ["DROP TRIGGER compliance_audit_no_update"],
        ),
    ]

"""Points entries cannot be updated, whatever writes to the table (invariant 3: entries
are never edited; a correction is a new entry). Deleting stays possible only through
the deletion of the person's account."""

from django.db import migrations

from yachi.core.migration_ops import VendorRunSQL

MESSAGE = "points entries are append-only"


class Migration(migrations.Migration):
    dependencies = [("growth", "0001_coupons_and_points")]

    operations = [
        VendorRunSQL(
            "postgresql",
            [
                "CREATE FUNCTION growth_points_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
                "CREATE TRIGGER growth_points_no_update BEFORE UPDATE ON "
                "growth_pointsentry FOR EACH ROW EXECUTE FUNCTION growth_points_append_only()",
            ],
            [
                "DROP TRIGGER growth_points_no_update ON growth_pointsentry",
                "DROP FUNCTION growth_points_append_only()",
            ],
        ),
        VendorRunSQL(
            "sqlite",
            [
                "CREATE TRIGGER growth_points_no_update BEFORE UPDATE ON growth_pointsentry "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            ],
            ["DROP TRIGGER growth_points_no_update"],
        ),
    ]

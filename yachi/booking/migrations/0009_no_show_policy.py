"""The deposit an appointment was booked with: the service's, or one the clinic's no-show
policy asked for a high risk (ADR 0051).

SQLite adds a NOT NULL column by rebuilding the table, which drops the triggers and
partial indexes that refuse double bookings: they are written again after the rebuild,
from 0008's text, in either direction.
"""

import importlib

from django.db import migrations, models

from yachi.core.migration_ops import VendorRunSQL

GUARD_SQL = importlib.import_module(
    "yachi.booking.migrations.0008_appointment_without_chair"
).GUARD_SQL


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0008_appointment_without_chair"),
    ]

    operations = [
        # Backwards, the rebuild below runs first and this then writes the guard again.
        VendorRunSQL("sqlite", migrations.RunSQL.noop, GUARD_SQL),
        migrations.AddField(
            model_name="appointment",
            name="deposit_fen",
            field=models.PositiveIntegerField(
                db_default=0, default=0, verbose_name="deposit (fen)"
            ),
        ),
        VendorRunSQL("sqlite", GUARD_SQL, migrations.RunSQL.noop),
    ]

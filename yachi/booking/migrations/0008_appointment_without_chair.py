"""An appointment may hold no chair: a video consultation (a service of kind ``video``,
ADR 0045) holds its doctor's time only.

PostgreSQL drops the column's NOT NULL; the exclusion constraints stay as they are (a
NULL chair equals no other chair under ``WITH =``, so chairless appointments never
clash with each other on the chair constraint, while the doctor's constraint still
covers them). SQLite changes a column's nullability by rebuilding the table, which
drops the triggers and partial indexes of 0002 that refuse double bookings: they are
written again, from 0002's own text, after the rebuild in either direction.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from yachi.core.migration_ops import VendorRunSQL

_guard = importlib.import_module("yachi.booking.migrations.0002_no_double_booking")
ACTIVE = _guard.ACTIVE

GUARD_SQL = [
    "DROP TRIGGER IF EXISTS appointment_no_overlap_insert",
    "DROP TRIGGER IF EXISTS appointment_no_overlap_update",
    "DROP INDEX IF EXISTS appointment_doctor_active_end",
    "DROP INDEX IF EXISTS appointment_chair_active_end",
    "CREATE INDEX appointment_doctor_active_end ON booking_appointment "
    f'(doctor_id, julianday("end")) WHERE status IN {ACTIVE}',
    "CREATE INDEX appointment_chair_active_end ON booking_appointment "
    f'(chair_id, julianday("end")) WHERE status IN {ACTIVE}',
    _guard._trigger("INSERT", exclude_self=False),
    _guard._trigger('UPDATE OF doctor_id, chair_id, "start", "end", status', exclude_self=True),
]


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0007_service_vouchers"),
        ("clinics", "0008_service_kind"),
    ]

    operations = [
        # Backwards, the rebuild below runs first and this then writes the guard again.
        VendorRunSQL("sqlite", migrations.RunSQL.noop, GUARD_SQL),
        migrations.AlterField(
            model_name="appointment",
            name="chair",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinics.chair",
            ),
        ),
        VendorRunSQL("sqlite", GUARD_SQL, migrations.RunSQL.noop),
    ]

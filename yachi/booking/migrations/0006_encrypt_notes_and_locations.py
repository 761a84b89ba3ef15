"""Appointment notes and cancel reasons (a patient's own words, often symptoms),
emergency locations and dispatch distances encrypted at rest (SM4) (ADR 0018).
Existing values are encrypted in place.

The appointment columns change type on PostgreSQL only: SQLite would rebuild the
table to change a declared type, and the rebuild would drop the triggers that refuse
double bookings (0002); a SQLite ``varchar`` column holds text of any length already.
"""

from django.db import migrations

import yachi.compliance.fields
from yachi.core.migration_ops import VendorRunSQL

APPOINTMENT = {
    "note": "booking.appointment.note",
    "cancel_reason": "booking.appointment.cancel_reason",
}
CASE = {
    "latitude": "booking.emergencycase.latitude",
    "longitude": "booking.emergencycase.longitude",
}
DISPATCH = {"distance_km": "booking.emergencydispatch.distance_km"}


def encrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import encrypt_columns, fixed_point

    encrypt_columns(schema_editor, table="booking_appointment", columns=APPOINTMENT)
    encrypt_columns(
        schema_editor,
        table="booking_emergencycase",
        columns=CASE,
        text={"latitude": fixed_point(6), "longitude": fixed_point(6)},
    )
    encrypt_columns(
        schema_editor,
        table="booking_emergencydispatch",
        columns=DISPATCH,
        text={"distance_km": fixed_point(2)},
    )


def decrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import decrypt_columns

    decrypt_columns(schema_editor, table="booking_appointment", columns=APPOINTMENT)
    decrypt_columns(schema_editor, table="booking_emergencycase", columns=CASE)
    decrypt_columns(schema_editor, table="booking_emergencydispatch", columns=DISPATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0005_emergencies"),
        ("compliance", "0001_data_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appointment",
                    name="cancel_reason",
                    field=yachi.compliance.fields.EncryptedCharField(blank=True, max_length=200),
                ),
                migrations.AlterField(
                    model_name="appointment",
                    name="note",
                    field=yachi.compliance.fields.EncryptedCharField(
                        blank=True, max_length=500, verbose_name="note"
                    ),
                ),
            ],
            database_operations=[
                VendorRunSQL(
                    "postgresql",
                    "ALTER TABLE booking_appointment ALTER COLUMN note TYPE text, "
                    "ALTER COLUMN cancel_reason TYPE text",
                    "ALTER TABLE booking_appointment ALTER COLUMN note TYPE varchar(500), "
                    "ALTER COLUMN cancel_reason TYPE varchar(200)",
                ),
            ],
        ),
        migrations.AlterField(
            model_name="emergencycase",
            name="latitude",
            field=yachi.compliance.fields.EncryptedDecimalField(decimal_places=6, max_digits=9),
        ),
        migrations.AlterField(
            model_name="emergencycase",
            name="longitude",
            field=yachi.compliance.fields.EncryptedDecimalField(decimal_places=6, max_digits=9),
        ),
        migrations.AlterField(
            model_name="emergencydispatch",
            name="distance_km",
            field=yachi.compliance.fields.EncryptedDecimalField(decimal_places=2, max_digits=7),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

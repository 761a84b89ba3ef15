"""Patients' mobile numbers encrypted at rest (SM4) with a blind index; resident ID
numbers added the same way. Existing numbers are encrypted in place."""

from django.db import migrations

import yachi.compliance.fields

PHONE = "yachi.accounts.phones.normalize_phone"
ID_NUMBER = "yachi.patients.identity.normalize_id_number"


def encrypt_existing(apps, schema_editor):
    from yachi.compliance import envelope
    from yachi.compliance.facade import blind_index

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, phone FROM patients_patient WHERE phone <> ''")
        for pk, phone in cursor.fetchall():
            cursor.execute(
                "UPDATE patients_patient SET phone = %s, phone_index = %s WHERE id = %s",
                [
                    envelope.encrypt(phone, context="patients.patient.phone"),
                    blind_index("phone", phone),
                    pk,
                ],
            )


def decrypt_existing(apps, schema_editor):
    from yachi.compliance import envelope

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, phone FROM patients_patient WHERE phone <> ''")
        for pk, phone in cursor.fetchall():
            cursor.execute(
                "UPDATE patients_patient SET phone = %s WHERE id = %s",
                [envelope.decrypt(phone, context="patients.patient.phone"), pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0001_initial"),
        ("compliance", "0001_data_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="id_number",
            field=yachi.compliance.fields.EncryptedCharField(
                blank=True, max_length=18, verbose_name="resident ID number"
            ),
        ),
        migrations.AddField(
            model_name="patient",
            name="id_number_index",
            field=yachi.compliance.fields.BlindIndexField(
                blank=True, normalize=ID_NUMBER, purpose="id_number", source="id_number"
            ),
        ),
        migrations.AddField(
            model_name="patient",
            name="phone_index",
            field=yachi.compliance.fields.BlindIndexField(
                blank=True, normalize=PHONE, purpose="phone", source="phone"
            ),
        ),
        migrations.AlterField(
            model_name="patient",
            name="phone",
            field=yachi.compliance.fields.EncryptedCharField(
                blank=True, max_length=11, verbose_name="mobile number"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

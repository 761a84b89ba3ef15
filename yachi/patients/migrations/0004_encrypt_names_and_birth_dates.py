"""Patients' names and dates of birth encrypted at rest (SM4); names found by a blind
index of the whole name, dates of birth not searchable (ADR 0018). Existing values are
encrypted in place."""

from django.db import migrations

import yachi.compliance.fields

NAME = "yachi.accounts.names.normalize_name"
COLUMNS = {"name": "patients.patient.name", "birth_date": "patients.patient.birth_date"}


def encrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import encrypt_columns, iso_date

    encrypt_columns(
        schema_editor,
        table="patients_patient",
        columns=COLUMNS,
        text={"birth_date": iso_date},
        indexes={"name_index": ("person_name", "name")},
    )


def decrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import decrypt_columns

    decrypt_columns(schema_editor, table="patients_patient", columns=COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_clinical_notes_consents_face_photos"),
        ("compliance", "0001_data_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="name_index",
            field=yachi.compliance.fields.BlindIndexField(
                blank=True, normalize=NAME, purpose="person_name", source="name"
            ),
        ),
        migrations.AlterField(
            model_name="patient",
            name="birth_date",
            field=yachi.compliance.fields.EncryptedDateField(
                blank=True, null=True, verbose_name="date of birth"
            ),
        ),
        migrations.AlterField(
            model_name="patient",
            name="name",
            field=yachi.compliance.fields.EncryptedCharField(
                blank=True, max_length=64, verbose_name="name"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

"""Users' names encrypted at rest (SM4), found by a blind index of the whole name
(ADR 0018). Existing names are encrypted in place."""

from django.db import migrations

import yachi.compliance.fields

NAME = "yachi.accounts.names.normalize_name"
COLUMNS = {"name": "accounts.user.name"}


def encrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import encrypt_columns

    encrypt_columns(
        schema_editor,
        table="accounts_user",
        columns=COLUMNS,
        indexes={"name_index": ("person_name", "name")},
    )


def decrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import decrypt_columns

    decrypt_columns(schema_editor, table="accounts_user", columns=COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_wechat_binding"),
        ("compliance", "0001_data_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="name_index",
            field=yachi.compliance.fields.BlindIndexField(
                blank=True, normalize=NAME, purpose="person_name", source="name"
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="name",
            field=yachi.compliance.fields.EncryptedCharField(
                blank=True, max_length=64, verbose_name="name"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

"""What a notification says about someone (names, times, symptoms) encrypted at rest
(SM4) (ADR 0018). Existing parameters are encrypted in place."""

import json

from django.db import migrations

import yachi.compliance.fields

COLUMNS = {"params": "messaging.notification.params"}


def _json_text(raw) -> str:
    # The field's own spelling: compact, Chinese kept as it is.
    value = json.loads(raw) if isinstance(raw, str) else raw
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import encrypt_columns

    encrypt_columns(
        schema_editor,
        table="messaging_notification",
        columns=COLUMNS,
        text={"params": _json_text},
    )


def decrypt_existing(apps, schema_editor):
    from yachi.compliance.facade import decrypt_columns

    decrypt_columns(schema_editor, table="messaging_notification", columns=COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_notifications"),
        ("compliance", "0001_data_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="params",
            field=yachi.compliance.fields.EncryptedJSONField(default=dict),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

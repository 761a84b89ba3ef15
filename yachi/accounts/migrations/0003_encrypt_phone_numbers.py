"""Mobile numbers and authenticator keys encrypted at rest (SM4), numbers found by a
blind index. Existing rows are encrypted in place; pending SMS codes are dropped (they
live five minutes and held numbers in clear)."""

from django.db import migrations, models

import yachi.compliance.fields

PHONE = "yachi.accounts.phones.normalize_phone"


def encrypt_existing(apps, schema_editor):
    from yachi.compliance import envelope
    from yachi.compliance.facade import blind_index

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, phone, totp_secret FROM accounts_user")
        rows = cursor.fetchall()
        for pk, phone, secret in rows:
            cursor.execute(
                "UPDATE accounts_user SET phone = %s, phone_index = %s, totp_secret = %s "
                "WHERE id = %s",
                [
                    envelope.encrypt(phone, context="accounts.user.phone"),
                    blind_index("phone", phone),
                    envelope.encrypt(secret, context="accounts.user.totp_secret") if secret else "",
                    pk,
                ],
            )


def decrypt_existing(apps, schema_editor):
    from yachi.compliance import envelope

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, phone, totp_secret FROM accounts_user")
        for pk, phone, secret in cursor.fetchall():
            cursor.execute(
                "UPDATE accounts_user SET phone = %s, totp_secret = %s WHERE id = %s",
                [
                    envelope.decrypt(phone, context="accounts.user.phone"),
                    envelope.decrypt(secret, context="accounts.user.totp_secret") if secret else "",
                    pk,
                ],
            )


def drop_pending_codes(apps, schema_editor):
    apps.get_model("accounts", "SmsCode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_staff_login_hardening"),
        ("compliance", "0001_data_keys"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="smscode", name="smscode_phone_recent"),
        migrations.RunPython(drop_pending_codes, migrations.RunPython.noop),
        migrations.AddField(
            model_name="smscode",
            name="phone_index",
            field=yachi.compliance.fields.BlindIndexField(
                default="", normalize=PHONE, purpose="phone", source="phone"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="phone_index",
            field=yachi.compliance.fields.BlindIndexField(
                null=True, normalize=PHONE, purpose="phone", source="phone", unique=True
            ),
        ),
        migrations.AlterField(
            model_name="smscode",
            name="phone",
            field=yachi.compliance.fields.EncryptedCharField(max_length=11),
        ),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=yachi.compliance.fields.EncryptedCharField(
                max_length=11, verbose_name="mobile number"
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="totp_secret",
            field=yachi.compliance.fields.EncryptedCharField(blank=True, max_length=64),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(
            model_name="user",
            name="phone_index",
            field=yachi.compliance.fields.BlindIndexField(
                normalize=PHONE, purpose="phone", source="phone", unique=True
            ),
        ),
        migrations.AddIndex(
            model_name="smscode",
            index=models.Index(fields=["phone_index", "-created_at"], name="smscode_phone_recent"),
        ),
    ]

"""The audit head is signed as a whole and counts the checkpoints written outside the
database (ADR 0017); an entry records a head found altered or missing.

The head found at upgrade is signed as it is, unless its purge starting point does not
carry the signature it had until now: that head stays unsigned, so that `yachi audit
verify` goes on reporting it instead of this migration vouching for a forgery. The
separate starting-point signature goes; the head's signature covers the starting point.
"""

from django.db import migrations, models

# Frozen here: the formats of this step, whatever the code says later.
HEAD_FIELDS = ("seq", "digest", "base_seq", "base_digest")


def _base_signature(key: bytes, head) -> str:
    from yachi.compliance.sm4 import hmac_sm3

    return hmac_sm3(key, f"audit-base:{head.base_seq}:{head.base_digest}".encode())


def sign_the_head(apps, schema_editor):
    from hmac import compare_digest

    from yachi.compliance.chain import head_signature
    from yachi.compliance.keys import keyring

    head = apps.get_model("compliance", "AuditHead").objects.filter(pk=1).first()
    if head is None:
        return
    key = keyring().audit_key
    if head.base_seq and not compare_digest(head.base_signature, _base_signature(key, head)):
        return
    state = {name: getattr(head, name) for name in HEAD_FIELDS}
    state |= {"checkpoint_count": 0, "checkpoint_seq": 0, "checkpointed_at": ""}
    head.signature = head_signature(key, state)
    head.save(update_fields=["signature"])


def sign_the_base(apps, schema_editor):
    from yachi.compliance.keys import keyring

    head = apps.get_model("compliance", "AuditHead").objects.filter(pk=1).first()
    if head is not None and head.base_seq:
        head.base_signature = _base_signature(keyring().audit_key, head)
        head.save(update_fields=["base_signature"])


class Migration(migrations.Migration):
    dependencies = [("compliance", "0005_second_factor_audit_actions")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="checkpoint_count",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="audithead",
            name="checkpoint_seq",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="audithead",
            name="checkpointed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="audithead",
            name="signature",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(sign_the_head, sign_the_base),
        migrations.RemoveField(model_name="audithead", name="base_signature"),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Login"),
                    ("login_failed", "Failed login"),
                    ("logout_everywhere", "Logged out everywhere"),
                    ("token_issued", "API token issued"),
                    ("password_changed", "Password changed"),
                    ("second_factor_enabled", "Two-step login enabled"),
                    ("second_factor_replaced", "Authenticator app replaced"),
                    ("second_factor_reset", "Two-step login reset by an administrator"),
                    ("permission_changed", "Permissions changed"),
                    ("clinical_read", "Clinical record read"),
                    ("clinical_write", "Clinical record written"),
                    ("consent_granted", "Consent given"),
                    ("consent_withdrawn", "Consent withdrawn"),
                    ("data_exported", "Personal data exported"),
                    ("data_erased", "Personal data erased"),
                    ("audit_exported", "Audit trail exported"),
                    ("audit_purged", "Old audit entries purged"),
                    ("payment_recorded", "Payment recorded"),
                    ("refund_requested", "Refund requested"),
                    ("bill_created", "Bill created"),
                    ("coupon_issued", "Coupon issued"),
                    ("points_adjusted", "Points adjusted"),
                    ("catalogue_changed", "Mall catalogue changed"),
                    ("stock_changed", "Mall stock changed"),
                    ("order_handled", "Mall order handled"),
                    ("flash_sale_created", "Flash sale created"),
                    ("flash_sale_paused", "Flash sale paused or resumed"),
                    ("audit_head_invalid", "Audit trail's end found altered or missing"),
                ],
                max_length=32,
                verbose_name="action",
            ),
        ),
    ]

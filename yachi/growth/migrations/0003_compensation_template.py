"""The built-in 预约补偿券 (¥50 off anything, no minimum, valid 90 days), which
``compensation_coupon_issue`` gives when the clinic moves or cancels a visit."""

import uuid

from django.db import migrations

FIELDS = {
    "name": "预约补偿券",
    "name_en": "Appointment compensation",
    "kind": "fixed_amount",
    "amount_off_fen": 5000,
    "applies_to": "any",
    "item_codes": [],
    "min_spend_fen": 0,
    "valid_days": 90,
}


def create(apps, schema_editor):
    template = apps.get_model("growth", "CouponTemplate")
    template.objects.get_or_create(
        system_key="compensation", defaults={"public_id": uuid.uuid4(), **FIELDS}
    )


class Migration(migrations.Migration):
    dependencies = [("growth", "0002_points_entries_append_only")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

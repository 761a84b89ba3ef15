"""Reconciliation keeps every run (the nightly job's and a manager's from the console),
each with its status, who ran it, the statement's and our ledger's counts and net
amounts, and its findings."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_PROBLEMS = {"amount": "amount", "state": "recorded_now", "unreachable": "not_at_provider"}


def runs_of_old_reports(apps, schema_editor):
    Reconciliation = apps.get_model("payments", "Reconciliation")
    for run in Reconciliation.objects.all():
        run.public_id = uuid.uuid4()
        run.status = "differences" if run.findings else "matched"
        run.findings = [
            {"kind": OLD_PROBLEMS.get(f.get("problem"), f.get("problem", "")), **f}
            for f in run.findings
        ]
        run.save(update_fields=["public_id", "status", "findings"])


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0008_bill_lines"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="reconciliation", name="one_reconciliation_per_day"),
        migrations.RenameField("reconciliation", "checked", "statement_count"),
        migrations.RenameField("reconciliation", "mismatches", "findings"),
        migrations.AddField(
            model_name="reconciliation",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="status",
            field=models.CharField(
                choices=[("matched", "Matches"), ("differences", "Differences found")],
                default="matched",
                max_length=12,
                verbose_name="status",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(runs_of_old_reports, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reconciliation",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="ran_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="ledger_count",
            field=models.PositiveIntegerField(default=0, verbose_name="entries in our ledger"),
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="statement_fen",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="reconciliation",
            name="ledger_fen",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="reconciliation",
            name="statement_count",
            field=models.PositiveIntegerField(default=0, verbose_name="lines in the statement"),
        ),
        migrations.AlterField(
            model_name="reconciliation",
            name="day",
            field=models.DateField(verbose_name="day"),
        ),
        migrations.AlterField(
            model_name="reconciliation",
            name="provider",
            field=models.CharField(
                choices=[
                    ("wechatpay", "WeChat Pay"),
                    ("alipay", "Alipay"),
                    ("simulator", "Payment simulator"),
                    ("cash", "Cash"),
                    ("card", "Bank card (POS)"),
                ],
                max_length=12,
                verbose_name="provider",
            ),
        ),
        migrations.AlterModelOptions(
            name="reconciliation",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "reconciliation",
                "verbose_name_plural": "reconciliations",
            },
        ),
        migrations.AddIndex(
            model_name="reconciliation",
            index=models.Index(fields=["day", "provider"], name="payments_re_day_44f9ff_idx"),
        ),
    ]

"""Roles belong to a staff member's place at a clinic (ADR 0026): each membership takes
the role its user had (front desk or manager; an administrator's memberships become a
manager's), and chain roles are assigned over clinics of a chain. A doctor's membership
granted nothing (doctors work at clinics through ``Doctor.clinics``) and is removed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def roles_from_users(apps, schema_editor):
    Membership = apps.get_model("clinics", "StaffMembership")
    for old, new in (("manager", "manager"), ("admin", "manager"), ("front_desk", "front_desk")):
        Membership.objects.filter(user__role=old).update(role=new)
    Membership.objects.filter(user__role="doctor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0005_doctor_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0005_encrypt_user_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainAssignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("regional_manager", "Regional manager"),
                            ("chain_operations", "Chain operations"),
                        ],
                        max_length=24,
                        verbose_name="role",
                    ),
                ),
            ],
            options={
                "verbose_name": "chain role",
                "verbose_name_plural": "chain roles",
            },
        ),
        migrations.AddField(
            model_name="staffmembership",
            name="role",
            field=models.CharField(
                choices=[("front_desk", "Front desk"), ("manager", "Clinic manager")],
                default="front_desk",
                max_length=16,
                verbose_name="role at this clinic",
            ),
        ),
        migrations.RunPython(roles_from_users, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="staffmembership",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["front_desk", "manager"])), name="membership_role"
            ),
        ),
        migrations.AddField(
            model_name="chainassignment",
            name="chain",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assignments",
                to="clinics.chain",
            ),
        ),
        migrations.AddField(
            model_name="chainassignment",
            name="clinics",
            field=models.ManyToManyField(
                blank=True,
                help_text="A regional manager's clinics; chain operations covers every clinic.",
                related_name="regional_assignments",
                to="clinics.clinic",
                verbose_name="clinics covered",
            ),
        ),
        migrations.AddField(
            model_name="chainassignment",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="chain_assignments",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="chainassignment",
            constraint=models.UniqueConstraint(
                fields=("user", "chain", "role"), name="chain_assignment_unique"
            ),
        ),
    ]

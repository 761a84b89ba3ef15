"""An account is a patient's, a staff member's or an administrator's (ADR 0026): what a
staff member is at a clinic moved to their memberships (clinics 0006), so doctors, front
desk and managers become staff accounts."""

from django.db import migrations, models

STAFF = ("doctor", "front_desk", "manager")


def staff_accounts(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role__in=STAFF).update(role="staff")


def roles_back(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    staff = User.objects.filter(role="staff")
    staff.filter(memberships__role="manager").update(role="manager")
    staff.filter(doctor__isnull=False).update(role="doctor")
    staff.update(role="front_desk")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_encrypt_user_names"),
        ("clinics", "0006_chain_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("patient", "Patient"),
                    ("staff", "Clinic staff"),
                    ("admin", "Administrator"),
                ],
                default="patient",
                max_length=16,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(staff_accounts, roles_back),
    ]

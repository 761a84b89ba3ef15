"""Existing clinics start with the national holidays and make-up working days of
2026–2027 in their calendars; each may then change its own."""

from django.db import migrations


def seed(apps, schema_editor):
    from yachi.clinics.holidays import HOLIDAY, public_days

    Clinic = apps.get_model("clinics", "Clinic")
    CalendarDay = apps.get_model("clinics", "CalendarDay")
    days = [item for year in (2026, 2027) for item in public_days(year)]
    for clinic in Clinic.objects.all():
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    clinic=clinic,
                    date=item.day,
                    kind="closed" if item.kind == HOLIDAY else "open",
                    name=item.name if item.kind == HOLIDAY else f"{item.name}调休上班",
                    works_as=None if item.kind == HOLIDAY else 0,
                    from_public_calendar=True,
                )
                for item in days
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("clinics", "0003_clinic_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

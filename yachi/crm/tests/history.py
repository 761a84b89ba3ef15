"""Visits in the past, written as the clinic's records would hold them, for CRM's tests."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from tests import factories as f
from yachi.booking.models import Appointment

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def day_ago(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def visit(
    world,
    patient,
    service,
    days_ago: int,
    *,
    status="completed",
    hour=10,
    booked_days_before=7,
    doctor=None,
    clinic=None,
):
    start = day_ago(days_ago, hour)
    clinic = clinic or service.clinic
    appointment = Appointment.objects.create(
        clinic=clinic,
        doctor=doctor
        or (world.clinic_a_doctor if clinic == world.clinic_a else world.clinic_b_doctor),
        chair=None,
        service=service,
        patient=patient,
        channel="console",
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        status=status,
        price_fen=service.price_fen,
        completed_at=start + timedelta(minutes=30) if status == "completed" else None,
    )
    # When it was booked (a row's own time, as the records keep it).
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=start - timedelta(days=booked_days_before)
    )
    return appointment


def person(phone: str, name: str, *, gender="unknown", birth_date=None):
    user = f.patient_user(phone, name=name)
    member = user.family_account.members.get(seat=0)
    if gender != "unknown" or birth_date:
        member.gender, member.birth_date = gender, birth_date
        member.save(update_fields=["gender", "birth_date"])
    return user, member


def service(clinic, code: str, name: str):
    return f.ServiceFactory(clinic=clinic, code=code, name=name)


def follow_up_task(clinic, patient, *, due_in_days: int = 0, service_name: str = "拔智齿"):
    """A follow-up call (回访) the clinic's shipped extraction rule asked for about
    ``patient``, due in so many days."""
    from yachi.crm.playbook.models import FollowUpTask, Rule, Touch
    from yachi.crm.playbook.services import rules_seed

    rules_seed(clinic=clinic)
    rule = Rule.objects.get(clinic=clinic, code="extraction_follow_up")
    touch = Touch.objects.create(
        rule=rule,
        patient=patient,
        occurrence=f"visit:{patient.pk}:{due_in_days}",
        group="reached",
        at=timezone.now(),
    )
    today = timezone.localdate()
    return FollowUpTask.objects.create(
        clinic=clinic,
        rule=rule,
        touch=touch,
        patient=patient,
        service_name=service_name,
        visit_on=today - timedelta(days=3),
        due_on=today + timedelta(days=due_in_days),
    )

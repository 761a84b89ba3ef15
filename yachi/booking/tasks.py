from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yachi.booking import deposits
from yachi.booking.emergency import services as emergency
from yachi.booking.reminders import services as reminders
from yachi.booking.vouchers import services as vouchers
from yachi.booking.waitlist import services as waitlist


@db_task()
def offer_freed_time_job(doctor_id: int, clinic_id: int, start: str, end: str) -> bool:
    offer = waitlist.offer_freed_time(
        doctor_id=doctor_id,
        clinic_id=clinic_id,
        start=datetime.fromisoformat(start),
        end=datetime.fromisoformat(end),
    )
    return offer is not None


@db_task()
def plan_booking_messages_job(appointment_id: int, party: list[int]) -> bool:
    return reminders.plan_booking_messages(appointment_id=appointment_id, party=tuple(party))


@db_task()
def attribute_booking_job(appointment_id: int) -> None:
    # Channel attribution reads the booking and its person: by a job, so that the
    # booking's request asks the database nothing more (ADR 0036).
    from yachi.booking.handlers import attribute

    attribute(appointment_id, "booking")


@db_periodic_task(crontab(minute="*"))
def expire_waitlist_offers() -> int:
    return waitlist.expire_offers()


@db_periodic_task(crontab(minute="*"))
def escalate_emergencies() -> int:
    return emergency.escalate()


@db_periodic_task(crontab(minute="*/5"))
def return_missed_deposits() -> int:
    return deposits.deposits_return_missed()


@db_periodic_task(crontab(minute="7"))
def expire_service_vouchers() -> int:
    return vouchers.vouchers_expire()

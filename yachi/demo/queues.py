"""Today's queues at the first two demo clinics: patients checked in from their
appointments and walk-ins, some finished, one in the chair, one called, the rest
waiting — each step through the queue's own services, so the log and the audit trail
hold them as they would be after a morning at the desk."""

from datetime import datetime, timedelta

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.queueing import selectors
from yachi.queueing import services as queue
from yachi.queueing.poster import local_day

# Walk-ins are demo patients who came without an appointment (their accounts exist).
WALK_INS = [
    "13800000011",
    "13800000012",
    "13800000013",
    "13800000014",
    "13800000015",
    "13800000016",
]


def build_queues(*, clinics_list, desks, now: datetime) -> int:
    """Tickets of today at ``clinics_list[:2]``, by their front desk ``desks``."""
    made = 0
    for index, (clinic, desk) in enumerate(zip(clinics_list[:2], desks, strict=False)):
        moment = now - timedelta(minutes=75)

        def tick(minutes=3):
            nonlocal moment
            moment = min(moment + timedelta(minutes=minutes), now)
            return moment

        day = local_day(clinic, now)
        due = [
            a
            for a in booking.appointments_of_clinic_day(clinic=clinic, day=day)
            if a.status == booking.AppointmentStatus.BOOKED
            and now - timedelta(minutes=60) <= a.start <= now + timedelta(minutes=60)
        ][:8]
        tickets = []
        for appointment in due:
            tickets.append(
                queue.check_in_at_desk(
                    actor=desk,
                    appointment=appointment,
                    now=min(max(tick(), appointment.start - timedelta(minutes=55)), now),
                )
            )
        services = clinics.clinic_services(clinic=clinic)
        cleaning = next((s for s in services if s.code == "cleaning"), services[0])
        # The walk-ins wait for the doctor most patients came for (or the first who cleans).
        doctors = [
            a.doctor for a in due if all(clinics.doctor_fit(doctor=a.doctor, service=cleaning))
        ] or clinics.clinic_doctors(clinic=clinic, skill=cleaning.required_skill)
        doctor = max(doctors, key=[d.pk for d in doctors].count)
        for phone in WALK_INS[index * 3 : index * 3 + 3]:
            tickets.append(
                queue.walk_in(
                    actor=desk,
                    clinic=clinic,
                    phone=phone,
                    service=cleaning,
                    doctor=doctor,
                    now=tick(),
                )
            )
        made += len(tickets)
        for ticket_queue in {t.queue_id: t.queue for t in tickets}.values():
            _morning(ticket_queue, desk, tick)
    return made


def _morning(ticket_queue, desk, tick) -> None:
    """One finished, one in the chair, one called; the rest wait."""
    places = selectors.line(ticket_queue)
    if len(places) >= 3:
        first = queue.call_next(actor=desk, queue=ticket_queue, now=tick(2))
        queue.start(actor=desk, ticket=first, now=tick(2))
        queue.finish(actor=desk, ticket=first, now=tick(25))
    if len(places) >= 2:
        second = queue.call_next(actor=desk, queue=ticket_queue, now=tick(1))
        queue.start(actor=desk, ticket=second, now=tick(2))
    if places:
        queue.call_next(actor=desk, queue=ticket_queue, now=tick(1))

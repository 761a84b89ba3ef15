"""How booking follows other contexts' events."""

from yachi.booking import cache, deposits
from yachi.booking.choices import Status
from yachi.booking.events import AppointmentBooked, AppointmentRescheduled, AppointmentStatusChanged
from yachi.booking.models import Appointment
from yachi.booking.reminders import services as reminders
from yachi.clinics.facade import CalendarChanged, ChairsChanged, ClinicChanged, DoctorChanged
from yachi.core.events import subscribe
from yachi.rostering.facade import RosterChanged


@subscribe(RosterChanged)
def refresh_availability_after_roster_change(event: RosterChanged) -> None:
    # One version covers all of a doctor's days at every clinic: roster changes are
    # rare, so refreshing a little more than needed costs nothing.
    cache.invalidate_doctor(doctor_id=event.doctor_id)


@subscribe(ChairsChanged)
def refresh_availability_after_chair_change(event: ChairsChanged) -> None:
    cache.invalidate_clinic(clinic_id=event.clinic_id)


@subscribe(CalendarChanged)
def refresh_availability_after_calendar_change(event: CalendarChanged) -> None:
    cache.invalidate_clinic(clinic_id=event.clinic_id)


@subscribe(ClinicChanged)
def refresh_availability_after_clinic_change(event: ClinicChanged) -> None:
    # Also what each process remembers of the clinic's services (``booking.lookups``).
    cache.invalidate_clinic(clinic_id=event.clinic_id)


@subscribe(DoctorChanged)
def refresh_availability_after_doctor_change(event: DoctorChanged) -> None:
    # Also what each process remembers of the doctor and their fit (``booking.lookups``).
    cache.invalidate_doctor(doctor_id=event.doctor_id)


@subscribe(AppointmentBooked)
def plan_reminders_for_new_booking(event: AppointmentBooked) -> None:
    # A job: the booking's answer does not wait for its messages to be planned.
    from yachi.booking.tasks import plan_booking_messages_job

    plan_booking_messages_job(event.appointment_id, list(event.party))


@subscribe(AppointmentRescheduled)
def replan_reminders(event: AppointmentRescheduled) -> None:
    appointment = Appointment.objects.get(pk=event.appointment_id)
    if not event.for_emergency:
        reminders.confirm_reschedule_message(appointment, previous_start=event.previous_start)
    reminders.schedule_reminders(appointment)


@subscribe(AppointmentStatusChanged)
def follow_status_in_reminders(event: AppointmentStatusChanged) -> None:
    appointment = Appointment.objects.get(pk=event.appointment_id)
    if event.status in (Status.CANCELLED, Status.NO_SHOW, Status.COMPLETED):
        reminders.forget_reminders(appointment.public_id)
    elif event.previous_status == Status.PENDING and event.status == Status.BOOKED:
        # A held time (from the waitlist) became a booking.
        reminders.confirm_booking_message(appointment)
        reminders.schedule_reminders(appointment)


@subscribe(AppointmentStatusChanged)
def offer_cancelled_time_to_the_waitlist(event: AppointmentStatusChanged) -> None:
    if event.status == Status.CANCELLED:
        appointment = Appointment.objects.get(pk=event.appointment_id)
        offer_freed_time_later(
            appointment.doctor_id, appointment.clinic_id, appointment.start, appointment.end
        )


@subscribe(AppointmentRescheduled)
def offer_vacated_time_to_the_waitlist(event: AppointmentRescheduled) -> None:
    appointment = Appointment.objects.get(pk=event.appointment_id)
    length = appointment.end - appointment.start
    offer_freed_time_later(
        event.previous_doctor_id or appointment.doctor_id,
        appointment.clinic_id,
        event.previous_start,
        event.previous_start + length,
    )


def offer_freed_time_later(doctor_id, clinic_id, start, end) -> None:
    from yachi.booking.tasks import offer_freed_time_job

    offer_freed_time_job(doctor_id, clinic_id, start.isoformat(), end.isoformat())


@subscribe(AppointmentStatusChanged)
def return_deposit_of_cancelled_appointment(event: AppointmentStatusChanged) -> None:
    if event.status != Status.CANCELLED:
        return
    appointment = Appointment.objects.select_related("cancelled_by", "service", "clinic").get(
        pk=event.appointment_id
    )
    if appointment.service.deposit_fen:
        deposits.deposit_return(appointment=appointment)

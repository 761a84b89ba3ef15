"""How booking follows other contexts' events."""

from yachi.booking import cache, deposits
from yachi.booking.choices import Status
from yachi.booking.events import AppointmentBooked, AppointmentRescheduled, AppointmentStatusChanged
from yachi.booking.models import Appointment
from yachi.booking.reminders import services as reminders
from yachi.clinics.facade import CalendarChanged, ChairsChanged, ClinicChanged, DoctorChanged
from yachi.core.events import subscribe
from yachi.payments.facade import BillPaid
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
    if deposits.deposit_asked_fen(appointment):
        deposits.deposit_return(appointment=appointment)


# --- referrals: an invitee's first completed paid visit ---------------------------------
#
# Growth rewards an invitation when the invitee's first visit is both completed (booking's)
# and paid (payments'): whichever comes second tells growth, which counts it once.


def _visit_for_referrals(appointment: Appointment) -> None:
    from yachi.growth.facade import referral_visit_completed

    referral_visit_completed(
        user=appointment.patient.account.owner,
        reference=f"booking.appointment:{appointment.public_id}",
    )


@subscribe(AppointmentStatusChanged)
def completed_paid_visit_by_completion(event: AppointmentStatusChanged) -> None:
    if event.status != Status.COMPLETED:
        return
    from yachi.payments.facade import IntentStatus, bills_of_appointments

    bills = bills_of_appointments([event.appointment_id]).get(event.appointment_id, [])
    if any(bill.status == IntentStatus.PAID for bill in bills):
        appointment = Appointment.objects.select_related("patient__account__owner").get(
            pk=event.appointment_id
        )
        _visit_for_referrals(appointment)


@subscribe(BillPaid)
def completed_paid_visit_by_payment(event: BillPaid) -> None:
    if event.appointment_id is None:
        return
    appointment = (
        Appointment.objects.select_related("patient__account__owner")
        .filter(pk=event.appointment_id, status=Status.COMPLETED)
        .first()
    )
    if appointment is not None:
        _visit_for_referrals(appointment)


# --- channel attribution: bookings and completed visits ----------------------------------


def attribute(appointment_id: int, kind: str) -> None:
    from yachi.growth.facade import attribution_conversion

    appointment = (
        Appointment.objects.select_related("patient__account__owner")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is not None:
        attribution_conversion(
            user=appointment.patient.account.owner,
            kind=kind,
            reference=f"{kind}:booking.appointment:{appointment.public_id}",
            at=appointment.created_at if kind == "booking" else None,
        )


@subscribe(AppointmentBooked)
def booking_for_attribution(event: AppointmentBooked) -> None:
    from yachi.booking.tasks import attribute_booking_job

    attribute_booking_job(event.appointment_id)


@subscribe(AppointmentStatusChanged)
def completed_visit_for_attribution(event: AppointmentStatusChanged) -> None:
    if event.status == Status.COMPLETED:
        attribute(event.appointment_id, "visit")

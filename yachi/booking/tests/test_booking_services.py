import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from conftest import tomorrow_at
from yachi.booking.choices import ACTIVE_STATUSES, Channel, Status
from yachi.booking.errors import PatientBusy, SlotTaken, SlotUnavailable, StatusChanged, TooLate
from yachi.booking.models import Appointment
from yachi.booking.selectors import people_of_phone
from yachi.booking.services import (
    appointment_advance,
    appointment_book_at_desk,
    appointment_cancel,
    appointment_reschedule,
    appointments_book,
)
from yachi.core.errors import InvalidInput


def book(world, start, patient=None, doctor=None, service=None, actor=None, **kwargs):
    return appointments_book(
        actor=actor or world.patient_parent,
        doctor=doctor or world.clinic_a_doctor,
        service=service or world.cleaning_a,
        start=start,
        patients=[patient or world.parent],
        **kwargs,
    ).appointments[0]


def test_booking_holds_doctor_chair_and_price(world):
    appointment = book(world, tomorrow_at(10))
    assert appointment.status == Status.BOOKED
    assert appointment.end - appointment.start == timedelta(minutes=30)
    assert appointment.chair.clinic == world.clinic_a
    assert appointment.price_fen == 20000


def test_second_booking_of_same_slot_is_refused(world):
    book(world, tomorrow_at(10))
    with pytest.raises(SlotTaken):
        book(world, tomorrow_at(10), patient=world.other, actor=world.other_patient)
    assert Appointment.objects.count() == 1


def test_overlapping_start_with_the_same_doctor_is_refused(world):
    book(world, tomorrow_at(10), service=world.filling_a)  # 10:00–10:45
    with pytest.raises(SlotTaken):
        book(world, tomorrow_at(10, 30), patient=world.other, actor=world.other_patient)


def test_back_to_back_appointments_are_allowed(world):
    book(world, tomorrow_at(10))
    book(world, tomorrow_at(10, 30), patient=world.other, actor=world.other_patient)
    assert Appointment.objects.count() == 2


def test_when_every_chair_is_taken_another_doctor_cannot_book(world):
    from tests.factories import occupy_chairs

    occupy_chairs(world.clinic_a, world.cleaning_a, tomorrow_at(11), count=3)
    with pytest.raises(SlotTaken) as refused:
        book(world, tomorrow_at(11))
    assert "没有空闲牙椅" in str(refused.value.message)
    assert Appointment.objects.filter(doctor=world.clinic_a_doctor).count() == 0


def test_a_person_cannot_be_in_two_places_at_once(world):
    book(world, tomorrow_at(10))
    with pytest.raises(PatientBusy):
        book(world, tomorrow_at(10), doctor=world.clinic_a_implant_doctor)


def test_time_outside_working_hours_is_refused(world):
    with pytest.raises(SlotUnavailable):
        book(world, tomorrow_at(12, 15))  # lunch break
    with pytest.raises(SlotUnavailable):
        book(world, tomorrow_at(17, 45))  # would end after 18:00


def test_time_off_the_slot_grid_is_refused(world):
    with pytest.raises(SlotUnavailable):
        book(world, tomorrow_at(10, 7))


def test_doctor_without_the_skill_cannot_be_booked_for_the_service(world):
    with pytest.raises(SlotUnavailable):
        book(world, tomorrow_at(10), service=world.implant_a)
    assert not Appointment.objects.exists()


def test_past_time_is_refused(world):
    with pytest.raises(SlotUnavailable):
        book(world, tomorrow_at(10, days=-1))


def test_family_booking_is_back_to_back_and_all_or_nothing(world):
    booked = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(9),
        patients=[world.parent, world.patient_child],
    ).appointments
    assert [a.start for a in booked] == [tomorrow_at(9), tomorrow_at(9, 30)]
    assert {a.patient for a in booked} == {world.parent, world.patient_child}

    # The child's half clashes with an existing booking: nothing is booked.
    book(world, tomorrow_at(14, 30), patient=world.other, actor=world.other_patient)
    with pytest.raises(SlotTaken):
        appointments_book(
            actor=world.patient_parent,
            doctor=world.clinic_a_doctor,
            service=world.cleaning_a,
            start=tomorrow_at(14),
            patients=[world.parent, world.patient_child],
        )
    assert Appointment.objects.count() == 3


def test_cancelling_frees_the_slot(world):
    appointment = book(world, tomorrow_at(10))
    appointment_cancel(actor=world.patient_parent, appointment=appointment, reason="出差")
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.cancelled_at is not None
    assert appointment.cancelled_by == world.patient_parent
    book(world, tomorrow_at(10), patient=world.other, actor=world.other_patient)


def test_patient_cannot_cancel_inside_the_cutoff_but_staff_can(world):
    appointment = book(world, tomorrow_at(10))
    late = tomorrow_at(9)  # one hour before, cutoff is two
    with pytest.raises(TooLate):
        appointment_cancel(actor=world.patient_parent, appointment=appointment, now=late)
    assert Appointment.objects.get().status == Status.BOOKED
    appointment_cancel(actor=world.clinic_a_front_desk, appointment=appointment, now=late)
    assert Appointment.objects.get().status == Status.CANCELLED


def test_reschedule_moves_the_same_appointment(world):
    appointment = book(world, tomorrow_at(10))
    moved = appointment_reschedule(
        actor=world.patient_parent, appointment=appointment, start=tomorrow_at(15)
    )
    assert moved.pk == appointment.pk
    assert moved.start == tomorrow_at(15)
    assert moved.reschedule_count == 1
    book(world, tomorrow_at(10), patient=world.other, actor=world.other_patient)


def test_reschedule_onto_a_taken_slot_is_refused_and_changes_nothing(world):
    appointment = book(world, tomorrow_at(10))
    book(world, tomorrow_at(15), patient=world.other, actor=world.other_patient)
    with pytest.raises(SlotTaken):
        appointment_reschedule(
            actor=world.patient_parent, appointment=appointment, start=tomorrow_at(15)
        )
    appointment.refresh_from_db()
    assert appointment.start == tomorrow_at(10)
    assert appointment.reschedule_count == 0


def test_patients_may_reschedule_only_as_often_as_the_clinic_allows(world):
    appointment = book(world, tomorrow_at(10))
    for hour in (11, 14):
        appointment = appointment_reschedule(
            actor=world.patient_parent, appointment=appointment, start=tomorrow_at(hour)
        )
    with pytest.raises(TooLate) as refused:
        appointment_reschedule(
            actor=world.patient_parent, appointment=appointment, start=tomorrow_at(16)
        )
    assert refused.value.code == "reschedule_limit"


def test_lifecycle_records_each_step(world):
    appointment = book(world, tomorrow_at(10))
    desk = world.clinic_a_front_desk
    now = tomorrow_at(9, 50)
    appointment = appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.ARRIVED, now=now
    )
    appointment = appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.IN_TREATMENT, now=tomorrow_at(10)
    )
    appointment = appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.COMPLETED, now=tomorrow_at(10, 30)
    )
    assert appointment.arrived_at == now
    assert appointment.treatment_started_at == tomorrow_at(10)
    assert appointment.completed_at == tomorrow_at(10, 30)
    with pytest.raises(StatusChanged):
        appointment_cancel(actor=desk, appointment=appointment)


def test_no_show_only_after_the_start_time(world):
    appointment = book(world, tomorrow_at(10))
    desk = world.clinic_a_front_desk
    with pytest.raises(StatusChanged):
        appointment_advance(
            actor=desk, appointment=appointment, to_status=Status.NO_SHOW, now=tomorrow_at(9)
        )
    appointment = appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.NO_SHOW, now=tomorrow_at(10, 20)
    )
    assert appointment.status == Status.NO_SHOW
    assert appointment.no_show_at == tomorrow_at(10, 20)


def test_a_stale_status_button_changes_nothing(world):
    appointment = book(world, tomorrow_at(10))
    stale = Appointment.objects.get(pk=appointment.pk)
    appointment_cancel(actor=world.clinic_a_front_desk, appointment=appointment)
    with pytest.raises(StatusChanged):
        appointment_advance(
            actor=world.clinic_a_front_desk,
            appointment=stale,
            to_status=Status.ARRIVED,
            now=tomorrow_at(9, 50),
        )
    assert Appointment.objects.get().status == Status.CANCELLED


# --- the database guard itself ----------------------------------------------------------


def _raw_insert(template: Appointment, start, end, status="booked", chair_id=None):
    """Write straight to the table, bypassing every Python check.

    Times go in as ISO-8601 text with a +08:00 offset, not in Django's own storage
    format, so the guard must compare instants, not strings.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO booking_appointment (public_id, created_at, updated_at, clinic_id, "
            'doctor_id, chair_id, service_id, patient_id, channel, "start", "end", status, '
            "price_fen, note, reschedule_count, cancel_reason) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'console', %s, %s, %s, 0, '', 0, '')",
            [
                uuid.uuid4().hex,
                start,
                start,
                template.clinic_id,
                template.doctor_id,
                chair_id or template.chair_id,
                template.service_id,
                template.patient_id,
                start.isoformat(),
                end.isoformat(),
                status,
            ],
        )


@pytest.mark.parametrize("status", ACTIVE_STATUSES)
def test_database_rejects_an_overlapping_row_written_with_raw_sql(world, status):
    existing = book(world, tomorrow_at(10))
    Appointment.objects.filter(pk=existing.pk).update(status=status)
    other_chair = next(c for c in world.chairs_a if c.pk != existing.chair_id)
    with pytest.raises(IntegrityError, match="appointment_doctor_no_overlap"), transaction.atomic():
        _raw_insert(existing, tomorrow_at(10, 15), tomorrow_at(10, 45), chair_id=other_chair.pk)
    assert Appointment.objects.count() == 1


def test_database_rejects_a_chair_held_twice(world):
    existing = book(world, tomorrow_at(10))
    other = book(
        world,
        tomorrow_at(14),
        doctor=world.clinic_a_implant_doctor,
        patient=world.other,
        actor=world.other_patient,
    )
    with pytest.raises(IntegrityError, match="appointment_chair_no_overlap"), transaction.atomic():
        Appointment.objects.filter(pk=other.pk).update(
            start=tomorrow_at(10), end=tomorrow_at(10, 30), chair_id=existing.chair_id
        )


@pytest.mark.parametrize("status", ["pending", "booked", "in_treatment"])
def test_database_rejects_reactivating_into_an_overlap(world, status):
    first = book(world, tomorrow_at(10))
    appointment_cancel(actor=world.patient_parent, appointment=first)
    book(world, tomorrow_at(10), patient=world.other, actor=world.other_patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=first.pk).update(status=status)


@pytest.mark.parametrize("status", ["completed", "cancelled", "no_show"])
def test_finished_appointments_do_not_hold_the_slot(world, status):
    existing = book(world, tomorrow_at(10))
    Appointment.objects.filter(pk=existing.pk).update(status=status)
    _raw_insert(existing, tomorrow_at(10), tomorrow_at(10, 30))
    assert Appointment.objects.count() == 2


def test_what_the_patient_writes_is_stored_encrypted(world):
    """A note is often a symptom, and so may be the reason for cancelling."""
    appointment = book(world, tomorrow_at(10), note="左下后牙咬合痛三天")
    appointment_cancel(actor=world.patient_parent, appointment=appointment, reason="发烧了")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note, cancel_reason FROM booking_appointment WHERE id = %s", [appointment.pk]
        )
        stored = cursor.fetchone()
    for value in stored:
        assert value.startswith("sm4gcm:v1:") and "痛" not in value and "发烧" not in value
    appointment.refresh_from_db()
    assert (appointment.note, appointment.cancel_reason) == ("左下后牙咬合痛三天", "发烧了")


def test_the_front_desk_books_a_family_member_of_a_caller(world):
    assert people_of_phone(world.patient_parent.phone) == [world.parent, world.patient_child]
    appointment = appointment_book_at_desk(
        actor=world.clinic_a_front_desk,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        phone=world.patient_parent.phone,
        patient_id=str(world.patient_child.public_id),
        note="牙疼",
    )
    assert appointment.patient == world.patient_child
    assert appointment.channel == Channel.CONSOLE
    assert appointment.status == Status.BOOKED


def test_the_front_desk_cannot_book_on_a_staff_number(world):
    assert people_of_phone(world.clinic_a_front_desk.phone) == []
    assert people_of_phone("not a number") == []
    with pytest.raises(InvalidInput):
        appointment_book_at_desk(
            actor=world.clinic_a_front_desk,
            doctor=world.clinic_a_doctor,
            service=world.cleaning_a,
            start=tomorrow_at(10),
            phone=world.clinic_a_front_desk.phone,
        )
    assert not Appointment.objects.exists()

"""Every status change an appointment goes through at the hands of staff is audited,
with who did it; patients' own cancellations and the system's are not staff changes."""

import pytest

from conftest import tomorrow_at
from yachi.booking.choices import Status
from yachi.booking.errors import StatusChanged
from yachi.booking.services import appointment_advance, appointment_cancel, appointments_book
from yachi.compliance.models import AuditAction, AuditEntry


def _book(world, start):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=start,
        patients=[world.parent],
    ).appointments[0]


def _entries(appointment):
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.APPOINTMENT_STATUS_CHANGED, object_id=str(appointment.public_id)
        ).order_by("seq")
    )


def test_each_staff_step_is_in_the_audit_trail_with_its_actor(world):
    appointment = _book(world, tomorrow_at(10))
    desk = world.clinic_a_front_desk
    for to_status, now in (
        (Status.ARRIVED, tomorrow_at(9, 50)),
        (Status.IN_TREATMENT, tomorrow_at(10)),
        (Status.COMPLETED, tomorrow_at(10, 30)),
    ):
        appointment = appointment_advance(
            actor=desk, appointment=appointment, to_status=to_status, now=now
        )
    entries = _entries(appointment)
    assert [(e.details["from"], e.details["to"]) for e in entries] == [
        (Status.BOOKED, Status.ARRIVED),
        (Status.ARRIVED, Status.IN_TREATMENT),
        (Status.IN_TREATMENT, Status.COMPLETED),
    ]
    assert {e.actor_id for e in entries} == {desk.pk}
    assert {e.clinic for e in entries} == {str(world.clinic_a.public_id)}
    assert all(e.object_type == "appointment" for e in entries)


@pytest.mark.parametrize("step", ["no_show", "cancelled"])
def test_no_show_and_cancellation_by_staff_are_audited(world, step):
    appointment = _book(world, tomorrow_at(10))
    desk = world.clinic_a_front_desk
    if step == "no_show":
        appointment_advance(
            actor=desk, appointment=appointment, to_status=Status.NO_SHOW, now=tomorrow_at(10, 20)
        )
    else:
        appointment_cancel(actor=desk, appointment=appointment, reason="牙疼好了")
    (entry,) = _entries(appointment)
    assert entry.actor_id == desk.pk
    assert entry.details["to"] == step
    # The reason is the patient's words (encrypted on the appointment): never copied here.
    assert "牙疼" not in str(entry.details)


def test_a_refused_step_leaves_no_entry(world):
    appointment = _book(world, tomorrow_at(10))
    with pytest.raises(StatusChanged):
        appointment_advance(
            actor=world.clinic_a_front_desk,
            appointment=appointment,
            to_status=Status.NO_SHOW,
            now=tomorrow_at(9),
        )
    assert _entries(appointment) == []


def test_the_patients_own_cancellation_is_not_a_staff_change(world):
    appointment = _book(world, tomorrow_at(10, 30))
    appointment_cancel(actor=world.patient_parent, appointment=appointment)
    assert _entries(appointment) == []

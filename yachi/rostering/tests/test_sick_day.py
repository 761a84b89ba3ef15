"""A doctor calls in sick: the manager sees the smallest change that covers their patients,
and applies it at once — through the console's page or the API."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.apiclient import ApiClient
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book
from yachi.clinics.models import OpeningHours
from yachi.compliance.models import AuditEntry
from yachi.messaging.models import Notification
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException
from yachi.rostering.tests.helpers import TUESDAY, coming

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sick(world):
    """静安店 open 09:00–18:00; next Tuesday a filling at 10:00 with 王医生 (general) and an
    implant consultation at 14:00 with 李医生, the only implant doctor."""
    for weekday in range(7):
        OpeningHours.objects.create(
            clinic=world.clinic_a, weekday=weekday, opens=time(9), closes=time(18)
        )
    world.tuesday = coming(TUESDAY)

    def book(doctor, service, hour):
        return appointments_book(
            actor=world.patient_parent,
            doctor=doctor,
            service=service,
            start=datetime.combine(world.tuesday, time(hour), tzinfo=SHANGHAI),
            patients=[world.parent],
        ).appointments[0]

    world.filling = book(world.clinic_a_doctor, world.filling_a, 10)
    world.implant = book(world.clinic_a_implant_doctor, world.implant_a, 14)
    return world


def _sent(kind, appointment):
    return Notification.objects.filter(kind=kind, object_id=str(appointment.public_id)).exists()


def _audited(action, appointment):
    return AuditEntry.objects.filter(action=action, object_id=str(appointment.public_id)).exists()


def test_the_page_hands_a_sick_doctors_patient_to_a_colleague_and_tells_them(sick, client):
    client.force_login(sick.clinic_a_manager)
    url = f"/console/clinic/{sick.clinic_a.public_id}/roster/sick/"
    fields = {"doctor": str(sick.clinic_a_doctor.public_id), "day": sick.tuesday.isoformat()}
    page = client.get(url, fields).content.decode()
    assert "李医生" in page and "已在班" in page  # the colleague already works then
    # Nothing changes until the manager applies it.
    assert Appointment.objects.get(pk=sick.filling.pk).doctor_id == sick.clinic_a_doctor.pk
    answer = client.post(url, fields)
    assert answer.status_code == 200
    filling = Appointment.objects.get(pk=sick.filling.pk)
    assert (filling.doctor_id, filling.start, filling.chair_id) == (
        sick.clinic_a_implant_doctor.pk,
        sick.filling.start,
        sick.filling.chair_id,
    )
    assert _audited("appointment_handed_over", filling)
    assert _sent("appointment_doctor_changed", filling)
    assert ShiftException.objects.filter(
        doctor=sick.clinic_a_doctor, date=sick.tuesday, kind=ExceptionKind.LEAVE
    ).exists()
    # The colleague's own patient stays theirs.
    assert Appointment.objects.get(pk=sick.implant.pk).doctor_id == sick.clinic_a_implant_doctor.pk


def test_a_patient_nobody_can_see_gets_the_drafted_message_through_the_api(sick):
    api = ApiClient().as_user(sick.clinic_a_manager)
    query = {
        "clinic_id": str(sick.clinic_a.public_id),
        "doctor_id": str(sick.clinic_a_implant_doctor.public_id),
        "date": sick.tuesday.isoformat(),
    }
    proposed = api.get("/clinic/rosters/sick-day", query)
    assert proposed.status_code == 200, proposed.json()
    body = proposed.json()
    assert body["applied"] is False and body["handovers"] == []
    [move] = body["to_move"]
    assert move["appointment_id"] == str(sick.implant.public_id)
    assert "张妈妈" in move["message"] and "种植咨询" in move["message"]
    assert not _sent("appointment_please_move", sick.implant)

    applied = api.post("/clinic/rosters/sick-day", query)
    assert applied.status_code == 200, applied.json()
    assert applied.json()["applied"] is True
    implant = Appointment.objects.get(pk=sick.implant.pk)
    assert implant.doctor_id == sick.clinic_a_implant_doctor.pk  # nobody could take it
    [message] = Notification.objects.filter(
        kind="appointment_please_move", object_id=str(implant.public_id), channel="inbox"
    )
    assert message.params["link"]  # to the appointment, where the patient rebooks
    assert _audited("appointment_move_asked", implant)
    # Recording it twice is refused and changes nothing more.
    again = api.post("/clinic/rosters/sick-day", query)
    assert again.status_code == 409 and again.json()["code"] == "already_sick"


def test_only_managers_may_ask_and_a_past_day_is_refused(sick):
    query = {
        "clinic_id": str(sick.clinic_a.public_id),
        "doctor_id": str(sick.clinic_a_doctor.public_id),
        "date": sick.tuesday.isoformat(),
    }
    desk = ApiClient().as_user(sick.clinic_a_front_desk)
    assert desk.post("/clinic/rosters/sick-day", query).status_code == 403
    manager = ApiClient().as_user(sick.clinic_a_manager)
    past = {**query, "date": (sick.tuesday - timedelta(days=14)).isoformat()}
    refused = manager.get("/clinic/rosters/sick-day", past)
    assert refused.status_code == 422 and refused.json()["code"] == "day_passed"
    stranger = {**query, "doctor_id": str(sick.clinic_b_doctor.public_id)}
    assert manager.get("/clinic/rosters/sick-day", stranger).status_code == 404
    elsewhere = {**stranger, "clinic_id": str(sick.clinic_b.public_id)}
    assert manager.post("/clinic/rosters/sick-day", elsewhere).status_code in (403, 404)
    patient = ApiClient().as_user(sick.patient_parent)
    assert patient.post("/clinic/rosters/sick-day", query).status_code in (403, 404)
    assert Appointment.objects.get(pk=sick.filling.pk).doctor_id == sick.clinic_a_doctor.pk
    assert not ShiftException.objects.filter(date=sick.tuesday).exists()

"""Emergency dispatch: nearest doctors first, exactly one wins, escalation, no doctor."""

import threading
from collections import Counter
from datetime import time, timedelta

import httpx
import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from conftest import tomorrow_at
from tests.factories import ChairFactory, ClinicFactory, DoctorFactory, ServiceFactory, weekly_hours
from yachi.accounts.services import token_issue
from yachi.booking.choices import EmergencyStatus
from yachi.booking.emergency import services as emergency
from yachi.booking.models import Appointment, EmergencyCase
from yachi.booking.services import appointments_book
from yachi.clinics.choices import Skill
from yachi.messaging.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

# The patient is in People's Square, Shanghai.
HERE = {"latitude": 31.2304, "longitude": 121.4737}
ROUND_THE_CLOCK = ((time(0), time(23, 59)),)


def emergency_clinic(chain, name, latitude, longitude, chairs=2):
    clinic = ClinicFactory(
        chain=chain,
        name=name,
        latitude=latitude,
        longitude=longitude,
        phone=f"021-{abs(hash(name)) % 10**8:08d}",
    )
    for _ in range(chairs):
        ChairFactory(clinic=clinic)
    ServiceFactory(
        clinic=clinic,
        code="emergency",
        name="急诊",
        duration_minutes=30,
        price_fen=10000,
        required_skill=Skill.EMERGENCY,
    )
    return clinic


@pytest.fixture
def city(world):
    """Five emergency doctors at clinics 1, 2, 3, 5 and 8 km away, always on duty."""
    places = [
        (31.2394, 121.4737),
        (31.2484, 121.4737),
        (31.2574, 121.4737),
        (31.2754, 121.4737),
        (31.3024, 121.4737),
    ]
    doctors = []
    for n, (lat, lon) in enumerate(places):
        clinic = emergency_clinic(world.chain, f"急诊点{n}", lat, lon)
        doctor = DoctorFactory(
            name=f"急诊医生{n}", clinics=[clinic], skills=[Skill.GENERAL, Skill.EMERGENCY]
        )
        weekly_hours(doctor, clinic, spans=ROUND_THE_CLOCK)
        doctors.append(doctor)
    return doctors


def ask(world, **overrides):
    return emergency.emergency_request(
        actor=world.patient_parent,
        patient=world.parent,
        pain_level=8,
        symptoms="右下后牙剧痛，夜间加重",
        **{**HERE, **overrides},
    )


def notified(case):
    """The doctors asked, nearest first: distances are encrypted, so sorted here."""
    return [d.doctor for d in sorted(case.dispatches.all(), key=lambda d: d.distance_km)]


def test_the_three_nearest_doctors_on_duty_are_asked(world, city):
    case = ask(world)
    assert case.status == EmergencyStatus.SEARCHING
    assert notified(case) == city[:3]
    texts = Notification.objects.filter(kind="emergency_request", channel="sms")
    assert {n.recipient for n in texts} == {d.user for d in city[:3]}


def test_where_the_patient_is_and_how_far_they_are_is_stored_encrypted(world, city):
    """Three distances to known clinics would place the patient as well as the position."""
    case = ask(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT latitude, longitude FROM booking_emergencycase WHERE id = %s", [case.pk]
        )
        stored = list(cursor.fetchone())
        cursor.execute(
            "SELECT distance_km FROM booking_emergencydispatch WHERE case_id = %s", [case.pk]
        )
        stored += [row[0] for row in cursor.fetchall()]
    assert len(stored) == 5
    for value in stored:
        assert value.startswith("sm4gcm:v1:") and "31.23" not in value and "121.47" not in value
    case.refresh_from_db()
    assert (float(case.latitude), float(case.longitude)) == (HERE["latitude"], HERE["longitude"])
    distances = sorted(d.distance_km for d in case.dispatches.all())
    assert [f"{d:.0f}" for d in distances] == ["1", "2", "3"]
    assert all(d.as_tuple().exponent == -2 for d in distances)  # to ten metres, as before


def test_doctors_off_duty_or_without_the_skill_are_not_asked(world, city):
    off_duty = city[0]
    off_duty.weekly_shifts.all().delete()
    case = ask(world)
    assert off_duty not in notified(case)
    assert world.clinic_a_doctor not in notified(case)  # no emergency skill


def test_exactly_one_doctor_gets_the_case(world, city):
    case = ask(world)
    first = emergency.emergency_accept(actor=city[1].user, case_id=case.public_id)
    assert first.accepted_doctor == city[1]
    with pytest.raises(emergency.AlreadyTaken):
        emergency.emergency_accept(actor=city[0].user, case_id=case.public_id)
    taken = Notification.objects.filter(kind="emergency_taken", channel="inbox")
    assert {n.recipient for n in taken} == {city[0].user, city[2].user}
    told = Notification.objects.get(kind="emergency_accepted", channel="inbox")
    assert told.recipient == world.patient_parent


def test_simultaneous_accepts_over_http_let_one_through(live_server, world, city):
    case = ask(world)
    tokens = [token_issue(user=d.user, label="test") for d in city[:3]]
    barrier = threading.Barrier(3)
    answers = []

    def accept(token):
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            barrier.wait()
            response = client.post(
                f"/api/v1/emergencies/{case.public_id}/accept",
                headers={"Authorization": f"Bearer {token}"},
            )
            answers.append((response.status_code, response.json().get("code")))

    threads = [threading.Thread(target=accept, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(answers) == {(200, None): 1, (409, "already_taken"): 2}, answers
    assert Appointment.objects.filter(channel="emergency").count() == 1
    connection.close()


def test_nobody_answering_in_ten_minutes_asks_the_next_three(world, city):
    case = ask(world)
    assert emergency.escalate() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert emergency.escalate() == 1
    case.refresh_from_db()
    assert case.round == 2
    assert notified(case) == city
    with time_machine.travel(timezone.now() + timedelta(minutes=22)):
        emergency.escalate()
    case.refresh_from_db()
    assert case.status == EmergencyStatus.UNAVAILABLE


def test_when_nobody_can_come_the_patient_gets_the_nearest_clinics_phone(api, world):
    api.as_user(world.patient_parent)
    response = api.post("/emergencies", {"pain_level": 9, "symptoms": "牙痛", **HERE})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "unavailable" and body["notified_doctor_ids"] == []
    assert body["nearest_clinic"]["phone"]
    assert body["nearest_clinic"]["phone"] in body["message"]
    told = Notification.objects.get(kind="emergency_unavailable", channel="sms")
    assert body["nearest_clinic"]["phone"] in told.params["phone"]


def test_the_emergency_gets_the_earliest_time_and_displaces_a_booking(world, city):
    doctor, clinic = city[0], city[0].clinics.get()
    now = tomorrow_at(10)
    regular = ServiceFactory(clinic=clinic, code="cleaning")
    with time_machine.travel(now - timedelta(days=1)):
        booked = appointments_book(
            actor=world.other_patient,
            doctor=doctor,
            service=regular,
            start=tomorrow_at(10, 30),
            patients=[world.other],
        ).appointments[0]
    with time_machine.travel(now, tick=False):
        case = ask(world)
        case = emergency.emergency_accept(actor=doctor.user, case_id=case.public_id)
    slot = case.appointment
    # 1 km away: 3 minutes in a taxi and 10 to get ready → the 10:15 step.
    assert slot.start == tomorrow_at(10, 15) and slot.doctor == doctor
    moved = Appointment.objects.get(pk=booked.pk)
    assert moved.start == tomorrow_at(10, 45)
    assert moved.moved_for_emergency_at is not None and moved.moved_from == tomorrow_at(10, 30)
    assert Notification.objects.filter(
        kind="appointment_moved", recipient=world.other_patient
    ).exists()
    # The apology says the new time; no second message confirms it.
    assert not Notification.objects.filter(kind="appointment_rescheduled").exists()


def test_the_patient_follows_the_case_and_strangers_do_not(api, world, city):
    api.as_user(world.patient_parent)
    created = api.post("/emergencies", {"pain_level": 7, "symptoms": "", **HERE}).json()
    assert created["status"] == "searching" and len(created["notified_doctor_ids"]) == 3
    emergency.emergency_accept(actor=city[0].user, case_id=created["id"])
    live = api.get(f"/emergencies/{created['id']}").json()
    assert live["status"] == "accepted" and live["doctor_name"] == "急诊医生0"
    assert live["clinic"]["address"] and live["eta_minutes"] is not None
    assert api.as_user(world.other_patient).get(f"/emergencies/{created['id']}").status_code == 404
    assert api.as_user(city[4].user).post(f"/emergencies/{created['id']}/accept").status_code == 404


@pytest.mark.parametrize(
    "body", [{"pain_level": 0}, {"pain_level": 11}, {"latitude": 91}, {"symptoms": "x" * 501}]
)
def test_bad_emergency_requests_are_refused(api, world, city, body):
    api.as_user(world.patient_parent)
    response = api.post("/emergencies", {"pain_level": 5, **HERE, **body})
    assert response.status_code == 422
    assert not EmergencyCase.objects.exists()

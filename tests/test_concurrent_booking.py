"""No double booking under real concurrency, proven over HTTP.

Twenty-four patients press "book" for overlapping times with the same doctor at
the same instant, each from their own thread and connection, against a live
server (PostgreSQL in the PostgreSQL run of the suite). Exactly one gets the slot;
every other one gets 409 ``slot_taken``.
"""

import threading
from collections import Counter

import httpx

from conftest import tomorrow_at
from tests.factories import patient_user
from yachi.accounts.services import token_issue
from yachi.booking.choices import ACTIVE_STATUSES
from yachi.booking.models import Appointment

ATTEMPTS = 24


def _fire(live_server, requests):
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def attempt(index, token, body):
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            barrier.wait()
            response = client.post(
                "/api/v1/appointments", json=body, headers={"Authorization": f"Bearer {token}"}
            )
            try:
                results[index] = (response.status_code, response.json().get("code"))
            except ValueError:
                results[index] = (response.status_code, response.text[:500])

    threads = [
        threading.Thread(target=attempt, args=(i, token, body))
        for i, (token, body) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_bookings_of_overlapping_times_let_exactly_one_through(live_server, world):
    requests = []
    for index in range(ATTEMPTS):
        user = patient_user(f"1380000{index + 500:04d}")
        start = tomorrow_at(10, 15 if index % 2 else 0)  # 10:00–10:30 and 10:15–10:45 overlap
        body = {
            "doctor_id": str(world.clinic_a_doctor.public_id),
            "service_id": str(world.cleaning_a.public_id),
            "start": start.isoformat(),
        }
        requests.append((token_issue(user=user, label="test"), body))

    results = _fire(live_server, requests)

    outcomes = Counter(results)
    assert outcomes[(201, None)] == 1, outcomes
    assert outcomes[(409, "slot_taken")] == ATTEMPTS - 1, outcomes
    assert (
        Appointment.objects.filter(doctor=world.clinic_a_doctor, status__in=ACTIVE_STATUSES).count()
        == 1
    )


def test_concurrent_bookings_of_different_doctors_share_the_chairs_safely(live_server, world):
    """Four doctors, three chairs, one instant: three bookings, never a chair twice."""
    from tests.factories import DoctorFactory, weekly_hours

    doctors = [world.clinic_a_doctor, world.clinic_a_implant_doctor]
    for _ in range(2):
        doctor = DoctorFactory(clinics=[world.clinic_a])
        weekly_hours(doctor, world.clinic_a)
        doctors.append(doctor)
    requests = []
    for index, doctor in enumerate(doctors * 3):
        user = patient_user(f"1380000{index + 700:04d}")
        body = {
            "doctor_id": str(doctor.public_id),
            "service_id": str(world.cleaning_a.public_id),
            "start": tomorrow_at(11).isoformat(),
        }
        requests.append((token_issue(user=user, label="test"), body))

    results = _fire(live_server, requests)

    assert Counter(status for status, _ in results)[201] == 3, results
    assert all(code == "slot_taken" for status, code in results if status != 201)
    chairs = Appointment.objects.values_list("chair_id", flat=True)
    assert len(set(chairs)) == len(chairs) == 3

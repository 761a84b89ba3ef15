"""A booking asks the database only what it needs: the service, the doctor (with whether
they work at the clinic and provide the service), the person booked, the roster and the
chairs (once per process while their versions hold) and what stands in the way of the
time, then its one INSERT; the answer is made from the row it wrote. On PostgreSQL the
read of what stands in the way and the INSERT are one statement, a transaction of its
own: the exclusion constraints decide it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import tomorrow_at
from yachi.booking.models import Appointment
from yachi.booking.tests.test_booking_api import booking
from yachi.booking.tests.test_booking_messages_job import queued  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _statements(api, payload):
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/appointments", payload)
    return response, [q["sql"] for q in queries.captured_queries]


def test_a_booking_reads_what_stands_in_the_way_once_and_writes_one_row(api, world, queued):  # noqa: F811
    api.as_user(world.patient_parent)
    api.get("/me")
    response, statements = _statements(api, booking(world, tomorrow_at(10)))
    assert response.status_code == 201, response.json()
    appointments = [s for s in statements if "booking_appointment" in s]
    if connection.vendor == "postgresql":
        # The window's read and the INSERT are one statement, and a transaction alone.
        (statement,) = appointments
        assert statement.startswith("WITH") and "INSERT INTO" in statement
        # 8, and the two read once and then remembered (below).
        assert len(statements) <= 10, statements
        assert not [s for s in statements if s.split()[0] in ("BEGIN", "SAVEPOINT", "COMMIT")]
    else:
        assert len(appointments) == 2, appointments  # the window's read and the INSERT
        assert appointments[1].startswith("INSERT")
        # 13, and two read once and then remembered: the doctor's published roster days
        # (ADR 0056, with the rest of the roster) and the clinics whose no-show policy asks
        # deposits (ADR 0051, from the shared cache afterwards).
        assert len(statements) <= 15, statements


def test_the_next_booking_with_the_doctor_reads_neither_roster_nor_chairs(api, world, queued):  # noqa: F811
    api.as_user(world.patient_parent)
    assert api.post("/appointments", booking(world, tomorrow_at(10))).status_code == 201
    api.as_user(world.other_patient)
    api.get("/me")
    # Another day: the first booking read the doctor's fortnight.
    response, statements = _statements(api, booking(world, tomorrow_at(11, days=2)))
    assert response.status_code == 201, response.json()
    read = " ".join(statements)
    assert "rostering_" not in read and "clinics_calendarday" not in read
    assert "clinics_chair" not in read
    if connection.vendor == "postgresql":
        # The service, the doctor with their fit, the person booked, the booking.
        assert len(statements) == 4, statements


def test_the_answer_made_from_the_new_row_is_what_reading_it_gives(api, world):
    api.as_user(world.patient_parent)
    start = tomorrow_at(10)
    made = api.post("/appointments", booking(world, start)).json()
    again = api.get(f"/appointments/{made['id']}").json()
    assert made == again
    row = Appointment.objects.get(public_id=made["id"])
    assert made["chair"] == row.chair.name and row.start == start


def test_a_taken_time_is_refused_before_any_insert(api, world):
    api.as_user(world.patient_parent)
    assert api.post("/appointments", booking(world, tomorrow_at(11))).status_code == 201
    api.as_user(world.other_patient)
    response, statements = _statements(api, booking(world, tomorrow_at(11)))
    assert response.status_code == 409 and response.json()["code"] == "slot_taken"
    assert not [s for s in statements if s.startswith("INSERT")]
    assert Appointment.objects.count() == 1

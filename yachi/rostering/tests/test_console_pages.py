"""The roster and holiday calendar pages of the console."""

import pytest
from django.urls import reverse

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.clinics.models import CalendarDay
from yachi.rostering.models import ShiftException

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


def _url(world, name="console:roster"):
    return reverse(name, args=[world.clinic_a.public_id])


def test_a_manager_sees_the_roster_of_the_clinic(client, world):
    client.force_login(world.clinic_a_manager)
    page = client.get(_url(world))
    assert page.status_code == 200
    assert world.clinic_a_doctor.name in page.content.decode()
    assert client.get(_url(world, "console:roster_calendar")).status_code == 200


def test_the_front_desk_and_other_clinics_are_kept_out(client, world):
    client.force_login(world.clinic_a_front_desk)
    assert client.get(_url(world)).status_code in (403, 404)
    client.force_login(world.clinic_a_manager)
    other = reverse("console:roster", args=[world.clinic_b.public_id])
    assert client.get(other).status_code == 404


def test_leave_over_a_booked_visit_shows_the_patient_and_waits(client, world, booked):
    client.force_login(world.clinic_a_manager)
    form = {
        "action": "leave_add",
        "doctor": str(world.clinic_a_doctor.public_id),
        "day": tomorrow_at(10).date().isoformat(),
    }
    page = client.post(_url(world), form)
    assert page.status_code == 200
    text = page.content.decode()
    assert booked.patient.display_name in text and 'name="confirm" value="1"' in text
    assert not ShiftException.objects.exists()
    done = client.post(_url(world), {**form, "confirm": "1"})
    assert done.status_code == 302
    assert ShiftException.objects.count() == 1


def test_closing_a_day_with_visits_asks_first(client, world, booked):
    client.force_login(world.clinic_a_manager)
    url = _url(world, "console:roster_calendar")
    form = {"action": "save", "day": tomorrow_at(10).date().isoformat(), "kind": "closed"}
    page = client.post(url, form)
    assert booked.patient.display_name in page.content.decode()
    assert not CalendarDay.objects.exists()
    assert client.post(url, {**form, "confirm": "1"}).status_code == 302
    assert CalendarDay.objects.filter(clinic=world.clinic_a).count() == 1


def test_the_public_holidays_are_added_from_the_page(client, world):
    client.force_login(world.clinic_a_manager)
    url = _url(world, "console:roster_calendar") + "?year=2027"
    assert client.post(url, {"action": "seed"}).status_code == 302
    assert CalendarDay.objects.filter(clinic=world.clinic_a, date__year=2027).count() == 13

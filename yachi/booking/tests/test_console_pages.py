import pytest
import time_machine

from conftest import tomorrow_at
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(client, world):
    client.force_login(world.clinic_a_front_desk)
    return client


def booked(world, start=None):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=start or tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


def test_console_needs_a_staff_login(client, world):
    assert client.get("/console/").status_code == 302
    client.force_login(world.patient_parent)
    assert client.get("/console/").status_code == 403


def test_day_calendar_shows_the_appointment(desk, world, django_assert_max_num_queries):
    booked(world)
    url = f"/console/clinic/{world.clinic_a.public_id}/calendar/"
    with django_assert_max_num_queries(20):
        page = desk.get(url, {"date": tomorrow_at(9).date().isoformat()})
    assert page.status_code == 200
    assert "10:00 张妈妈" in page.content.decode()
    by_chair = desk.get(url, {"date": tomorrow_at(9).date().isoformat(), "by": "chair"})
    assert "10:00 张妈妈" in by_chair.content.decode()
    week = desk.get(url, {"date": tomorrow_at(9).date().isoformat(), "view": "week"})
    assert "10:00 张妈妈" in week.content.decode()


def test_another_clinics_calendar_is_not_found(desk, world):
    assert desk.get(f"/console/clinic/{world.clinic_b.public_id}/calendar/").status_code == 404


def test_staff_of_two_clinics_switch_between_them(client, world):
    from yachi.clinics.models import StaffMembership

    StaffMembership.objects.create(user=world.clinic_a_manager, clinic=world.clinic_b)
    client.force_login(world.clinic_a_manager)
    page = client.get(f"/console/clinic/{world.clinic_a.public_id}/calendar/").content.decode()
    assert f'<option value="{world.clinic_b.public_id}"' in page
    response = client.get("/console/", {"clinic": str(world.clinic_b.public_id)})
    assert response.url == f"/console/clinic/{world.clinic_b.public_id}/calendar/"


def test_the_clinic_switch_does_not_open_a_clinic_that_is_not_yours(desk, world):
    assert desk.get("/console/", {"clinic": str(world.clinic_b.public_id)}).status_code == 404


def test_front_desk_marks_arrival_and_no_show(desk, world):
    appointment = booked(world)
    response = desk.post(f"/console/appointment/{appointment.public_id}/step/", {"step": "no_show"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "booked"  # not before the start time
    desk.post(f"/console/appointment/{appointment.public_id}/step/", {"step": "cancelled"})
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_other_clinic_staff_cannot_press_buttons(client, world):
    appointment = booked(world)
    client.force_login(world.clinic_b_front_desk)
    response = client.post(
        f"/console/appointment/{appointment.public_id}/step/", {"step": "cancelled"}
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_front_desk_books_a_new_patient_by_phone(desk, world):
    url = f"/console/clinic/{world.clinic_a.public_id}/book/"
    form = {
        "phone": "13912340000",
        "name": "新患者",
        "service": world.cleaning_a.public_id,
        "doctor": world.clinic_a_doctor.public_id,
        "date": tomorrow_at(9).date().isoformat(),
    }
    page = desk.get(url, form).content.decode()
    assert tomorrow_at(9).isoformat() in page
    response = desk.post(url, {**form, "start": tomorrow_at(11).isoformat()})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.patient.name == "新患者"
    assert appointment.channel == "console"
    assert appointment.booked_by == world.clinic_a_front_desk


def test_walk_in_is_booked_and_arrived_at_once(desk, world):
    morning, ten, quarter_past = tomorrow_at(10, 5), tomorrow_at(10), tomorrow_at(10, 15)
    url = f"/console/clinic/{world.clinic_a.public_id}/book/"
    form = {
        "phone": world.patient_parent.phone,
        "service": world.cleaning_a.public_id,
        "doctor": world.clinic_a_doctor.public_id,
        "date": morning.date().isoformat(),
        "walk_in": "1",
    }
    with time_machine.travel(morning, tick=False):
        page = desk.get(url, form).content.decode()
        assert ten.isoformat() in page  # the slot under way can still be taken
        desk.post(url, {**form, "start": quarter_past.isoformat()})
    appointment = Appointment.objects.get()
    assert appointment.status == "arrived"
    assert appointment.arrived_at == morning
    assert appointment.channel == "walk_in"


def test_saturation_grid(desk, world):
    booked(world)
    page = desk.get(f"/console/clinic/{world.clinic_a.public_id}/saturation/").content.decode()
    assert "王医生" in page and "6%" in page


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["day", "week"])
def test_the_calendar_refuses_a_far_or_garbled_day_with_a_message(desk, world, view):
    url = f"/console/clinic/{world.clinic_a.public_id}/calendar/"
    for day in ("0001-01-01", "9999-12-31", "1899-12-31", "someday"):
        page = desk.get(url, {"date": day, "view": view})
        assert page.status_code == 422, day
        assert "1900-01-01" in page.content.decode() and "2200-12-31" in page.content.decode()
    assert desk.get(url, {"date": "2200-12-31", "view": view}).status_code == 200


@pytest.mark.django_db
def test_booking_at_the_desk_refuses_a_far_day_and_a_far_time(desk, world):
    url = f"/console/clinic/{world.clinic_a.public_id}/book/"
    assert desk.get(url, {"date": "9999-12-31"}).status_code == 422
    response = desk.post(
        url,
        {
            "service": str(world.cleaning_a.public_id),
            "doctor": str(world.clinic_a_doctor.public_id),
            "phone": "13800000009",
            "name": "新患者",
            "start": "9999-12-31T10:00",
        },
    )
    assert response.status_code == 422
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_doctors_absence_in_year_9999_is_refused(client, world):
    client.force_login(world.clinic_a_manager)
    response = client.post(
        f"/console/clinic/{world.clinic_a.public_id}/absence/",
        {"doctor": str(world.clinic_a_doctor.public_id), "day": "9999-12-31", "reason": "病假"},
        follow=True,
    )
    assert "2200-12-31" in response.content.decode()

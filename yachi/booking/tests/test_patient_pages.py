"""The patient app's pages, driven through Django's test client."""

import pytest

from conftest import tomorrow_at
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def parent_client(client, world):
    client.force_login(world.patient_parent)
    return client


def booked(world, start=None, patient=None, actor=None):
    return appointments_book(
        actor=actor or world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=start or tomorrow_at(10),
        patients=[patient or world.parent],
    ).appointments[0]


def test_pages_need_a_login(client, db):
    response = client.get("/appointments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_booking_flow_pages_render(parent_client, world):
    assert "静安店" in parent_client.get("/book/").content.decode()
    page = parent_client.get(f"/book/clinic/{world.clinic_a.public_id}/").content.decode()
    assert "洁牙" in page and "¥200.00" in page
    page = parent_client.get(f"/book/service/{world.cleaning_a.public_id}/").content.decode()
    assert "王医生" in page and "李医生" in page
    page = parent_client.get(
        f"/book/service/{world.cleaning_a.public_id}/doctor/{world.clinic_a_doctor.public_id}/",
        {"day": tomorrow_at(9).date().isoformat()},
    ).content.decode()
    assert 'data-start="' + tomorrow_at(9).isoformat() + '"' in page


def test_booking_from_the_confirm_page(parent_client, world):
    form = {
        "service": world.cleaning_a.public_id,
        "doctor": world.clinic_a_doctor.public_id,
        "start": tomorrow_at(10).isoformat(),
        "idempotency_key": "abc123",
    }
    page = parent_client.get("/book/confirm/", form)
    assert "10:00–10:30" in page.content.decode()
    response = parent_client.post("/book/confirm/", form)
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/appointments/{appointment.public_id}/"
    # A double tap on the button books nothing more.
    parent_client.post("/book/confirm/", form)
    assert Appointment.objects.count() == 1


def test_a_taken_slot_sends_the_patient_back_with_a_message(parent_client, world):
    booked(world, actor=world.other_patient, patient=world.other)
    form = {
        "service": world.cleaning_a.public_id,
        "doctor": world.clinic_a_doctor.public_id,
        "start": tomorrow_at(10).isoformat(),
    }
    response = parent_client.post("/book/confirm/", form, follow=True)
    assert "这个时段刚刚被约走了" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_cancel_and_reschedule_from_the_appointment_page(parent_client, world):
    appointment = booked(world)
    page = parent_client.get(f"/appointments/{appointment.public_id}/").content.decode()
    assert "取消预约" in page and "改约" in page
    parent_client.post(
        f"/appointments/{appointment.public_id}/reschedule/", {"start": tomorrow_at(15).isoformat()}
    )
    appointment.refresh_from_db()
    assert appointment.start == tomorrow_at(15)
    parent_client.post(f"/appointments/{appointment.public_id}/cancel/")
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_someone_elses_appointment_page_is_not_found(client, world):
    appointment = booked(world)
    client.force_login(world.other_patient)
    assert client.get(f"/appointments/{appointment.public_id}/").status_code == 404
    assert client.post(f"/appointments/{appointment.public_id}/cancel/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_a_garbled_time_gives_a_friendly_page(parent_client, world):
    appointment = booked(world)
    response = parent_client.get(
        f"/appointments/{appointment.public_id}/reschedule/", {"start": "yesterday"}
    )
    assert response.status_code == 422
    assert "该时间无法预约" in response.content.decode()


def test_family_pages(parent_client, world):
    page = parent_client.get("/family/").content.decode()
    assert "张小宝" in page
    response = parent_client.post(
        "/family/add/",
        {"name": "张爷爷", "relationship": "parent", "gender": "male", "birth_date": "1950-01-01"},
    )
    assert response.status_code == 302
    assert "张爷爷" in parent_client.get("/family/").content.decode()
    page = parent_client.post(
        "/family/add/", {"name": "", "relationship": "child", "gender": "male"}
    )
    assert page.status_code == 422


def test_staff_are_sent_to_the_console(client, world):
    client.force_login(world.clinic_a_front_desk)
    page = client.get("/appointments/")
    assert page.status_code == 403
    assert "诊所控制台" in page.content.decode()


def test_appointment_list_stays_within_its_query_budget(
    parent_client, world, django_assert_max_num_queries
):
    for hour in (9, 10, 11, 14, 15):
        booked(world, start=tomorrow_at(hour))
    with django_assert_max_num_queries(10):
        page = parent_client.get("/appointments/")
    assert page.content.decode().count("appointment card") == 0
    assert page.content.decode().count('class="card appointment"') == 5


@pytest.mark.django_db
def test_a_date_of_birth_in_year_1_is_refused_by_the_family_form(parent_client, world):
    page = parent_client.post(
        "/family/add/",
        {"name": "张爷爷", "relationship": "parent", "gender": "male", "birth_date": "0001-01-01"},
    )
    assert page.status_code == 422
    assert "1900-01-01" in page.content.decode()
    assert world.patient_parent.family_account.members.count() == 2


@pytest.mark.django_db
def test_the_waitlist_page_refuses_a_window_in_year_9999(parent_client, world):
    from yachi.booking.models import WaitlistEntry

    for first, last in (("9999-12-20", "9999-12-31"), ("2200-12-20", "2200-12-31")):
        page = parent_client.post(
            "/waitlist/join/",
            {"service": str(world.cleaning_a.public_id), "first": first, "last": last},
        )
        assert page.status_code == 200
        assert "flash-error" in page.content.decode()
    assert not WaitlistEntry.objects.exists()


@pytest.mark.django_db
def test_the_slot_grid_refuses_a_far_day(parent_client, world):
    url = f"/book/service/{world.cleaning_a.public_id}/doctor/{world.clinic_a_doctor.public_id}/"
    assert parent_client.get(url, {"day": "9999-12-31"}).status_code == 422
    assert parent_client.get(url).status_code == 200

"""What a patient and the front desk read on the booking pages: the deposit before
confirming, the legend and the parts of the day, one level of a day everywhere."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import tomorrow_at
from yachi.booking.models import Appointment
from yachi.booking.selectors import clinic_saturation_grid

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def parent_client(client, world):
    client.force_login(world.patient_parent)
    return client


def _confirm_form(world, service, who=()):
    return {
        "service": service.public_id,
        "doctor": world.clinic_a_doctor.public_id,
        "start": tomorrow_at(10).isoformat(),
        "who": [str(p.public_id) for p in who],
    }


def test_the_deposit_and_its_refund_rule_are_shown_before_confirming(parent_client, world):
    service = world.cleaning_a
    service.deposit_fen = 5000
    service.save()
    form = _confirm_form(world, service, who=[world.parent, world.patient_child])
    page = parent_client.get("/book/confirm/", form).content.decode()
    assert "定金" in page
    # Two people: two deposits, paid online before the time is theirs.
    assert "¥100.00" in page
    assert "15 分钟内" in page
    assert "全额退还" in page and "2 小时" in page
    assert "确认并支付定金" in page
    assert Appointment.objects.count() == 0


def test_no_deposit_no_rule(parent_client, world):
    page = parent_client.get("/book/confirm/", _confirm_form(world, world.cleaning_a))
    assert 'data-testid="deposit-rule"' not in page.content.decode()


def test_the_legend_explains_every_colour_with_its_threshold(parent_client, world, settings):
    settings.YACHI_SATURATION_YELLOW = 0.4
    settings.YACHI_SATURATION_RED = 0.9
    page = parent_client.get(f"/book/service/{world.cleaning_a.public_id}/").content.decode()
    assert "40%" in page and "90%" in page
    assert "灰色" in page
    for level in ("level-green", "level-yellow", "level-red", "dot off"):
        assert level in page


def test_the_times_of_a_day_are_grouped_into_morning_afternoon_evening(parent_client, world):
    from tests.factories import weekly_hours

    doctor = world.clinic_a_doctor
    weekly_hours(doctor, world.clinic_a, spans=((time(19), time(20)),))
    page = parent_client.get(
        f"/book/service/{world.cleaning_a.public_id}/doctor/{doctor.public_id}/",
        {"day": tomorrow_at(9).date().isoformat()},
    ).content.decode()
    morning, afternoon, evening = page.index("上午"), page.index("下午"), page.index("晚上")
    assert morning < page.index(tomorrow_at(9).isoformat()) < afternoon
    assert afternoon < page.index(tomorrow_at(13).isoformat()) < evening
    assert evening < page.index(tomorrow_at(19).isoformat())


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _appointment(world, start, minutes, patient=None):
    return Appointment.objects.create(
        clinic=world.clinic_a,
        doctor=world.clinic_a_doctor,
        chair=world.chairs_a[0],
        service=world.cleaning_a,
        patient=patient or world.parent,
        channel="console",
        start=start,
        end=start + timedelta(minutes=minutes),
        status="booked",
        price_fen=0,
    )


def test_grid_and_calendar_give_a_day_the_same_booked_share(client, world, settings):
    """A day of 8 working hours (09–12, 13–18); at 16:00 the morning's visits have passed
    and still count: 60 + 45 + 30 + 30 minutes booked is 165 of 480, 34 %."""
    settings.YACHI_SATURATION_YELLOW = 0.3
    settings.YACHI_SATURATION_RED = 0.8
    day = tomorrow_at(9).date()
    _appointment(world, _at(day, 9), 60)
    _appointment(world, _at(day, 10, 30), 45)
    _appointment(world, _at(day, 14), 30)
    # Half of this one lies in the lunch break, outside the bookable time.
    _appointment(world, _at(day, 11, 30), 90, patient=world.patient_child)
    cancelled = _appointment(world, _at(day, 16), 60)
    cancelled.status = "cancelled"
    cancelled.save()
    booked_minutes = 60 + 45 + 30 + 30
    share = booked_minutes / 480

    with time_machine.travel(_at(day, 16), tick=False):
        grid = clinic_saturation_grid(clinic=world.clinic_a, doctors=[world.clinic_a_doctor])
        cell = grid[world.clinic_a_doctor.pk][0]
        assert cell.day == day
        assert cell.taken_share == pytest.approx(share)
        assert cell.level == "yellow"  # 34 % is past the 30 % the legend states
        client.force_login(world.clinic_a_front_desk)
        grid_page = client.get(f"/console/clinic/{world.clinic_a.public_id}/saturation/")
        calendar = client.get(
            f"/console/clinic/{world.clinic_a.public_id}/calendar/", {"date": day.isoformat()}
        )
        week = client.get(
            f"/console/clinic/{world.clinic_a.public_id}/calendar/",
            {"date": day.isoformat(), "view": "week"},
        )
    percent = f"{round(share * 100)}%"
    assert f'data-level="yellow">{percent}<' in grid_page.content.decode()
    assert f'data-level="yellow">{percent}<' in calendar.content.decode()
    assert f'data-level="yellow">{percent}<' in week.content.decode()
    assert "30%" in grid_page.content.decode() and "80%" in grid_page.content.decode()


def test_a_doctors_day_off_is_grey_not_red(world):
    grid = clinic_saturation_grid(clinic=world.clinic_a, doctors=[world.clinic_b_doctor])
    assert {cell.level for cell in grid[world.clinic_b_doctor.pk]} == {"off"}


def test_a_family_booking_shows_and_tells_everyone_booked(
    parent_client, world, django_capture_on_commit_callbacks
):
    from yachi.messaging.models import Notification

    form = _confirm_form(world, world.cleaning_a, who=[world.parent, world.patient_child])
    form["idempotency_key"] = "family-1"
    with django_capture_on_commit_callbacks(execute=True):
        response = parent_client.post("/book/confirm/", form)
    assert Appointment.objects.count() == 2
    assert response.status_code == 302
    page = parent_client.get(response["Location"]).content.decode()
    assert 'data-testid="together"' in page
    assert "张妈妈" in page and "张小宝" in page
    assert "10:00–10:30" in page and "10:30–11:00" in page
    # One confirmation for the booking, naming both people and the whole time.
    from yachi.messaging.render import render

    sent = Notification.objects.filter(kind="appointment_booked")
    assert len({n.idempotency_key for n in sent}) == 1
    _title, body = render("appointment_booked", sent.first().params, "zh-hans")
    assert "张妈妈、张小宝" in body and "10:00–11:00" in body


def test_the_together_list_shows_only_the_callers_own(parent_client, world):
    from yachi.booking.services import appointments_book

    mine = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]
    theirs = appointments_book(
        actor=world.other_patient,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(11),
        patients=[world.other],
    ).appointments[0]
    page = parent_client.get(f"/appointments/{mine.public_id}/", {"with": [theirs.public_id]})
    assert "陌生人" not in page.content.decode()


def _mine(world, start=None):
    from yachi.booking.services import appointments_book

    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=start or tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


def test_reschedule_may_move_to_another_doctor_with_the_same_skill(parent_client, world):
    appointment = _mine(world)
    other = world.clinic_a_implant_doctor  # also provides general care
    page = parent_client.get(
        f"/appointments/{appointment.public_id}/reschedule/", {"doctor": other.public_id}
    ).content.decode()
    assert "李医生" in page and 'data-testid="doctors"' in page
    parent_client.post(
        f"/appointments/{appointment.public_id}/reschedule/",
        {"start": tomorrow_at(15).isoformat(), "doctor": other.public_id},
    )
    appointment.refresh_from_db()
    assert (appointment.doctor_id, appointment.start) == (other.pk, tomorrow_at(15))


def test_reschedule_refuses_a_doctor_without_the_skill(api, world):
    from yachi.booking.services import appointments_book

    appointment = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_implant_doctor,
        service=world.implant_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]
    response = api.as_user(world.patient_parent).post(
        f"/appointments/{appointment.public_id}/reschedule",
        {"start": tomorrow_at(15).isoformat(), "doctor_id": str(world.clinic_a_doctor.public_id)},
    )
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == "slot_unavailable"
    appointment.refresh_from_db()
    assert appointment.doctor_id == world.clinic_a_implant_doctor.pk


def test_cancelling_asks_an_optional_reason(parent_client, world):
    appointment = _mine(world)
    page = parent_client.get(f"/appointments/{appointment.public_id}/").content.decode()
    assert 'name="reason"' in page and "可选" in page
    parent_client.post(f"/appointments/{appointment.public_id}/cancel/", {"reason": "感冒了"})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == ("cancelled", "感冒了")


def test_any_doctor_earliest_time_on_the_page_and_in_the_api(parent_client, world, client):
    # 王医生 is booked from 09:00 to 10:00; 李医生 is free at 09:00 and is offered.
    for hour in (9, 9.5):
        start = tomorrow_at(int(hour), 30 if hour % 1 else 0)
        _appointment(world, start, 30)
    with time_machine.travel(tomorrow_at(7), tick=False):
        page = parent_client.get(f"/book/service/{world.cleaning_a.public_id}/").content.decode()
        answer = client.get(f"/api/v1/services/{world.cleaning_a.public_id}/earliest").json()
    assert "任意医生" in page
    assert f'data-start="{tomorrow_at(9).isoformat()}"' in page
    assert answer["doctor"]["name"] == "李医生"
    assert answer["start"].startswith(tomorrow_at(9).isoformat()[:16])


def test_earliest_time_is_null_when_nobody_is_free(client, world):
    from tests.factories import ServiceFactory

    braces = ServiceFactory(clinic=world.clinic_a, code="braces", required_skill="orthodontics")
    answer = client.get(f"/api/v1/services/{braces.public_id}/earliest")
    assert answer.status_code == 200
    assert (answer.json()["doctor"], answer.json()["start"]) == (None, None)

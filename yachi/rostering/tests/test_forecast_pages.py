"""The demand forecast of a clinic from its booking history: the API, the console page,
what the optimizer is given, and the school holidays managers keep."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.apiclient import ApiClient
from yachi.booking.models import Appointment
from yachi.clinics.choices import DayKind
from yachi.clinics.facade import calendar_day_save
from yachi.compliance.models import AuditEntry
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.rostering.calendar import services
from yachi.rostering.calendar.models import SchoolHoliday
from yachi.rostering.facade import clinic_days, demand_forecast
from yachi.rostering.tests.helpers import forecast_history, this_monday

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKS = 14


@pytest.fixture(autouse=True)
def _an_ordinary_wednesday():
    """Whenever the suite runs, "today" is a Wednesday whose coming weeks hold no public
    holiday, so that the figures below are those of ordinary weeks."""
    with time_machine.travel(datetime(2026, 11, 18, 10, tzinfo=SHANGHAI), tick=True):
        yield


@pytest.fixture
def history(world):
    forecast_history(world)
    return world


def test_the_optimizer_is_given_minutes_per_skill_date_and_half_day(history):
    world = history
    monday = this_monday() + timedelta(weeks=1)
    rows = demand_forecast(clinic_ids=[world.clinic_a.pk], first_day=monday, days=7)
    by = {(row.skill, row.day, row.half_day): row.minutes for row in rows}
    assert {row.clinic_id for row in rows} == {world.clinic_a.pk}
    assert by[("general", monday, "morning")] == pytest.approx(30, abs=1)
    assert by[("general", monday, "afternoon")] == pytest.approx(45, abs=1)
    saturday = monday + timedelta(days=5)
    assert by[("implant", saturday, "morning")] == pytest.approx(30, abs=1)
    assert by[("implant", monday, "morning")] == 0
    # No evening was ever booked: the clinic's half-days are morning and afternoon.
    assert {row.half_day for row in rows} == {"morning", "afternoon"}


def test_a_coming_day_is_forecast_at_least_at_what_is_already_booked(history):
    world = history
    monday = this_monday() + timedelta(weeks=1)
    start = datetime.combine(monday, datetime.min.time(), SHANGHAI) + timedelta(hours=10)
    Appointment.objects.bulk_create(
        Appointment(
            clinic=world.clinic_a,
            doctor=world.clinic_a_doctor,
            service=world.implant_a,
            patient=world.other,
            channel="console",
            start=start + timedelta(minutes=30 * n),
            end=start + timedelta(minutes=30 * (n + 1)),
            status="booked",
            price_fen=0,
        )
        for n in range(3)
    )
    rows = demand_forecast(clinic_ids=[world.clinic_a.pk], first_day=monday, days=1)
    by = {(row.skill, row.half_day): row.minutes for row in rows}
    assert by[("implant", "morning")] == 90  # no implant on a Monday before, 90 minutes booked
    assert by[("general", "morning")] == pytest.approx(30, abs=1)


def test_a_day_the_clinic_closes_is_forecast_at_nothing(history):
    world = history
    tuesday = this_monday() + timedelta(weeks=1, days=1)
    calendar_day_save(actor=None, clinic=world.clinic_a, day=tuesday, kind=DayKind.CLOSED)
    rows = demand_forecast(clinic_ids=[world.clinic_a.pk], first_day=tuesday, days=1)
    assert rows and all(row.minutes == 0 for row in rows)


def test_staff_read_a_past_week_against_what_was_booked(history):
    world = history
    week = this_monday() - timedelta(weeks=1)
    response = (
        ApiClient()
        .as_user(world.clinic_a_front_desk)
        .get(
            "/clinic/forecast",
            {"clinic_id": str(world.clinic_a.public_id), "week_start": week.isoformat()},
        )
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["week_start"] == week.isoformat()
    assert body["skills"] == ["general", "implant"]
    assert body["half_days"] == ["morning", "afternoon"]
    cells = {(c["date"], c["half_day"], c["skill"]): c for c in body["cells"]}
    assert len(cells) == 7 * 2 * 2
    monday_afternoon = cells[(week.isoformat(), "afternoon", "general")]
    # The cancelled filling is not demand; the baseline is the Monday before.
    assert monday_afternoon["actual_minutes"] == 45
    assert monday_afternoon["baseline_minutes"] == 45
    assert monday_afternoon["forecast_minutes"] == pytest.approx(45, abs=1)
    # Six weeks replayed after eight of warm-up; the mid-autumn and National Day holidays
    # among them, with the clinic open, are the forecast's only misses.
    backtest = body["backtest"]
    assert backtest["weeks"] == 6
    assert 0 < backtest["mae"] < 5


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"week_start": "2026-13-01"}, 422, None),
        ({"week_start": "tomorrow"}, 422, None),
        ({}, 422, None),
        ({"week_start": "monday-not"}, 422, None),
    ],
)
def test_bad_weeks_are_clear_errors(world, params, status, code):
    query = {"clinic_id": str(world.clinic_a.public_id), **params}
    response = ApiClient().as_user(world.clinic_a_manager).get("/clinic/forecast", query)
    assert response.status_code == status
    assert {"code", "message"} <= set(response.json())


def test_a_week_must_start_on_a_monday_and_be_near(world):
    client = ApiClient().as_user(world.clinic_a_manager)
    clinic_id = str(world.clinic_a.public_id)
    tuesday = this_monday() + timedelta(days=1)
    response = client.get("/clinic/forecast", {"clinic_id": clinic_id, "week_start": str(tuesday)})
    assert (response.status_code, response.json()["code"]) == (422, "not_a_monday")
    far = this_monday() + timedelta(weeks=30)
    response = client.get("/clinic/forecast", {"clinic_id": clinic_id, "week_start": str(far)})
    assert (response.status_code, response.json()["code"]) == (422, "week_out_of_range")


def test_another_clinics_forecast_is_not_found_and_patients_are_refused(world):
    query = {"clinic_id": str(world.clinic_a.public_id), "week_start": str(this_monday())}
    response = ApiClient().as_user(world.clinic_b_front_desk).get("/clinic/forecast", query)
    assert response.status_code == 404
    response = ApiClient().as_user(world.patient_parent).get("/clinic/forecast", query)
    assert response.status_code in (403, 404)
    assert ApiClient().get("/clinic/forecast", query).status_code == 401


def test_the_console_shows_the_forecast_against_bookings_with_the_error(client, history):
    world = history
    client.force_login(world.clinic_a_manager)
    week = this_monday() - timedelta(weeks=1)
    page = client.get(
        f"/console/clinic/{world.clinic_a.public_id}/forecast/?week={week.isoformat()}"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "需求预测" in text and "data-chart" in text
    assert "平均绝对误差" in text and "MASE" in text
    assert "种植" in text  # the skill's name in Chinese


def test_managers_keep_the_school_holidays_the_forecast_follows(world):
    first = this_monday() + timedelta(weeks=2)
    holiday = services.school_holiday_add(
        actor=world.clinic_a_manager,
        clinic=world.clinic_a,
        name="寒假",
        first_day=first,
        last_day=first + timedelta(days=27),
    )
    days = clinic_days(
        clinic_id=world.clinic_a.pk, first_day=first, last_day=first + timedelta(days=28)
    )
    assert days[first].school_holiday and days[first + timedelta(days=27)].school_holiday
    assert not days[first + timedelta(days=28)].school_holiday
    # Clinic B's schools are not out.
    assert not clinic_days(clinic_id=world.clinic_b.pk, first_day=first, last_day=first)[
        first
    ].school_holiday
    assert AuditEntry.objects.filter(
        object_type="school_holiday", object_id=str(holiday.public_id)
    ).exists()
    services.school_holiday_remove(
        actor=world.clinic_a_manager, clinic=world.clinic_a, holiday_id=str(holiday.public_id)
    )
    assert not SchoolHoliday.objects.exists()


def test_school_holidays_are_refused_to_the_front_desk_and_when_they_make_no_sense(world):
    first = this_monday() + timedelta(weeks=2)
    with pytest.raises(PermissionDenied):
        services.school_holiday_add(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            name="暑假",
            first_day=first,
            last_day=first + timedelta(days=10),
        )
    for name, last in (
        ("暑假", first - timedelta(days=1)),
        ("暑假", first + timedelta(days=120)),
        ("", first),
    ):
        with pytest.raises(InvalidInput):
            services.school_holiday_add(
                actor=world.clinic_a_manager,
                clinic=world.clinic_a,
                name=name,
                first_day=first,
                last_day=last,
            )
    assert not SchoolHoliday.objects.exists()


def test_the_school_holidays_page(client, world):
    client.force_login(world.clinic_a_manager)
    url = f"/console/clinic/{world.clinic_a.public_id}/roster/school-holidays/"
    first = this_monday() + timedelta(weeks=3)
    response = client.post(
        url,
        {
            "action": "add",
            "name": "暑假",
            "first_day": str(first),
            "last_day": str(first + timedelta(days=40)),
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "学校假期" in page and "暑假" in page
    client.force_login(world.clinic_a_front_desk)
    assert client.get(url).status_code == 403


def test_national_holidays_and_make_up_days_reach_the_forecast_calendar(world):
    from yachi.clinics.facade import calendar_seed

    calendar_seed(clinic=world.clinic_a, years=(2026,))
    days = clinic_days(
        clinic_id=world.clinic_a.pk, first_day=date(2026, 9, 30), last_day=date(2026, 10, 10)
    )
    assert not days[date(2026, 10, 1)].open and days[date(2026, 10, 1)].holiday == "国庆节"
    assert days[date(2026, 10, 10)].open and days[date(2026, 10, 10)].works_as == 0  # 调休上班
    assert days[date(2026, 9, 30)].open and days[date(2026, 9, 30)].works_as is None

"""Rosters edited in the Django admin: the same rules, shown on the form in Chinese."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import StaffFactory
from yachi.core.roles import Role
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException
from yachi.rostering.tests.helpers import MONDAY, coming, hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    client.force_login(StaffFactory(role=Role.ADMIN, is_superuser=True))
    return client


def add_leave(admin_client, world, day, start="", end=""):
    return admin_client.post(
        reverse("admin:rostering_shiftexception_add"),
        {
            "doctor": world.clinic_a_doctor.pk,
            "clinic": "",
            "date": day.isoformat(),
            "kind": ExceptionKind.LEAVE,
            "start_time": start,
            "end_time": end,
            "note": "",
        },
    )


def test_leave_added_in_the_admin_takes_the_day_off(admin_client, world):
    monday = coming(MONDAY)
    assert add_leave(admin_client, world, monday).status_code == 302
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == []


def test_a_date_years_away_is_shown_as_a_form_error(admin_client, world):
    response = add_leave(admin_client, world, coming(MONDAY) + timedelta(days=365 * 36))
    assert response.status_code == 200
    assert "请选择距今一年以内的日期。" in response.content.decode()
    assert not ShiftException.objects.exists()


def test_part_day_leave_without_an_end_is_shown_as_a_form_error(admin_client, world):
    monday = coming(MONDAY)
    response = add_leave(admin_client, world, monday, start="10:00")
    assert response.status_code == 200
    assert "请同时填写开始和结束时间" in response.content.decode()
    assert not ShiftException.objects.exists()
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == ["09:00–12:00", "13:00–18:00"]

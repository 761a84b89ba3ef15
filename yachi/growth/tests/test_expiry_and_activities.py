"""Points expire per lot at the end of the year after they were earned, through ledger
entries; activities (a survey, a share) earn points once, through the same ledger."""

from datetime import date

import pytest
from django.db.models import Sum
from django.utils import timezone

from yachi.growth import expiry, facade
from yachi.growth.activities import points_for_activity
from yachi.growth.choices import PointsReason
from yachi.growth.models import PointsEntry
from yachi.growth.tests.test_concurrency import race

pytestmark = pytest.mark.django_db


def _sum(user) -> int:
    return PointsEntry.objects.filter(user=user).aggregate(s=Sum("delta"))["s"] or 0


def test_points_left_of_a_lot_expire_after_the_end_of_the_next_year_once(world):
    user = world.patient_parent
    facade.points_earn(user=user, points=300, reason=PointsReason.ACTIVITY, idempotency_key="e1")
    facade.points_spend(user=user, points=100, reason=PointsReason.CHECKOUT, idempotency_key="s1")
    this_year = timezone.localdate().year
    last_day = date(this_year + 1, 12, 31)
    assert expiry.points_expiring(user=user) == (200, last_day)
    assert expiry.points_expire(today=last_day) == 0  # still valid on its last day
    assert expiry.points_expire(today=date(this_year + 2, 1, 1)) == 200
    assert expiry.points_expire(today=date(this_year + 2, 1, 1)) == 0  # idempotent
    assert facade.points_balance(user=user) == 0 == _sum(user)
    expired = PointsEntry.objects.get(reason=PointsReason.EXPIRY)
    assert expired.delta == -200 and expired.idempotency_key.startswith("points.expire:")
    assert expiry.points_expiring(user=user) is None


def test_the_points_page_and_api_say_how_many_points_expire_when(client, api, world, settings):
    settings.YACHI_POINTS_VALID_YEARS = 0  # this year's points expire on 31 December
    user = world.patient_parent
    facade.points_earn(user=user, points=80, reason=PointsReason.ACTIVITY, idempotency_key="e2")
    day = date(timezone.localdate().year, 12, 31)
    client.force_login(user)
    page = client.get("/points/").content.decode()
    assert f"80 积分将于 {day.isoformat()} 过期" in page
    mine = api.as_user(user).get("/me/points").json()
    assert (mine["expiring_points"], mine["expiring_on"]) == (80, day.isoformat())


def test_a_survey_earns_once_per_survey_and_a_share_once_a_day(api, world, settings):
    settings.YACHI_POINTS_FOR_SURVEY = 50
    settings.YACHI_POINTS_FOR_SHARE = 10
    api.as_user(world.patient_parent)
    first = api.post("/me/points/activities", {"activity": "survey", "reference": "满意度-2026-12"})
    assert first.status_code == 201 and first.json()["points"] == 50
    again = api.post("/me/points/activities", {"activity": "survey", "reference": "满意度-2026-12"})
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["entry_id"] == first.json()["entry_id"]
    api.post("/me/points/activities", {"activity": "share", "reference": "洁牙科普"})
    api.post("/me/points/activities", {"activity": "share", "reference": "儿童涂氟"})
    assert facade.points_balance(user=world.patient_parent) == 60
    for bad in (
        {"activity": "lottery", "reference": "x"},
        {"activity": "survey", "reference": ""},
        {"activity": "survey"},
    ):
        refused = api.post("/me/points/activities", bad)
        assert refused.status_code in (400, 422) and "code" in refused.json()
    api.as_user(world.clinic_a_front_desk)
    assert (
        api.post("/me/points/activities", {"activity": "share", "reference": "x"}).status_code
        == 403
    )
    assert facade.points_balance(user=world.patient_parent) == 60


@pytest.mark.django_db(transaction=True)
def test_a_survey_answered_at_once_from_many_requests_earns_once(world, settings):
    settings.YACHI_POINTS_FOR_SURVEY = 50
    user = world.patient_parent
    outcomes = race(lambda i: points_for_activity(user=user, activity="survey", reference="s-1"))
    assert outcomes == {"ok": 8}
    assert PointsEntry.objects.filter(user=user).count() == 1
    assert facade.points_balance(user=user) == 50 == _sum(user)

from datetime import date

import pytest

from yachi.messaging.models import Notification
from yachi.patients.milestones import due_milestones
from yachi.patients.reminders import send_child_milestones
from yachi.patients.services import family_member_add


def codes(birth, today):
    return [m.code for m in due_milestones(birth=birth, today=today)]


def test_milestones_by_age():
    today = date(2026, 12, 1)
    assert codes(date(2026, 6, 1), today) == []  # six months
    assert codes(date(2025, 11, 1), today) == ["first_visit"]  # one
    assert codes(date(2020, 6, 1), today) == ["first_molar_sealant", "exfoliation_checkup"]  # 6½
    assert codes(date(2019, 6, 1), today) == [
        "first_molar_sealant",
        "exfoliation_checkup",
        "early_orthodontic_assessment",
    ]  # 7½
    assert codes(date(2015, 2, 1), today) == ["exfoliation_checkup", "second_molar_sealant"]
    assert codes(date(2013, 6, 1), today) == []  # thirteen and a half: grown up


def test_a_birthday_not_reached_yet_counts():
    assert codes(date(2020, 12, 2), date(2026, 12, 1)) == []  # five, one day short of six


@pytest.mark.django_db(transaction=True)
def test_each_milestone_is_sent_once(world):
    family_member_add(
        account=world.patient_parent.family_account,
        name="张二宝",
        relationship="child",
        birth_date=date(2025, 6, 1),
    )
    today = date(2026, 12, 1)
    first = send_child_milestones(today=today)
    again = send_child_milestones(today=today)
    assert first >= 1 and again == 0
    sent = Notification.objects.filter(kind="child_milestone", recipient=world.patient_parent)
    assert "张二宝" in {n.params["child"] for n in sent}
    assert sent.filter(channel="sms").count() == sent.filter(channel="inbox").count()


@pytest.mark.django_db
def test_milestone_reminders_wait_out_a_public_holiday(world):
    """Not a message for a National Day morning: it goes the first working day after."""
    family_member_add(
        account=world.patient_parent.family_account,
        name="张三宝",
        relationship="child",
        birth_date=date(2025, 6, 1),
    )
    assert send_child_milestones(today=date(2026, 10, 1)) == 0  # 国庆节
    assert not Notification.objects.filter(kind="child_milestone").exists()
    assert send_child_milestones(today=date(2026, 10, 8)) >= 1

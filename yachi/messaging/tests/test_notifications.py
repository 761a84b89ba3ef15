from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from yachi.messaging import services
from yachi.messaging.choices import Status
from yachi.messaging.kinds import KINDS, Kind
from yachi.messaging.models import Notification
from yachi.messaging.providers.local import MemoryProvider

pytestmark = pytest.mark.django_db(transaction=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")

PARAMS = {
    "patient": "张妈妈",
    "service": "洁牙",
    "doctor": "王医生",
    "clinic": "静安店",
    "time": "2026-12-01 10:00",
    "link": "http://x/a/1/",
}


def sms_to(phone):
    return [m for m in MemoryProvider.outbox if m.phone == phone]


def test_one_message_per_channel_and_never_twice(world):
    user = world.patient_parent
    first = services.notify(recipient=user, kind="appointment_reminder", params=PARAMS, key="k1")
    again = services.notify(recipient=user, kind="appointment_reminder", params=PARAMS, key="k1")
    assert {n.channel for n in first} == {"sms", "inbox"}  # no WeChat without an openid
    assert again == []
    assert Notification.objects.count() == 2
    assert Notification.objects.filter(status=Status.SENT).count() == 2
    assert len(sms_to(user.phone)) == 1
    assert "王医生" in sms_to(user.phone)[0].text


def test_what_a_message_says_about_someone_is_stored_encrypted(world):
    from django.db import connection

    services.notify(
        recipient=world.patient_parent, kind="appointment_reminder", params=PARAMS, key="k1"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT params FROM messaging_notification")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 2
    for value in stored:
        assert value.startswith("sm4gcm:v1:") and "张妈妈" not in value and "10:00" not in value
    assert {n.params["patient"] for n in Notification.objects.all()} == {"张妈妈"}
    assert "张妈妈" in sms_to(world.patient_parent.phone)[0].text


def test_a_retried_job_does_not_send_again(world):
    user = world.patient_parent
    notification = services.notify(
        recipient=user, kind="appointment_reminder", params=PARAMS, key="k2", channels=("sms",)
    )[0]
    assert services.deliver(notification.pk) == Status.SENT  # already sent on commit
    assert len(sms_to(user.phone)) == 1


def test_a_worker_lost_while_sending_is_not_sent_twice(world):
    user = world.patient_parent
    later = timezone.now() + timedelta(hours=1)
    notification = services.notify(
        recipient=user,
        kind="appointment_reminder",
        params=PARAMS,
        key="k3",
        channels=("sms",),
        send_at=later,
    )[0]
    # A worker claimed it and died before recording the outcome.
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=30),
        scheduled_for=timezone.now(),
    )
    services.dispatch_due()
    notification.refresh_from_db()
    assert notification.status == Status.UNCERTAIN
    assert sms_to(user.phone) == []


def test_scheduled_messages_go_out_when_due(world):
    user = world.patient_parent
    later = timezone.now() + timedelta(hours=3)
    services.notify(
        recipient=user, kind="appointment_reminder", params=PARAMS, key="k4", send_at=later
    )
    assert sms_to(user.phone) == []
    assert services.dispatch_due() == 0
    with time_machine.travel(later + timedelta(seconds=1)):
        assert services.dispatch_due() == 2
    assert len(sms_to(user.phone)) == 1


def test_a_patient_who_turned_sms_off_gets_only_the_inbox(world):
    user = world.patient_parent
    services.preference_update(user=user, sms=False, wechat=True, marketing=True)
    sent = services.notify(recipient=user, kind="appointment_reminder", params=PARAMS, key="k5")
    assert [n.channel for n in sent] == ["inbox"]


@pytest.fixture
def promotion():
    KINDS["spring_offer"] = Kind("spring_offer", "marketing", "春季洁牙优惠", "洁牙 7 折：%(link)s")
    yield "spring_offer"
    del KINDS["spring_offer"]


def test_promotions_wait_for_the_end_of_quiet_hours(world, promotion, quiet_hours):
    late_evening = datetime(2026, 12, 1, 22, 30, tzinfo=SHANGHAI)
    with time_machine.travel(late_evening, tick=False):
        sent = services.notify(recipient=world.patient_parent, kind=promotion, params={}, key="p1")
        assert sms_to(world.patient_parent.phone) == []
    # The inbox makes no sound: only what reaches the phone waits.
    assert {n.channel: n.scheduled_for for n in sent} == {
        "sms": datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI),
        "inbox": late_evening,
    }


def test_marketing_opt_out_is_respected(world, promotion):
    services.preference_update(user=world.patient_parent, sms=True, wechat=True, marketing=False)
    assert (
        services.notify(recipient=world.patient_parent, kind=promotion, params={}, key="p2") == []
    )


def test_messages_speak_the_recipients_language(world):
    services.notify(
        recipient=world.patient_parent,
        kind="appointment_reminder",
        params=PARAMS,
        key="k7",
        language="en",
        channels=("sms",),
    )
    assert sms_to(world.patient_parent.phone)[0].text.startswith("Reminder:")


def test_the_patient_sees_inbox_and_sent_but_not_the_queue(api, world):
    user = world.patient_parent
    services.notify(recipient=user, kind="appointment_reminder", params=PARAMS, key="k8")
    services.notify(
        recipient=user,
        kind="appointment_reminder",
        params=PARAMS,
        key="k9",
        send_at=timezone.now() + timedelta(days=1),
    )
    api.as_user(user)
    inbox = api.get("/notifications", {"scope": "inbox"}).json()
    assert len(inbox) == 1 and inbox[0]["title"] == "预约提醒"
    assert {n["channel"] for n in api.get("/notifications", {"scope": "sent"}).json()} == {"sms"}
    assert len(api.get("/notifications", {"scope": "all"}).json()) == 2  # not the planned ones
    assert api.post(f"/notifications/{inbox[0]['id']}/read").status_code == 204
    assert api.get("/notifications", {"scope": "inbox"}).json()[0]["read_at"]
    # Someone else's message is not theirs to touch.
    other = services.notify(
        recipient=world.other_patient,
        kind="appointment_reminder",
        params=PARAMS,
        key="k10",
        channels=("inbox",),
    )[0]
    assert api.post(f"/notifications/{other.public_id}/read").status_code == 404


def test_preferences_over_the_api(api, world):
    api.as_user(world.patient_parent)
    assert api.get("/notification-preferences").json() == {
        "sms": True,
        "wechat": True,
        "marketing": True,
    }
    response = api.put(
        "/notification-preferences", {"sms": False, "wechat": True, "marketing": False}
    )
    assert response.json()["sms"] is False

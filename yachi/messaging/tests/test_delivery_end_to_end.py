"""Reminders travel the whole way: notification centre → provider → the (fake) vendor,
which checks our signatures, and back into the delivery status."""

from datetime import timedelta

import pytest
import time_machine

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification
from yachi.messaging.services import dispatch_due
from yachi.messaging.tests.conftest import REMINDER_TEMPLATE_ID

pytestmark = pytest.mark.django_db(transaction=True)
OPENID = "oYachi_patient_parent_e2e_0001"


def book_in_three_days(world):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10, days=3),
        patients=[world.parent],
    ).appointments[0]


def test_a_reminder_goes_out_by_tencent_sms_with_its_parameters(world, tencent_sms):
    start = book_in_three_days(world).start
    with time_machine.travel(start - timedelta(hours=24) + timedelta(seconds=5)):
        dispatch_due()
    sent = [m for m in tencent_sms.sent if m.template_id == "1800002"]
    assert len(sent) == 1
    assert sent[0].phone == "+86" + world.patient_parent.phone
    assert sent[0].params == ["张妈妈", "洁牙", f"{start.astimezone():%Y-%m-%d} 10:00"]
    notification = Notification.objects.get(
        kind="appointment_reminder",
        channel="sms",
        status=Status.SENT,
        scheduled_for__lte=start - timedelta(hours=24),
    )
    assert notification.provider_message_id


def test_a_throttled_sms_is_retried_later_and_sent_once(world, tencent_sms):
    start = book_in_three_days(world).start
    due = start - timedelta(hours=24) + timedelta(seconds=5)
    tencent_sms.fail_next("throttle")
    with time_machine.travel(due):
        dispatch_due()
    retrying = Notification.objects.get(
        kind="appointment_reminder", channel="sms", status=Status.RETRYING
    )
    with time_machine.travel(due + timedelta(minutes=2)):
        dispatch_due()
        dispatch_due()
    retrying.refresh_from_db()
    assert retrying.status == Status.SENT and retrying.attempts == 2
    assert len([m for m in tencent_sms.sent if m.template_id == "1800002"]) == 1


def test_a_patient_binds_wechat_logs_in_with_it_and_gets_reminders_there(api, world, wechat):
    api.as_user(world.patient_parent)
    wechat.login_code("bind-code-1", openid=OPENID)
    assert api.post("/me/wechat", {"code": "bind-code-1"}).status_code == 204
    wechat.login_code("login-code-1", openid=OPENID)
    login = api.post("/auth/wechat-login", {"code": "login-code-1"}, headers={"Authorization": ""})
    assert login.status_code == 200 and login.json()["user"]["phone"] == world.patient_parent.phone

    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID)
    start = book_in_three_days(world).start
    with time_machine.travel(start - timedelta(hours=24) + timedelta(seconds=5)):
        dispatch_due()
    assert [m.values["name4"] for m in wechat.sent] == ["张妈妈"]
    assert (
        Notification.objects.filter(
            kind="appointment_reminder", channel="wechat", status=Status.SENT
        ).count()
        == 1
    )


def test_an_unbound_wechat_cannot_log_in(api, world, wechat):
    wechat.login_code("stranger-code", openid="oStranger")
    response = api.post("/auth/wechat-login", {"code": "stranger-code"})
    assert response.status_code == 404
    assert response.json()["code"] == "wechat_not_bound"


def test_a_wechat_login_carries_an_invitation_and_the_devices_fingerprint(api, world, wechat):
    from yachi.growth.facade import invite_code_for
    from yachi.growth.models import DeviceSighting, Referral

    api.as_user(world.patient_parent)
    wechat.login_code("bind-code-2", openid=OPENID)
    assert api.post("/me/wechat", {"code": "bind-code-2"}).status_code == 204
    wechat.login_code("login-code-2", openid=OPENID)
    login = api.post(
        "/auth/wechat-login",
        {
            "code": "login-code-2",
            "invite_code": invite_code_for(world.other_patient),
            "device": {"install_id": "mini-program-1", "model": "iPhone15,2"},
        },
        headers={"Authorization": ""},
    )
    assert login.status_code == 200
    # The account existed before: it is not a new patient for the inviter.
    assert login.json()["invite"]["status"] == "refused"
    assert login.json()["invite"]["code"] == "invite_already_patient"
    assert Referral.objects.filter(invitee=world.patient_parent, status="refused_existing").exists()
    sighting = DeviceSighting.objects.filter(user=world.patient_parent).latest("created_at")
    assert sighting.kind == "login" and sighting.device_hash
    bad = api.post("/auth/wechat-login", {"code": "x", "invite_code": "A" * 40})
    assert bad.status_code == 422 and bad.json()["code"]

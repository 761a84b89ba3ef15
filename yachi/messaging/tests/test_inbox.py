"""What a patient sees of their messages: what reached them, never the send queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.messaging import services
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

PARAMS = {
    "patient": "张妈妈",
    "service": "洁牙",
    "doctor": "王医生",
    "clinic": "静安店",
    "time": "2026-12-01 10:00",
}


def a_message_of_every_status(user):
    """One SMS per status; the inbox copy of the first is the only one in the app."""
    made = {}
    for number, status in enumerate(Status.values):
        [sms] = services.notify(
            recipient=user,
            kind="appointment_reminder",
            params={**PARAMS, "service": f"服务{number}"},
            key=f"every-status-{number}",
            send_at=timezone.now() + timedelta(days=1),
            channels=("sms",),
        )
        Notification.objects.filter(pk=sms.pk).update(status=status)
        made[status] = f"服务{number}"
    return made


def test_the_sent_tab_shows_only_what_was_sent(client, world):
    user = world.patient_parent
    made = a_message_of_every_status(user)
    client.force_login(user)

    page = client.get("/notifications/?scope=sent").content.decode()

    assert made[Status.SENT] in page
    for status, service in made.items():
        if status != Status.SENT:
            assert service not in page, status
    # The queue's words never reach the patient.
    for word in ("待发送", "将重试", "发送中", "未发送", "发送失败"):
        assert word not in page


def test_patients_never_see_the_send_queue(client, api, world):
    user = world.patient_parent
    made = a_message_of_every_status(user)
    client.force_login(user)

    page = client.get("/notifications/").content.decode()
    assert "?scope=scheduled" not in page
    queue = client.get("/notifications/?scope=scheduled").content.decode()
    assert made[Status.SCHEDULED] not in queue and made[Status.RETRYING] not in queue

    api.as_user(user)
    everything = api.get("/notifications", {"scope": "all"}).json()
    assert {n["status"] for n in everything} == {"sent"}
    assert api.get("/notifications", {"scope": "sent"}).json()[0]["text"].count(made[Status.SENT])
    assert api.get("/notifications", {"scope": "scheduled"}).status_code == 422

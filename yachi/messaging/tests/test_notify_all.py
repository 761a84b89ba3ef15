"""Several messages to one person asked for together (a booking's confirmation and
reminders): each as ``notify`` would ask for it alone, in one INSERT, never twice."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yachi.messaging import services
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification, ShortLink

pytestmark = pytest.mark.django_db

PARAMS = {
    "patient": "张妈妈",
    "service": "洁牙",
    "doctor": "王医生",
    "clinic": "静安店",
    "time": "2026-12-01 10:00",
    "link": "http://testserver/a/token/",
}


def _three(visit):
    return [
        services.Message(kind="appointment_booked", params=PARAMS, key="b", happens_at=visit),
        services.Message(
            kind="appointment_reminder",
            params=PARAMS,
            key="r24",
            send_at=visit - timedelta(hours=24),
            happens_at=visit,
        ),
        services.Message(
            kind="appointment_reminder",
            params=PARAMS,
            key="r2",
            send_at=visit - timedelta(hours=2),
            happens_at=visit,
        ),
    ]


def test_a_visits_messages_are_written_in_one_insert_with_one_short_link(world, settings):
    settings.YACHI_PUBLIC_URL = "http://testserver"
    visit = timezone.now() + timedelta(days=3)
    with CaptureQueriesContext(connection) as queries:
        created = services.notify_all(recipient=world.patient_parent, messages=_three(visit))
    inserts = [q["sql"] for q in queries.captured_queries if "messaging_notification" in q["sql"]]
    assert len(inserts) == 1
    assert {(n.idempotency_key, n.channel) for n in created} == {
        (key, channel) for key in ("b", "r24", "r2") for channel in ("sms", "inbox")
    }
    stored = Notification.objects.filter(recipient=world.patient_parent)
    assert sorted(stored.values_list("pk", flat=True)) == sorted(n.pk for n in created)
    assert ShortLink.objects.count() == 1
    assert {n.params["link"] for n in stored} == {created[0].params["link"]}
    assert all(n.status == Status.SCHEDULED for n in stored if n.idempotency_key != "b")


def test_asking_again_writes_only_what_is_new(world):
    visit = timezone.now() + timedelta(days=3)
    services.notify_all(recipient=world.patient_parent, messages=_three(visit)[:1])
    again = services.notify_all(recipient=world.patient_parent, messages=_three(visit))
    assert {n.idempotency_key for n in again} == {"r24", "r2"}
    assert Notification.objects.filter(idempotency_key="b").count() == 2  # SMS and inbox
    assert services.notify_all(recipient=world.patient_parent, messages=_three(visit)) == []
    assert Notification.objects.count() == 6

"""A clinic message unread for 10 minutes: one SMS or WeChat nudge, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.messaging.chat import nudges, services
from yachi.messaging.chat.models import ChatMessage
from yachi.messaging.models import Notification

pytestmark = pytest.mark.django_db


def _age(message, minutes):
    ChatMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_an_unread_answer_brings_one_nudge_after_ten_minutes(world, chat):
    answer = services.message_send(actor=world.clinic_a_front_desk, conversation=chat, text="您好")
    _age(answer, 9)
    assert nudges.nudge_unread() == 0
    _age(answer, 11)
    assert nudges.nudge_unread() == 1
    assert nudges.nudge_unread() == 0  # the job again: nothing more
    sent = Notification.objects.filter(kind="chat_unread", recipient=world.patient_parent)
    assert set(sent.values_list("channel", flat=True)) == {"sms"}
    assert "静安店" in sent.get().params["clinic"]
    # More answers while the patient still has not read: no second nudge.
    later = services.message_send(actor=world.clinic_a_front_desk, conversation=chat, text="还在吗")
    _age(later, 30)
    assert nudges.nudge_unread() == 0
    # Read, then a new answer left unread: a new nudge.
    services.conversation_read(actor=world.patient_parent, conversation=chat)
    third = services.message_send(actor=world.clinic_a_front_desk, conversation=chat, text="明天见")
    _age(third, 15)
    assert nudges.nudge_unread() == 1
    assert sent.count() == 2


def test_nothing_is_sent_for_what_was_read_or_the_patients_own_words(world, chat):
    mine = services.message_send(actor=world.patient_parent, conversation=chat, text="谢谢")
    answer = services.message_send(
        actor=world.clinic_a_front_desk, conversation=chat, text="不客气"
    )
    services.conversation_read(actor=world.patient_parent, conversation=chat)
    _age(mine, 20)
    _age(answer, 20)
    assert nudges.nudge_unread() == 0
    assert not Notification.objects.filter(kind="chat_unread").exists()


def test_a_nudge_in_quiet_hours_waits_for_the_morning(world, chat, quiet_hours):
    from datetime import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    answer = services.message_send(actor=world.clinic_a_front_desk, conversation=chat, text="您好")
    night = datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=23, minute=0) + timedelta(days=1)
    ChatMessage.objects.filter(pk=answer.pk).update(created_at=night - timedelta(minutes=15))
    with mock.patch("django.utils.timezone.now", return_value=night):
        assert nudges.nudge_unread(now=night) == 1
    nudge = Notification.objects.get(kind="chat_unread")
    assert timezone.localtime(nudge.scheduled_for).hour == 8

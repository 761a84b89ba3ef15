"""No phone buzzes between 21:00 and 08:00 (clinic time) for what can wait.

Reminders of a visit move to the last allowed time before (21:00 the evening before),
or are dropped when that is already too early; promotions and other messages wait for
08:00; emergencies and changes to a visit the same day pass. The in-app inbox makes no
sound, so its copy keeps its time.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yachi.messaging import services
from yachi.messaging.choices import Channel, Status
from yachi.messaging.models import Notification
from yachi.messaging.providers.local import MemoryProvider

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("quiet_hours")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
PARAMS = {"patient": "张妈妈", "service": "洁牙", "doctor": "王医生", "clinic": "静安店"}


def at(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def planned(made):
    return {n.channel: n.scheduled_for for n in made}


def test_a_reminder_due_in_quiet_hours_moves_to_the_evening_before(world):
    with time_machine.travel(at(1, 12), tick=False):
        made = services.notify(
            recipient=world.patient_parent,
            kind="appointment_reminder",
            params=PARAMS,
            key="r-0700",
            send_at=at(3, 7),  # 2 hours before a 09:00 visit
            happens_at=at(3, 9),
        )
    assert planned(made) == {Channel.SMS: at(2, 21), Channel.INBOX: at(3, 7)}


def test_a_reminder_whose_evening_before_has_passed_is_dropped(world):
    with time_machine.travel(at(2, 22, 30), tick=False):
        made = services.notify(
            recipient=world.patient_parent,
            kind="appointment_reminder",
            params=PARAMS,
            key="r-late",
            send_at=at(3, 7),
            happens_at=at(3, 9),
        )
    assert planned(made) == {Channel.INBOX: at(3, 7)}
    assert MemoryProvider.outbox == []


def test_a_reminder_moved_before_the_previous_one_is_dropped(world):
    with time_machine.travel(at(1, 12), tick=False):
        made = services.notify(
            recipient=world.patient_parent,
            kind="appointment_reminder",
            params=PARAMS,
            key="r-early",
            send_at=at(3, 6),  # a 08:00 visit's 2-hour reminder
            happens_at=at(3, 8),
            not_before=at(2, 21, 30),  # its 24-hour reminder is later than 21:00
        )
    assert planned(made) == {Channel.INBOX: at(3, 6)}


def test_reminders_are_not_sent_in_quiet_hours(world):
    with time_machine.travel(at(1, 22, 30), tick=False):
        made = services.notify(
            recipient=world.patient_parent,
            kind="child_milestone",
            params={"child": "张小宝", "milestone": "六龄齿窝沟封闭"},
            key="milestone-night",
        )
        assert MemoryProvider.outbox == []
    assert planned(made)[Channel.SMS] == at(2, 8)


def test_a_service_message_waits_for_the_morning(world):
    with time_machine.travel(at(1, 23), tick=False):
        made = services.notify(
            recipient=world.patient_parent,
            kind="appointment_booked",
            params=PARAMS,
            key="booked-night",
            happens_at=at(5, 10),
        )
        assert MemoryProvider.outbox == []
    assert planned(made)[Channel.SMS] == at(2, 8)
    assert Notification.objects.get(channel=Channel.INBOX).status == Status.SENT


def test_a_change_to_a_visit_the_same_day_passes(world):
    with time_machine.travel(at(1, 6, 30), tick=False):
        services.notify(
            recipient=world.patient_parent,
            kind="appointment_moved",
            params=PARAMS,
            key="moved-today",
            happens_at=at(1, 9),
        )
    with time_machine.travel(at(1, 23), tick=False):
        # Waiting for 08:00 would leave too little notice for a visit at 09:30.
        services.notify(
            recipient=world.patient_parent,
            kind="appointment_cancelled_by_clinic",
            params=PARAMS,
            key="cancelled-early-tomorrow",
            happens_at=at(2, 9, 30),
        )
    assert [m.template for m in MemoryProvider.outbox] == [
        "appointment_moved",
        "appointment_cancelled_by_clinic",
    ]


def test_an_emergency_passes_at_any_hour(world):
    with time_machine.travel(at(1, 3), tick=False):
        services.notify(
            recipient=world.patient_parent,
            kind="emergency_unavailable",
            params={"clinic": "静安店", "phone": "021-1234"},
            key="emergency-night",
        )
    assert [m.template for m in MemoryProvider.outbox] == ["emergency_unavailable"]

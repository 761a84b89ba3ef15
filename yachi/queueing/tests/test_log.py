"""The clinic's log: numbered in commit order in the database; with Redis a stream in
front that is believed only when it continues exactly where the reader stopped."""

import pytest
from django.conf import settings

from yachi.queueing import log
from yachi.queueing.models import QueueEvent
from yachi.queueing.tests.test_services import _desk_queue

pytestmark = pytest.mark.django_db


def test_events_after_a_number_come_in_order_from_the_database(world):
    tickets, _now = _desk_queue(world, count=3)
    everything = log.events_after(world.clinic_a.pk, 0)
    assert [e["seq"] for e in everything] == [1, 2, 3]
    assert [e["seq"] for e in log.events_after(world.clinic_a.pk, 1)] == [2, 3]
    assert log.events_after(world.clinic_a.pk, 3) == []
    assert log.events_after(world.clinic_b.pk, 0) == []
    assert log.last_seq(world.clinic_a.pk) == 3
    matching = log.events_matching(
        world.clinic_a.pk, 0, lambda e: e["ticket"]["id"] == str(tickets[1].public_id)
    )
    assert [e["seq"] for e in matching] == [2]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.REDIS_URL, reason="the stream is the scale-out deployment's")
def test_the_stream_serves_reads_and_a_gap_sends_the_reader_to_the_database(world):
    client = log._redis()
    key = log.stream_key(world.clinic_a.pk)
    client.delete(key)
    _desk_queue(world, count=3)  # committed: each event mirrored after its commit
    assert client.xlen(key) == 3
    assert [e["seq"] for e in log._from_stream(world.clinic_a.pk, 0, 200)] == [1, 2, 3]
    # An event the stream never got (its XADD lost): the stream is not believed past it.
    QueueEvent.objects.filter(clinic=world.clinic_a, seq=2).update(body={"seq": 2, "type": "x"})
    client.xdel(key, "2-1")
    assert log._from_stream(world.clinic_a.pk, 1, 200) is None
    assert [e["seq"] for e in log.events_after(world.clinic_a.pk, 1)] == [2, 3]
    # A later number added first: the earlier one is refused, the stream starts again.
    client.delete(key)
    log._mirror(world.clinic_a.pk, {"seq": 5, "type": "called"})
    log._mirror(world.clinic_a.pk, {"seq": 4, "type": "called"})
    assert client.exists(key) == 0
    # A stream that stops before where the reader is cannot say there is nothing newer.
    log._mirror(world.clinic_a.pk, {"seq": 6, "type": "called"})
    assert log._from_stream(world.clinic_a.pk, 7, 200) is None
    assert log._from_stream(world.clinic_a.pk, 6, 200) == []
    client.delete(key)

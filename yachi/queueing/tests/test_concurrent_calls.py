"""Calling is atomic and strictly ordered, proven with real threads over HTTP.

Twenty-four patients wait in one doctor's queue; twenty staff requests press "call
next" at the same instant, each from its own thread and connection, against a live
server (PostgreSQL in the PostgreSQL run of the suite). The twenty called are exactly
the first twenty of the line, each once, and the clinic's log numbers their calls in the
order of the line — the order the calls committed.
"""

import threading
from datetime import timedelta

import httpx
from django.utils import timezone

from tests.factories import staff_member
from yachi.accounts.services import token_issue
from yachi.queueing import selectors, services
from yachi.queueing.models import QueueEvent, Ticket

WAITING = 24
CALLERS = 20


def test_twenty_simultaneous_calls_take_the_first_twenty_in_order_each_once(live_server, world):
    now = timezone.now()
    tickets = [
        services.walk_in(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            phone=f"1391000{i:04d}",
            service=world.cleaning_a,
            doctor=world.clinic_a_doctor,
            now=now + timedelta(seconds=i),
        )
        for i in range(WAITING)
    ]
    queue = tickets[0].queue
    expected = [p.ticket.public_id for p in selectors.line(queue)][:CALLERS]
    callers = [world.clinic_a_front_desk, world.clinic_a_manager, world.clinic_a_doctor.user]
    callers += [staff_member(world.clinic_a) for _ in range(CALLERS - len(callers))]
    tokens = [token_issue(user=user, label="test") for user in callers]

    barrier = threading.Barrier(CALLERS)
    results = [None] * CALLERS

    def press(index):
        with httpx.Client(base_url=live_server.url, timeout=120) as client:
            barrier.wait()
            for _attempt in range(5):
                answer = client.post(
                    f"/api/v1/queues/{queue.public_id}/call-next",
                    headers={"Authorization": f"Bearer {tokens[index]}"},
                )
                # 503: the server had no database connection free for the request in time
                # (a crowded machine), so nothing was done; the client tries again, as
                # Retry-After tells it to. Anything else is the call's answer.
                if answer.status_code != 503:
                    break
            results[index] = (answer.status_code, answer.json())

    threads = [threading.Thread(target=press, args=(i,)) for i in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(status == 200 for status, _ in results), results
    called_ids = [body["id"] for _, body in results]
    assert len(set(called_ids)) == CALLERS  # nobody called twice
    assert set(called_ids) == {str(public_id) for public_id in expected}  # nobody skipped
    # The log numbers the calls in the order they committed: the order of the line.
    calls = list(
        QueueEvent.objects.filter(queue=queue, type="called")
        .order_by("seq")
        .values_list("body__ticket__id", flat=True)
    )
    assert calls == [str(public_id) for public_id in expected]
    seqs = list(
        QueueEvent.objects.filter(clinic=world.clinic_a)
        .order_by("pk")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, WAITING + CALLERS + 1))
    assert Ticket.objects.filter(queue=queue, status="called", call_count=1).count() == CALLERS
    assert Ticket.objects.filter(queue=queue, status="waiting").count() == WAITING - CALLERS

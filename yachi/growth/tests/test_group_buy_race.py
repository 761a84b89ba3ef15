"""Twenty people join the last place of a group at the same instant (real threads, each
with its own connection, as many at once as the pool gives): one gets it, nineteen are told the group is full, nobody else
is asked to pay, and the group never holds more members than its size.

Meaningful on PostgreSQL (the PostgreSQL pass of the suite), where the threads really
overlap on the group's row; on SQLite, IMMEDIATE transactions queue them and the same
answers must come out.
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from tests import factories as f
from yachi.core.errors import DomainError
from yachi.growth.groupbuys import services
from yachi.growth.groupbuys.choices import HOLDING
from yachi.growth.groupbuys.models import Group, GroupMember
from yachi.growth.tests.test_group_buys import campaign_of, opened
from yachi.payments.models import PaymentIntent

pytestmark = pytest.mark.django_db(transaction=True)

JOINERS = 20


def test_twenty_concurrent_joins_on_the_last_place_seat_exactly_one(world):
    service = f.ServiceFactory(clinic=world.clinic_a, code="implant", name="种植牙")
    campaign = campaign_of(world, service, size=3)
    group = opened(world, campaign)
    first = f.patient_user("13700000099", name="先到")
    services.group_join(user=first, group=group)  # two places held: one left
    people = [f.patient_user(f"137000001{i:02d}", name=f"抢{i}") for i in range(JOINERS)]
    # Each thread its own copy of the group, read here: a thread touches the database
    # only after the barrier, so none holds one of the pool's connections while waiting.
    targets = [Group.objects.select_related("campaign__clinic").get(pk=group.pk) for _ in people]
    barrier = threading.Barrier(JOINERS, timeout=60)
    outcomes = [None] * JOINERS

    def join(index):
        try:
            barrier.wait()
            try:
                services.group_join(user=people[index], group=targets[index])
                outcomes[index] = "joined"
            except DomainError as exc:
                outcomes[index] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(i,)) for i in range(JOINERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(outcomes) == {"joined": 1, "group_full": JOINERS - 1}
    group.refresh_from_db()
    assert group.seats_taken == group.size == 3
    assert GroupMember.objects.filter(group=group, status__in=HOLDING).count() == 3
    # Only the one who got the place was asked to pay.
    winner = people[outcomes.index("joined")]
    asked = set(
        PaymentIntent.objects.filter(reference__startswith="growth.group_member:").values_list(
            "payer_id", flat=True
        )
    )
    assert asked == {world.patient_parent.pk, first.pk, winner.pk}

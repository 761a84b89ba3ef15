"""Reach counted by HyperLogLog in Redis agrees with the referral table."""

import math
import uuid

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from yachi.accounts.models import User
from yachi.core.roles import Role
from yachi.growth.models import InviteCode, Referral
from yachi.growth.referrals import stats
from yachi.growth.referrals.choices import ReferralStatus
from yachi.growth.tests.referral_helpers import campaign

pytestmark = pytest.mark.django_db

INVITEES = 10_000
# HyperLogLog's standard error with Redis's 16384 registers: 1.04 / sqrt(2**14) ≈ 0.81 %.
STANDARD_ERROR = 1.04 / math.sqrt(2**14)


@pytest.fixture
def own_prefix(settings):
    if not django_settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    settings.YACHI_REDIS_PREFIX = f"test-reach-{uuid.uuid4().hex[:8]}"
    yield settings.YACHI_REDIS_PREFIX
    client = stats._client()
    for key in client.scan_iter(f"{settings.YACHI_REDIS_PREFIX}:*"):
        client.delete(key)


def _bulk_graph(world, running):
    """Ten inviters under the world's parent, each bringing a thousand people: the table
    written in bulk, as the demo writes it."""
    now = timezone.now()
    top = world.patient_parent
    inviters = User.objects.bulk_create(
        [User(phone=f"1360000{i:04d}", name="", role=Role.PATIENT) for i in range(10)]
    )
    people = User.objects.bulk_create(
        [User(phone=f"137{i:08d}", name="", role=Role.PATIENT) for i in range(INVITEES)]
    )
    codes = InviteCode.objects.bulk_create(
        [
            InviteCode(owner=u, code=f"R{n:07d}", expires_at=now)
            for n, u in enumerate([top, *inviters])
        ]
    )
    rows = [
        Referral(
            inviter=top, invitee=u, code=codes[0], campaign=running, status=ReferralStatus.QUALIFIED
        )
        for u in inviters
    ]
    rows += [
        Referral(
            inviter=inviters[n % 10],
            invitee=u,
            code=codes[1 + n % 10],
            campaign=running,
            status=ReferralStatus.PENDING,
        )
        for n, u in enumerate(people)
    ]
    Referral.objects.bulk_create(rows, batch_size=2000)
    return top, inviters


def test_hyperloglog_agrees_with_the_table_on_ten_thousand_invitees(world, own_prefix):
    running = campaign()
    top, inviters = _bulk_graph(world, running)
    assert stats.reach_rebuild() == INVITEES + 10

    exact = stats.reach_of_inviter(top.pk, exact=True)
    counted = stats.reach_of_inviter(top.pk)
    assert exact == stats.Reach(first_level=10, second_level=INVITEES)
    assert counted.first_level == 10  # small sets are exact in Redis's sparse encoding
    assert abs(counted.second_level - INVITEES) <= 3 * STANDARD_ERROR * INVITEES

    campaign_exact = stats.reach_of_campaign(running.pk, exact=True)
    campaign_counted = stats.reach_of_campaign(running.pk)
    assert campaign_exact == stats.Reach(first_level=INVITEES + 10, second_level=INVITEES)
    for level in ("first_level", "second_level"):
        true, estimate = getattr(campaign_exact, level), getattr(campaign_counted, level)
        assert abs(estimate - true) <= 3 * STANDARD_ERROR * true, (level, estimate, true)
    one = stats.reach_of_inviter(inviters[0].pk)
    assert abs(one.first_level - 1000) <= 3 * STANDARD_ERROR * 1000

    # Counted again, nobody is counted twice.
    stats.reach_rebuild()
    assert stats.reach_of_inviter(top.pk) == counted


def test_without_redis_the_table_answers(world, settings):
    settings.REDIS_URL = ""
    running = campaign()
    assert stats.reach_of_campaign(running.pk) == stats.Reach(0, 0)
    assert not stats.enabled() and stats.reach_rebuild() == 0


def test_each_new_referral_is_counted_in_redis_as_it_commits(
    world, own_prefix, django_capture_on_commit_callbacks
):
    from yachi.growth.tests.referral_helpers import sign_up

    running = campaign()
    with django_capture_on_commit_callbacks(execute=True):
        friend, _ = sign_up(inviter=world.patient_parent)
        sign_up(inviter=friend)
    assert stats.reach_of_inviter(world.patient_parent.pk) == stats.Reach(1, 1)
    assert stats.reach_of_campaign(running.pk) == stats.Reach(2, 1)
    keys = list(stats._client().scan_iter(f"{own_prefix}:growth:reach:*"))
    assert keys and all(key.decode().startswith(f"{own_prefix}:") for key in keys)

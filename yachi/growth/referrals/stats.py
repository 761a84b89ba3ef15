"""Reach: how many different people an inviter (or a campaign) brought, at the first
level (their invitees) and the second (their invitees' invitees).

With Redis (``REDIS_URL``) the counts are HyperLogLogs — ``PFADD`` when a referral
becomes valid, ``PFCOUNT`` to read, 12 KB per key whatever the reach, a standard error
of 0.81 % — under the deployment's prefix (``YACHI_REDIS_PREFIX``). Without Redis, or
when Redis does not answer, they are counted from the referral table, which stays the
record: ``reach_rebuild`` writes the HyperLogLogs again from it (after a Redis was
emptied, or for rows written in bulk)."""

import logging
from dataclasses import dataclass

import redis
from django.conf import settings

from yachi.growth.referrals.choices import VALID_STATUSES
from yachi.growth.referrals.models import Referral

logger = logging.getLogger(__name__)
BATCH = 5000

_clients: dict[str, redis.Redis] = {}


@dataclass(frozen=True)
class Reach:
    first_level: int
    second_level: int


def enabled() -> bool:
    return bool(settings.REDIS_URL)


def _client() -> redis.Redis:
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[url]


def _key(scope: str, level: int) -> str:
    return f"{settings.YACHI_REDIS_PREFIX}:growth:reach:{scope}:l{level}"


def inviter_keys(user_id: int) -> tuple[str, str]:
    return _key(f"inviter:{user_id}", 1), _key(f"inviter:{user_id}", 2)


def campaign_keys(campaign_id: int) -> tuple[str, str]:
    return _key(f"campaign:{campaign_id}", 1), _key(f"campaign:{campaign_id}", 2)


def _valid():
    return Referral.objects.filter(status__in=VALID_STATUSES)


def _additions(rows) -> dict[str, list[int]]:
    """The HyperLogLog members each (inviter, invitee, campaign, upline) row adds."""
    members: dict[str, list[int]] = {}
    for inviter_id, invitee_id, campaign_id, upline_id in rows:
        targets = [inviter_keys(inviter_id)[0]]
        if upline_id is not None:
            targets.append(inviter_keys(upline_id)[1])
        if campaign_id is not None:
            first, second = campaign_keys(campaign_id)
            targets.append(first)
            if upline_id is not None:
                targets.append(second)
        for key in targets:
            members.setdefault(key, []).append(invitee_id)
    return members


def _rows(queryset):
    """Each valid referral with its inviter's own inviter (the second level's), in one
    read of the table joined to itself."""
    uplines = dict(
        _valid()
        .filter(invitee_id__in=queryset.values("inviter_id"))
        .values_list("invitee_id", "inviter_id")
    )
    for inviter_id, invitee_id, campaign_id in queryset.values_list(
        "inviter_id", "invitee_id", "campaign_id"
    ).iterator(chunk_size=BATCH):
        yield inviter_id, invitee_id, campaign_id, uplines.get(inviter_id)


def _pfadd(members: dict[str, list[int]]) -> None:
    pipe = _client().pipeline(transaction=False)
    for key, values in members.items():
        for start in range(0, len(values), BATCH):
            pipe.pfadd(key, *values[start : start + BATCH])
    pipe.execute()


def reach_add(*, referral_id: int) -> None:
    """After a referral became valid: count its invitee for the inviter (first level),
    the inviter's inviter (second) and the campaign."""
    if not enabled():
        return
    try:
        _pfadd(_additions(_rows(_valid().filter(pk=referral_id))))
    except redis.RedisError:
        logger.warning("reach not counted in Redis for referral %s", referral_id, exc_info=True)


def reach_rebuild() -> int:
    """Write every valid referral into the HyperLogLogs again; returns how many."""
    if not enabled():
        return 0
    count = 0
    batch: list = []
    for row in _rows(_valid()):
        batch.append(row)
        if len(batch) >= BATCH:
            _pfadd(_additions(batch))
            count += len(batch)
            batch = []
    if batch:
        _pfadd(_additions(batch))
        count += len(batch)
    return count


def _counted(keys: tuple[str, str]) -> Reach | None:
    if not enabled():
        return None
    try:
        pipe = _client().pipeline(transaction=False)
        for key in keys:
            pipe.pfcount(key)
        first, second = pipe.execute()
    except redis.RedisError:
        logger.warning("reach read from the table: Redis did not answer", exc_info=True)
        return None
    return Reach(first_level=int(first), second_level=int(second))


def reach_of_inviter(user_id: int, *, exact: bool = False) -> Reach:
    """Unique invitees of ``user_id`` at both levels (``exact``: from the table)."""
    counted = None if exact else _counted(inviter_keys(user_id))
    if counted is not None:
        return counted
    first = _valid().filter(inviter_id=user_id)
    return Reach(
        first_level=first.values("invitee_id").distinct().count(),
        second_level=_valid()
        .filter(inviter_id__in=first.values("invitee_id"))
        .values("invitee_id")
        .distinct()
        .count(),
    )


def reach_of_campaign(campaign_id: int, *, exact: bool = False) -> Reach:
    """Unique invitees a campaign brought: all of them (first level) and those invited
    by someone who was invited themselves (second level)."""
    counted = None if exact else _counted(campaign_keys(campaign_id))
    if counted is not None:
        return counted
    referrals = _valid().filter(campaign_id=campaign_id)
    return Reach(
        first_level=referrals.values("invitee_id").distinct().count(),
        second_level=referrals.filter(inviter_id__in=_valid().values("invitee_id"))
        .values("invitee_id")
        .distinct()
        .count(),
    )

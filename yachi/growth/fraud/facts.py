"""What the rules read, gathered from the device sightings, the referral graph and the
reviews already made; the rules themselves are in ``rules`` (pure)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from yachi.growth.fraud import rules
from yachi.growth.fraud.choices import SightingKind
from yachi.growth.fraud.models import DeviceSighting, RiskReview
from yachi.growth.referrals.models import Referral

# How far the ring rule walks the graph from the people concerned.
RING_DEPTH = 6
ADDRESS_WINDOW = timedelta(days=1)


def limits() -> rules.Limits:
    return rules.Limits(hold_score=settings.YACHI_FRAUD_HOLD_SCORE)


def assess_reward(
    *, beneficiary, subject, check_ins: tuple, now: datetime, limits: rules.Limits
) -> rules.Assessment:
    subject_seen = list(
        DeviceSighting.objects.filter(user=subject).values_list("device_hash", "ip_hash")
    )
    devices = {device for device, _ip in subject_seen if device}
    addresses = {ip for _device, ip in subject_seen if ip}
    findings = [
        rules.many_accounts_on_device(_accounts_on_devices(devices), limits),
        rules.many_accounts_on_address(_accounts_on_addresses(addresses, now), limits),
        rules.sign_up_burst(_sign_ups_near(subject, limits), limits),
        rules.virtual_operator_number(subject.phone),
        rules.referral_ring(_edges_around({beneficiary.pk, subject.pk}), [beneficiary.pk]),
        rules.implausible_check_ins(check_ins, limits) if check_ins else None,
        rules.reward_velocity([*_claims_of(beneficiary, now), now], now, limits),
    ]
    if beneficiary.pk != subject.pk:
        beneficiary_seen = list(
            DeviceSighting.objects.filter(user=beneficiary).values_list("device_hash", "ip_hash")
        )
        findings.append(
            rules.self_referral(
                inviter_devices={d for d, _ in beneficiary_seen if d},
                invitee_devices=devices,
                inviter_addresses={ip for _, ip in beneficiary_seen if ip},
                invitee_addresses=addresses,
            )
        )
        if beneficiary.phone != subject.phone:
            findings.append(rules.virtual_operator_number(beneficiary.phone))
    return rules.assess(_one_per_rule(findings), limits)


def _one_per_rule(findings):
    """A rule counts once (the beneficiary's and the subject's numbers both virtual are
    one reason, at the higher score)."""
    best: dict[str, rules.Finding] = {}
    for finding in findings:
        if finding is not None and (
            finding.rule not in best or finding.score > best[finding.rule].score
        ):
            best[finding.rule] = finding
    return list(best.values())


def _accounts_on_devices(devices: set[str]) -> int:
    if not devices:
        return 0
    return (
        DeviceSighting.objects.filter(device_hash__in=devices).values("user_id").distinct().count()
    )


def _accounts_on_addresses(addresses: set[str], now: datetime) -> int:
    if not addresses:
        return 0
    return (
        DeviceSighting.objects.filter(
            ip_hash__in=addresses, created_at__gte=now - ADDRESS_WINDOW, created_at__lte=now
        )
        .values("user_id")
        .distinct()
        .count()
    )


def _sign_ups_near(subject, limits: rules.Limits) -> list[datetime]:
    """The sign-ups from the subject's sign-up address within the burst window of it."""
    sign_up = (
        DeviceSighting.objects.filter(user=subject, kind=SightingKind.SIGN_UP)
        .order_by("created_at")
        .first()
    )
    if sign_up is None or not sign_up.ip_hash:
        return []
    window = limits.burst_window
    return list(
        DeviceSighting.objects.filter(
            kind=SightingKind.SIGN_UP,
            ip_hash=sign_up.ip_hash,
            created_at__gte=sign_up.created_at - window,
            created_at__lte=sign_up.created_at + window,
        ).values_list("created_at", flat=True)
    )


def _edges_around(people: set[int]) -> list[tuple[int, int]]:
    """The graph's edges (refused attempts included) within ``RING_DEPTH`` steps."""
    edges: set[tuple[int, int]] = set()
    seen = set(people)
    frontier = set(people)
    for _step in range(RING_DEPTH):
        if not frontier:
            break
        found = set(
            Referral.objects.filter(
                Q(inviter_id__in=frontier) | Q(invitee_id__in=frontier)
            ).values_list("inviter_id", "invitee_id")
        )
        edges |= found
        reached = {person for edge in found for person in edge}
        frontier = reached - seen
        seen |= reached
    return sorted(edges)


def _claims_of(beneficiary, now: datetime) -> list[datetime]:
    return list(
        RiskReview.objects.filter(
            beneficiary=beneficiary, created_at__gte=now - timedelta(days=1)
        ).values_list("created_at", flat=True)
    )

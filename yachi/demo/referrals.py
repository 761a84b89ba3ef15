"""Referrals (老带新) among the demo patients: a running campaign, chains of two levels
(some friends came for their first paid visit, some not yet), a refused attempt, and a
small device farm whose rewards wait in the console's fraud review queue.

The graph is written as rows with their own times (the invitations happened over the
past weeks); the first visits go through the real service, so that rewards are screened
and paid through the points ledger, or held, exactly as in use."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from yachi.accounts.models import User
from yachi.compliance.facade import blind_index
from yachi.core.roles import Role
from yachi.demo.writing import bulk
from yachi.growth.fraud.choices import SightingKind
from yachi.growth.models import DeviceSighting, Referral, ReferralCampaign
from yachi.growth.referrals import stats
from yachi.growth.referrals.choices import ReferralStatus, RewardKind
from yachi.growth.referrals.services import invite_code_row, referral_visit_completed

# (inviter, invitee, days ago, came for the first paid visit), as indexes of the patients
# in the order they were registered: 0 is 13800000001.
CHAINS = [
    (0, 1, 40, True),
    (0, 2, 33, True),
    (0, 3, 9, False),
    (1, 4, 25, True),
    (1, 5, 6, False),
    (4, 6, 14, True),
]
FARMER = 7
FARM = range(10, 16)


@dataclass
class DemoReferrals:
    referrals: int
    paid: int
    held: int


def build_referrals(*, now: datetime) -> DemoReferrals:
    people = list(User.objects.filter(role=Role.PATIENT).order_by("pk")[: max(FARM) + 1])
    campaign = ReferralCampaign.objects.create(
        name="老带新 · 邀请好友得积分",
        name_en="Invite a friend, earn points",
        starts_at=now - timedelta(days=60),
        level1_kind=RewardKind.POINTS,
        level1_points=500,
        level2_kind=RewardKind.POINTS,
        level2_points=200,
    )
    if len(people) < 8:
        return DemoReferrals(0, 0, 0)
    farm = [people[i] for i in FARM if i < len(people)]
    edges = [(people[a], people[b], days, came) for a, b, days, came in CHAINS]
    edges += [(people[FARMER], person, 3, True) for person in farm]
    codes = {inviter.pk: invite_code_row(inviter, now=now) for inviter, *_ in edges}
    farm_device = blind_index("growth.device", "demo:one-rooted-phone")
    rows, sightings = [], []
    for n, (inviter, invitee, days, _came) in enumerate(edges):
        at = now - timedelta(days=days, minutes=7 * n)
        in_farm = invitee in farm
        device = farm_device if in_farm else blind_index("growth.device", f"demo:{invitee.pk}")
        address = blind_index("growth.ip", f"198.51.100.{n + 10}")
        rows.append(
            Referral(
                inviter=inviter,
                invitee=invitee,
                code=codes[inviter.pk],
                campaign=campaign,
                status=ReferralStatus.PENDING,
                device_hash=device,
                ip_hash=address,
                created_at=at,
                updated_at=at,
            )
        )
        sightings.append(
            DeviceSighting(
                user=invitee,
                kind=SightingKind.SIGN_UP,
                device_hash=device,
                ip_hash=address,
                created_at=at,
            )
        )
    # A friend who was already a patient tried a code: refused, and kept for review.
    rows.append(
        Referral(
            inviter=people[0],
            invitee=people[2],
            code=codes[people[0].pk],
            campaign=campaign,
            status=ReferralStatus.REFUSED_EXISTING,
            created_at=now - timedelta(days=2),
            updated_at=now - timedelta(days=2),
        )
    )
    bulk(Referral, rows)
    DeviceSighting.objects.bulk_create(sightings)
    for _inviter, invitee, days, came in edges:
        if came:
            referral_visit_completed(
                user=invitee,
                reference=f"demo.first-visit:{invitee.public_id}",
                at=now - timedelta(days=max(days - 2, 0)),
            )
    from yachi.growth.models import ReferralReward

    stats.reach_rebuild()
    return DemoReferrals(
        referrals=len(edges),
        paid=ReferralReward.objects.filter(status="paid").count(),
        held=ReferralReward.objects.filter(status="held").count(),
    )

"""Referrals' reads: a patient's own invitations and rewards, and the console's lists."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from yachi.growth.referrals import stats
from yachi.growth.referrals.choices import VALID_STATUSES, RewardStatus
from yachi.growth.referrals.models import InviteCode, Referral, ReferralCampaign, ReferralReward
from yachi.growth.referrals.services import campaign_running, invite_code_row, invite_link_for


@dataclass(frozen=True)
class MyReferral:
    code: str
    link: str
    expires_at: datetime
    first_level: int
    second_level: int
    campaign: ReferralCampaign | None
    paid_points: int
    paid_coupons: int
    held: int


def my_referral(*, user, now: datetime) -> MyReferral:
    """The patient's live code and link, their reach at both levels and what inviting
    earned them (paid, and waiting for review)."""
    row: InviteCode = invite_code_row(user, now=now)
    reach = stats.reach_of_inviter(user.pk)
    earned = ReferralReward.objects.filter(beneficiary=user).aggregate(
        points=Count("pk", filter=Q(status=RewardStatus.PAID, kind="points")),
        coupons=Count("pk", filter=Q(status=RewardStatus.PAID, kind="coupon")),
        held=Count("pk", filter=Q(status=RewardStatus.HELD)),
    )
    points = sum(
        ReferralReward.objects.filter(
            beneficiary=user, status=RewardStatus.PAID, kind="points"
        ).values_list("points", flat=True)
    )
    return MyReferral(
        code=row.code,
        link=invite_link_for(user, now=now),
        expires_at=row.expires_at,
        first_level=reach.first_level,
        second_level=reach.second_level,
        campaign=campaign_running(at=now),
        paid_points=points,
        paid_coupons=earned["coupons"],
        held=earned["held"],
    )


def campaigns() -> list[ReferralCampaign]:
    return list(
        ReferralCampaign.objects.select_related("level1_coupon", "level2_coupon").order_by(
            "-starts_at"
        )
    )


def campaign_counts(campaign_ids) -> dict[int, dict]:
    """Per campaign: invitees (valid referrals), those who came for a first paid visit,
    rewards held."""
    rows = (
        Referral.objects.filter(campaign_id__in=list(campaign_ids), status__in=VALID_STATUSES)
        .values("campaign_id")
        .annotate(
            invitees=Count("invitee_id", distinct=True),
            qualified=Count("pk", filter=Q(status="qualified")),
        )
    )
    held = dict(
        ReferralReward.objects.filter(
            referral__campaign_id__in=list(campaign_ids), status=RewardStatus.HELD
        )
        .values("referral__campaign_id")
        .annotate(n=Count("pk"))
        .values_list("referral__campaign_id", "n")
    )
    counts = {row["campaign_id"]: {**row, "held": held.get(row["campaign_id"], 0)} for row in rows}
    return counts

"""A referral campaign's rewards in words, for the invite page, the API and the console."""

from django.utils.translation import gettext as _

from yachi.growth.referrals.choices import RewardKind
from yachi.growth.referrals.models import ReferralCampaign
from yachi.growth.services import coupon_title


def level_reward(campaign: ReferralCampaign, level: int) -> str:
    kind = getattr(campaign, f"level{level}_kind")
    if kind == RewardKind.POINTS:
        return _("%(points)s points") % {"points": getattr(campaign, f"level{level}_points")}
    if kind == RewardKind.COUPON:
        template = getattr(campaign, f"level{level}_coupon")
        return _("a coupon: %(name)s") % {"name": coupon_title(template)}
    return _("no reward")


def rewards_text(campaign: ReferralCampaign | None) -> str:
    if campaign is None:
        return ""
    return _(
        "When a friend you invited completes their first paid visit you receive "
        "%(first)s; when a friend they invited does, you receive %(second)s."
    ) % {"first": level_reward(campaign, 1), "second": level_reward(campaign, 2)}

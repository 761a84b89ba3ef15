"""What other contexts may use of growth: coupons at checkout and the points ledger.

Shop (and later campaigns) call these, never the models. Items are plain codes;
references are strings such as ``"shop.order:<uuid>"``.
"""

import logging

from yachi.growth.activities import points_for_activity
from yachi.growth.attribution.services import conversion_record as _conversion_record
from yachi.growth.fraud.rules import implausible_check_ins
from yachi.growth.fraud.services import (
    register_reward_payer,
    reward_paid_mark,
    screen_reward,
)
from yachi.growth.groupbuys.handlers import PlaceLost as GroupBuyPlaceLost
from yachi.growth.groupbuys.handlers import link as group_buy_link
from yachi.growth.groupbuys.handlers import on_closed as group_buy_on_closed
from yachi.growth.groupbuys.handlers import on_paid as group_buy_on_paid
from yachi.growth.groupbuys.handlers import on_refunded as group_buy_on_refunded
from yachi.growth.groupbuys.ports import Payments as GroupBuyPayments
from yachi.growth.groupbuys.ports import Vouchers as GroupBuyVouchers
from yachi.growth.groupbuys.ports import (
    register_group_buy_payments,
    register_group_buy_vouchers,
)
from yachi.growth.ledger import (
    points_balance,
    points_earned_reverse,
    points_earned_take_back,
    points_for_paid_spend,
    points_needed,
    points_refund,
    points_value_fen,
)
from yachi.growth.ledger import points_earn as _points_earn
from yachi.growth.ledger import points_spend as _points_spend
from yachi.growth.pricing import QuoteLine
from yachi.growth.promotion import ContentRefused, promotion_hits, promotion_require
from yachi.growth.referrals.services import (
    invite_code_for,
    invite_link_for,
    referral_visit_completed,
)
from yachi.growth.selectors import (
    coupon_templates_offered,
    coupons_available_count,
    points_balances,
)
from yachi.growth.services import (
    Discount,
    cleaning_recall_coupon_issue,
    compensation_coupon_issue,
    coupon_hold,
    coupon_issue,
    coupon_quote,
    coupon_redeem,
    coupon_release,
    coupon_split,
    coupons_usable,
)

_logger = logging.getLogger(__name__)


def attribution_conversion(
    *, user, kind: str, reference: str, at=None, amount_fen: int = 0
) -> None:
    """A booking, completed visit or payment (``kind``: ``booking``, ``visit``,
    ``revenue``; a refund is negative revenue) for channel attribution; once per
    ``reference``, attributed to the person's first and last tracked-link touch in the
    window before ``at`` (ADR 0049). Never raises: attribution must not stand in the way
    of the booking or payment it follows."""
    try:
        _conversion_record(user=user, kind=kind, reference=reference, at=at, amount_fen=amount_fen)
    except Exception:
        _logger.exception("attribution of %s failed", reference)


def points_earn(*, user, points: int, reason: str, idempotency_key: str, reference: str = ""):
    return _points_earn(
        user=user,
        points=points,
        reason=reason,
        idempotency_key=idempotency_key,
        reference=reference,
    )


def points_spend(*, user, points: int, reason: str, idempotency_key: str, reference: str = ""):
    """Raises ``points_insufficient`` (a Conflict) when the balance is too small."""
    return _points_spend(
        user=user,
        points=points,
        reason=reason,
        idempotency_key=idempotency_key,
        reference=reference,
    )


# The managers' dashboards (CRM, ADR 0053).
from yachi.growth.reports import (  # noqa: E402
    CampaignConversion,
    CampaignRow,
    CouponIssued,
    acquisition_channels,
    campaign_conversion,
    campaign_conversions,
    coupons_issued,
)

__all__ = [
    "CampaignConversion",
    "CampaignRow",
    "ContentRefused",
    "CouponIssued",
    "Discount",
    "GroupBuyPayments",
    "GroupBuyPlaceLost",
    "GroupBuyVouchers",
    "QuoteLine",
    "acquisition_channels",
    "attribution_conversion",
    "campaign_conversion",
    "campaign_conversions",
    "cleaning_recall_coupon_issue",
    "compensation_coupon_issue",
    "coupon_hold",
    "coupon_issue",
    "coupon_quote",
    "coupon_redeem",
    "coupon_release",
    "coupon_split",
    "coupon_templates_offered",
    "coupons_available_count",
    "coupons_issued",
    "coupons_usable",
    "group_buy_link",
    "group_buy_on_closed",
    "group_buy_on_paid",
    "group_buy_on_refunded",
    "implausible_check_ins",
    "invite_code_for",
    "invite_link_for",
    "points_balance",
    "points_balances",
    "points_earn",
    "points_earned_reverse",
    "points_earned_take_back",
    "points_for_activity",
    "points_for_paid_spend",
    "points_needed",
    "points_refund",
    "points_spend",
    "points_value_fen",
    "promotion_hits",
    "promotion_require",
    "referral_visit_completed",
    "register_group_buy_payments",
    "register_group_buy_vouchers",
    "register_reward_payer",
    "reward_paid_mark",
    "screen_reward",
]

"""What other contexts may use of growth: coupons at checkout and the points ledger.

Shop (and later campaigns) call these, never the models. Items are plain codes;
references are strings such as ``"shop.order:<uuid>"``.
"""

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
from yachi.growth.selectors import coupons_available_count
from yachi.growth.services import (
    Discount,
    compensation_coupon_issue,
    coupon_hold,
    coupon_issue,
    coupon_quote,
    coupon_redeem,
    coupon_release,
    coupon_split,
    coupons_usable,
)


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


__all__ = [
    "Discount",
    "QuoteLine",
    "compensation_coupon_issue",
    "coupon_hold",
    "coupon_issue",
    "coupon_quote",
    "coupon_redeem",
    "coupon_release",
    "coupon_split",
    "coupons_available_count",
    "coupons_usable",
    "points_balance",
    "points_earn",
    "points_earned_reverse",
    "points_earned_take_back",
    "points_for_paid_spend",
    "points_needed",
    "points_refund",
    "points_spend",
    "points_value_fen",
]

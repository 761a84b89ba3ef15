from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, InvalidInput, NotFound


class CouponNotFound(NotFound):
    code = "coupon_not_found"
    default_message = _("Coupon not found.")


class CouponExpired(Conflict):
    code = "coupon_expired"
    default_message = _("This coupon has expired.")


class CouponUnavailable(Conflict):
    code = "coupon_unavailable"
    default_message = _("This coupon cannot be used now.")


class CouponNotApplicable(InvalidInput):
    code = "coupon_not_applicable"
    default_message = _("This coupon does not apply to anything in this order.")


class CouponMinSpendNotMet(InvalidInput):
    code = "coupon_min_spend_not_met"
    default_message = _("The order does not reach this coupon's minimum spend.")


class CouponTemplateNotFound(NotFound):
    code = "coupon_template_not_found"
    default_message = _("Coupon not found.")


class CouponTemplateEnded(Conflict):
    code = "coupon_template_ended"
    default_message = _("This coupon is no longer given out.")


class CouponSoldOut(Conflict):
    code = "coupon_sold_out"
    default_message = _("All of these coupons have been given out.")


class CouponLimitReached(Conflict):
    code = "coupon_limit_reached"
    default_message = _("You already have as many of these coupons as one person may.")


class PointsInsufficient(Conflict):
    code = "points_insufficient"
    default_message = _("Not enough points.")


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = _("This key was already used for a different request.")

"""Coupons in words: what a coupon gives and on what condition, for screens and the API."""

from django.utils.translation import gettext as _

from yachi.core.money import format_yuan
from yachi.growth.choices import Applicability, CouponKind
from yachi.growth.models import CouponTemplate
from yachi.growth.services import coupon_title

__all__ = ["benefit", "condition", "coupon_title"]


def benefit(template: CouponTemplate) -> str:
    """The headline: ¥30 off, 70 % to pay (7折), one free item."""
    if template.kind == CouponKind.FIXED_AMOUNT:
        return _("%(amount)s off") % {"amount": format_yuan(template.amount_off_fen)}
    if template.kind == CouponKind.PERCENTAGE:
        percent = template.pay_percent or 100
        tenths = f"{percent / 10:g}"
        return _("Pay %(percent)d%% (%(tenths)s折)") % {"percent": percent, "tenths": tenths}
    return _("One item free")


def condition(template: CouponTemplate) -> str:
    """What it applies to and the minimum spend, in one line."""
    if template.applies_to == Applicability.ANY:
        scope = _("Any treatment or product")
    elif template.applies_to == Applicability.SERVICES:
        scope = _("Selected treatments only")
    else:
        scope = _("Selected care products only")
    if template.min_spend_fen:
        return _("%(scope)s; for %(amount)s or more") % {
            "scope": scope,
            "amount": format_yuan(template.min_spend_fen),
        }
    return _("%(scope)s; no minimum spend") % {"scope": scope}

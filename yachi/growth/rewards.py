"""Exchanging points for a coupon or a gift: one transaction, spend and issue together."""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yachi.core import idempotency
from yachi.growth import ledger, services
from yachi.growth.choices import PointsReason
from yachi.growth.errors import CouponTemplateNotFound
from yachi.growth.models import Coupon, CouponTemplate


@dataclass(frozen=True)
class Redeemed:
    coupon: Coupon
    replayed: bool


def reward_of(template_id) -> CouponTemplate:
    template = services._template(template_id)
    if not template.active or not template.points_cost:
        raise CouponTemplateNotFound(_("This reward is not offered."))
    return template


def reward_redeem(*, user, template_id, idempotency_key: str | None = None) -> Redeemed:
    """Spend the template's points and issue its coupon, all or nothing.

    Not enough points: ``points_insufficient``; none left to give: ``coupon_sold_out``;
    either way no points move and no coupon exists. A repeated key returns the coupon
    of the first request.
    """
    template = reward_of(template_id)
    key = idempotency_key or uuid.uuid4().hex

    def exchange() -> list[str]:
        # Keys of the points entry and the coupon, derived from the request's key.
        own = f"reward:{user.public_id}:{idempotency.validate_key(key)}"
        ledger.points_spend(
            user=user,
            points=template.points_cost,
            reason=PointsReason.REWARD_REDEEM,
            idempotency_key=own,
            reference=f"growth.template:{template.public_id}",
            note=template.name,
        )
        coupon_id = services.coupon_issue(
            template_id=template,
            user=user,
            reason=_("Exchanged for %(points)d points") % {"points": template.points_cost},
            idempotency_key=own,
        )
        return [str(coupon_id)]

    with transaction.atomic():
        ids, replayed = idempotency.run_once(
            user=user,
            scope="points_reward_redeem",
            key=key,
            payload={"template": str(template.public_id)},
            action=exchange,
        )
    coupon = Coupon.objects.select_related("template").get(public_id=ids[0])
    return Redeemed(coupon=coupon, replayed=replayed)

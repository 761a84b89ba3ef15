"""The only ways a request reaches a coupon or a template.

Another person's coupon and a coupon that does not exist get the same answer.
"""

from uuid import UUID

from yachi.accounts.choices import Role
from yachi.core.errors import PermissionDenied
from yachi.growth.errors import CouponNotFound, CouponTemplateNotFound
from yachi.growth.models import Coupon, CouponTemplate

MANAGER_ROLES = (Role.MANAGER, Role.ADMIN)


def _uuid(value) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def access_coupon_by_id(*, actor, coupon_id) -> Coupon:
    public_id = _uuid(coupon_id)
    coupon = (
        Coupon.objects.select_related("template").filter(public_id=public_id, owner=actor).first()
        if public_id
        else None
    )
    if coupon is None:
        raise CouponNotFound()
    return coupon


def require_manager(actor) -> None:
    from django.utils.translation import gettext as _

    if getattr(actor, "role", None) not in MANAGER_ROLES:
        raise PermissionDenied(
            _("Coupons and points are managed by clinic managers."), code="managers_only"
        )


def access_template_by_id(*, actor, template_id) -> CouponTemplate:
    """Managers only; templates are shared by the whole chain."""
    require_manager(actor)
    public_id = _uuid(template_id)
    template = CouponTemplate.objects.filter(public_id=public_id).first() if public_id else None
    if template is None:
        raise CouponTemplateNotFound()
    return template

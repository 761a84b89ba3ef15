"""The only ways a request reaches a coupon template or the patient a manager names.

Templates are for managers only; a template or patient that does not exist answers "not found".
"""

from yachi.clinics import facade as clinics
from yachi.core.errors import PermissionDenied
from yachi.core.models import as_public_id
from yachi.growth.errors import CouponTemplateNotFound
from yachi.growth.models import CouponTemplate


def require_manager(actor) -> None:
    """Coupon templates and points are the chain's: anyone who manages a clinic of it
    (a clinic manager, a regional manager, chain operations) keeps them."""
    from django.utils.translation import gettext as _

    if not clinics.anywhere(actor, clinics.Duty.MANAGE):
        raise PermissionDenied(
            _("Coupons and points are managed by clinic managers."), code="managers_only"
        )


def access_template_by_id(*, actor, template_id) -> CouponTemplate:
    """Managers only; templates are shared by the whole chain."""
    require_manager(actor)
    public_id = as_public_id(template_id)
    template = CouponTemplate.objects.filter(public_id=public_id).first() if public_id else None
    if template is None:
        raise CouponTemplateNotFound()
    return template


def patient_user_by_phone_or_id(*, phone: str | None = None, user_id=None):
    """The patient account a manager names by mobile number or id; not found otherwise."""
    from django.utils.translation import gettext as _

    from yachi.accounts import facade as accounts
    from yachi.core.errors import DomainError, NotFound

    missing = NotFound(_("No patient with this mobile number."), code="patient_not_found")
    if phone:
        try:
            user = accounts.patient_user_by_phone(phone.strip(), active_only=True)
        except DomainError:
            user = None
    else:
        user = accounts.patient_user_by_id(user_id, active_only=True)
    if user is None:
        raise missing
    return user

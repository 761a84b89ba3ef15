"""Coupons: issue, quote, hold, redeem, release, expire.

A coupon's status changes only by a conditional single-row UPDATE whose row count
says whether this caller won (``… WHERE status = 'available'``); template totals and
per-person limits are counted the same way with F() expressions. See docs/adr/0012.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.models import as_public_id
from yachi.growth import pricing
from yachi.growth.choices import (
    CLEANING_RECALL_TEMPLATE,
    COMPENSATION_TEMPLATE,
    Applicability,
    CouponKind,
    CouponStatus,
)
from yachi.growth.codes import new_code
from yachi.growth.errors import (
    CouponExpired,
    CouponLimitReached,
    CouponMinSpendNotMet,
    CouponNotApplicable,
    CouponNotFound,
    CouponSoldOut,
    CouponTemplateEnded,
    CouponTemplateNotFound,
    CouponUnavailable,
)
from yachi.growth.models import Coupon, CouponAllowance, CouponTemplate
from yachi.growth.pricing import QuoteLine
from yachi.growth.promotion import promotion_require

CODE_ATTEMPTS = 5
MAX_LINES = 200
MAX_REFERENCE_LENGTH = 120


@dataclass(frozen=True)
class Discount:
    coupon_id: UUID
    code: str
    discount_fen: int
    title: str


def terms_of(template: CouponTemplate) -> pricing.Terms:
    return pricing.Terms(
        kind=template.kind,
        applies_to=template.applies_to,
        item_codes=tuple(template.item_codes or ()),
        amount_off_fen=template.amount_off_fen,
        pay_percent=template.pay_percent,
        min_spend_fen=template.min_spend_fen,
    )


def _coupon_of(*, user, coupon_id) -> Coupon:
    public_id = as_public_id(coupon_id)
    coupon = None
    if public_id is not None and user is not None:
        coupon = (
            Coupon.objects.select_related("template")
            .filter(public_id=public_id, owner=user)
            .first()
        )
    if coupon is None:
        raise CouponNotFound()
    return coupon


def _checked_lines(lines: Sequence[QuoteLine]) -> list[QuoteLine]:
    lines = list(lines)
    if not lines or len(lines) > MAX_LINES or not all(pricing.valid_line(x) for x in lines):
        raise InvalidInput(_("The order lines are not valid."), code="invalid_lines")
    return lines


def _usable_discount(coupon: Coupon, lines: list[QuoteLine], at: datetime) -> int:
    if coupon.status == CouponStatus.EXPIRED or (
        coupon.status == CouponStatus.AVAILABLE and coupon.expires_at <= at
    ):
        raise CouponExpired()
    if coupon.status != CouponStatus.AVAILABLE:
        raise CouponUnavailable()
    if coupon.valid_from and coupon.valid_from > at:
        raise CouponUnavailable(_("This coupon cannot be used before its start date."))
    result = pricing.discount(terms_of(coupon.template), lines)
    if result == pricing.NOT_APPLICABLE:
        raise CouponNotApplicable()
    if result == pricing.MIN_SPEND_NOT_MET:
        raise CouponMinSpendNotMet()
    return result


def coupon_title(template: CouponTemplate) -> str:
    from django.utils.translation import get_language

    if template.name_en and (get_language() or "").startswith("en"):
        return template.name_en
    return template.name


def coupons_usable(*, user, lines: Sequence[QuoteLine], at=None) -> list[Discount]:
    """The caller's available coupons that take something off these lines, biggest first."""
    from yachi.growth.selectors import coupons_of

    checked = _checked_lines(lines)
    at = at or timezone.now()
    usable = []
    for coupon in coupons_of(user=user, status=CouponStatus.AVAILABLE, limit=50):
        try:
            amount = _usable_discount(coupon, checked, at)
        except DomainError:  # expired, not applicable, minimum not met: not for these lines
            continue
        if amount > 0:
            usable.append(
                Discount(coupon.public_id, coupon.code, amount, coupon_title(coupon.template))
            )
    return sorted(usable, key=lambda d: -d.discount_fen)


def coupon_quote(*, user, coupon_id, lines: Sequence[QuoteLine], at=None) -> Discount:
    """What the caller's coupon takes off these lines; changes nothing."""
    coupon = _coupon_of(user=user, coupon_id=coupon_id)
    amount = _usable_discount(coupon, _checked_lines(lines), at or timezone.now())
    return Discount(coupon.public_id, coupon.code, amount, coupon_title(coupon.template))


def coupon_split(*, user, coupon_id, lines: Sequence[QuoteLine], discount_fen: int) -> list[int]:
    """Where a coupon's discount falls on these lines (one share per line, adding up to
    ``discount_fen``), whatever the coupon's state: a bill shows which line it lowered."""
    coupon = _coupon_of(user=user, coupon_id=coupon_id)
    return pricing.split(terms_of(coupon.template), _checked_lines(lines), discount_fen)


def _check_reference(reference: str) -> str:
    if not isinstance(reference, str) or not 1 <= len(reference) <= MAX_REFERENCE_LENGTH:
        raise InvalidInput(_("An order reference is needed."), code="invalid_reference")
    return reference


def coupon_hold(*, user, coupon_id, lines: Sequence[QuoteLine], reference: str) -> Discount:
    """Set the coupon aside for one order (available → held), atomically.

    Of two checkouts holding the same coupon at once exactly one wins; the other gets
    ``coupon_unavailable``. Holding again for the same reference returns the hold.
    """
    reference = _check_reference(reference)
    lines = _checked_lines(lines)
    now = timezone.now()
    coupon = _coupon_of(user=user, coupon_id=coupon_id)
    title = coupon_title(coupon.template)
    if coupon.status == CouponStatus.HELD and coupon.held_reference == reference:
        return Discount(coupon.public_id, coupon.code, coupon.discount_fen, title)
    amount = _usable_discount(coupon, lines, now)
    won = Coupon.objects.filter(
        pk=coupon.pk, status=CouponStatus.AVAILABLE, expires_at__gt=now
    ).update(
        status=CouponStatus.HELD,
        held_reference=reference,
        held_at=now,
        discount_fen=amount,
        updated_at=now,
    )
    if not won:
        current = Coupon.objects.filter(pk=coupon.pk).values("status", "held_reference").get()
        if current == {"status": CouponStatus.HELD, "held_reference": reference}:
            return Discount(coupon.public_id, coupon.code, amount, title)
        raise CouponUnavailable()
    return Discount(coupon.public_id, coupon.code, amount, title)


def coupon_redeem(*, reference: str) -> None:
    """The order is paid: its held coupons are used (held → redeemed). Idempotent."""
    reference = _check_reference(reference)
    now = timezone.now()
    Coupon.objects.filter(held_reference=reference, status=CouponStatus.HELD).update(
        status=CouponStatus.REDEEMED,
        redeemed_reference=reference,
        redeemed_at=now,
        updated_at=now,
    )


def coupon_release(*, reference: str) -> None:
    """The unpaid order was closed or cancelled: its coupons come back (held →
    available), or expire if their time has passed. Idempotent. A refunded paid
    order does not give its coupon back."""
    reference = _check_reference(reference)
    now = timezone.now()
    held = Coupon.objects.filter(held_reference=reference, status=CouponStatus.HELD)
    with transaction.atomic():
        held.filter(expires_at__lte=now).update(
            status=CouponStatus.EXPIRED, held_reference="", held_at=None, updated_at=now
        )
        held.filter(expires_at__gt=now).update(
            status=CouponStatus.AVAILABLE,
            held_reference="",
            held_at=None,
            discount_fen=0,
            updated_at=now,
        )


def coupons_expire(*, now: datetime | None = None) -> int:
    """Available coupons past their time become expired; held ones wait for their order."""
    now = now or timezone.now()
    return Coupon.objects.filter(status=CouponStatus.AVAILABLE, expires_at__lte=now).update(
        status=CouponStatus.EXPIRED, updated_at=now
    )


# --- issuing ---------------------------------------------------------------------------


def _template(template_id) -> CouponTemplate:
    if isinstance(template_id, CouponTemplate):
        return template_id
    public_id = as_public_id(template_id)
    template = CouponTemplate.objects.filter(public_id=public_id).first() if public_id else None
    if template is None:
        raise CouponTemplateNotFound()
    return template


def _validity(template: CouponTemplate, now: datetime) -> tuple[datetime | None, datetime]:
    if template.valid_days:
        return None, now + timedelta(days=template.valid_days)
    return template.valid_from, template.valid_until


def _count_issue(template: CouponTemplate, user) -> None:
    """Count one more coupon against the template's total and the person's limit,
    each by a conditional F() update whose row count says whether there was room."""
    templates = CouponTemplate.objects.filter(pk=template.pk)
    if template.total_quantity is not None:
        templates = templates.filter(issued_count__lt=F("total_quantity"))
    if not templates.update(issued_count=F("issued_count") + 1):
        raise CouponSoldOut()
    if template.per_person_limit is not None:
        allowance, _created = CouponAllowance.objects.get_or_create(template=template, owner=user)
        if not CouponAllowance.objects.filter(
            pk=allowance.pk, issued__lt=template.per_person_limit
        ).update(issued=F("issued") + 1):
            raise CouponLimitReached()


def coupon_issue(
    *, template_id, user, reason: str, actor=None, idempotency_key: str | None = None
) -> UUID:
    """Give ``user`` a coupon from the template; returns the coupon's public id.

    With an ``idempotency_key`` a repeated call returns the first coupon.
    """
    reason = (reason or "").strip()[:200]
    if not reason:
        raise InvalidInput(_("Say why the coupon is given."), code="reason_required")
    if user is None or not user.is_patient:
        raise InvalidInput(_("Coupons are for patients."), code="not_a_patient")
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise InvalidInput(_("The key must be 1 to 200 characters."))
    with transaction.atomic():
        if idempotency_key:
            existing = Coupon.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing.public_id
        template = _template(template_id)
        now = timezone.now()
        if not template.active:
            raise CouponTemplateEnded()
        valid_from, expires_at = _validity(template, now)
        if expires_at <= now:
            raise CouponTemplateEnded()
        for attempt in range(CODE_ATTEMPTS):
            try:
                with transaction.atomic():
                    _count_issue(template, user)
                    coupon = Coupon.objects.create(
                        template=template,
                        owner=user,
                        code=new_code(),
                        issued_reason=reason,
                        issued_by=actor,
                        idempotency_key=idempotency_key or None,
                        valid_from=valid_from,
                        expires_at=expires_at,
                    )
                if actor is not None:
                    audit_record(
                        action=AuditAction.COUPON_ISSUED,
                        actor=actor,
                        object_type="coupon",
                        object_id=coupon.public_id,
                        details={"template": str(template.public_id), "reason": reason},
                    )
                return coupon.public_id
            except IntegrityError:
                if idempotency_key:
                    winner = Coupon.objects.filter(idempotency_key=idempotency_key).first()
                    if winner is not None:
                        return winner.public_id
                if attempt == CODE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")


def compensation_template() -> CouponTemplate:
    """The built-in 预约补偿券: ¥50 off anything, no minimum, 90 days."""
    template = CouponTemplate.objects.filter(system_key=COMPENSATION_TEMPLATE).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            return CouponTemplate.objects.create(**COMPENSATION_DEFAULTS)
    except IntegrityError:
        return CouponTemplate.objects.get(system_key=COMPENSATION_TEMPLATE)


COMPENSATION_DEFAULTS = {
    "system_key": COMPENSATION_TEMPLATE,
    "name": "预约补偿券",
    "name_en": "Appointment compensation",
    "kind": CouponKind.FIXED_AMOUNT,
    "amount_off_fen": 5000,
    "applies_to": Applicability.ANY,
    "min_spend_fen": 0,
    "valid_days": 90,
}


CLEANING_RECALL_DEFAULTS = {
    "system_key": CLEANING_RECALL_TEMPLATE,
    "name": "洁牙7折券",
    "name_en": "30% off a cleaning",
    "kind": CouponKind.PERCENTAGE,
    "pay_percent": 70,
    "applies_to": Applicability.SERVICES,
    "item_codes": ["cleaning"],
    "min_spend_fen": 0,
    "valid_days": 60,
    "per_person_limit": None,
}


def cleaning_recall_template() -> CouponTemplate:
    """The built-in 洁牙7折券 (a cleaning at 70 %, 60 days) the playbook's recall gives."""
    template = CouponTemplate.objects.filter(system_key=CLEANING_RECALL_TEMPLATE).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            return CouponTemplate.objects.create(**CLEANING_RECALL_DEFAULTS)
    except IntegrityError:
        return CouponTemplate.objects.get(system_key=CLEANING_RECALL_TEMPLATE)


def cleaning_recall_coupon_issue(*, user, idempotency_key: str, reason: str) -> UUID:
    """A 洁牙7折券 for ``user``; once per ``idempotency_key``."""
    return coupon_issue(
        template_id=cleaning_recall_template(),
        user=user,
        reason=reason,
        idempotency_key=idempotency_key,
    )


def compensation_coupon_issue(*, user, reference: str, reason: str) -> UUID:
    """A ¥50 coupon for a visit the clinic changed; once per ``reference``."""
    reference = _check_reference(reference)
    return coupon_issue(
        template_id=compensation_template(),
        user=user,
        reason=reason,
        idempotency_key=f"compensation:{reference}",
    )


# --- templates (managers) --------------------------------------------------------------


TEMPLATE_FIELDS = (
    "name",
    "name_en",
    "kind",
    "amount_off_fen",
    "pay_percent",
    "applies_to",
    "item_codes",
    "min_spend_fen",
    "valid_from",
    "valid_until",
    "valid_days",
    "total_quantity",
    "per_person_limit",
    "points_cost",
    "active",
)


def _check_template(values: dict) -> dict:
    kind, applies_to = values.get("kind"), values.get("applies_to")
    if kind not in CouponKind.values or applies_to not in Applicability.values:
        raise InvalidInput(_("Choose the kind of coupon and what it applies to."))
    codes = [c.strip() for c in values.get("item_codes") or [] if c and c.strip()]
    values["item_codes"] = sorted(set(codes))
    if applies_to != Applicability.ANY and not codes:
        raise InvalidInput(_("List the codes of the items this coupon applies to."))
    if applies_to == Applicability.ANY:
        values["item_codes"] = []
    if kind == CouponKind.FIXED_AMOUNT and not values.get("amount_off_fen"):
        raise InvalidInput(_("An amount-off coupon needs an amount."))
    if kind == CouponKind.PERCENTAGE and not 1 <= (values.get("pay_percent") or 0) <= 99:
        raise InvalidInput(_("A discount coupon needs a percentage from 1 to 99."))
    if kind != CouponKind.FIXED_AMOUNT:
        values["amount_off_fen"] = 0
    if kind != CouponKind.PERCENTAGE:
        values["pay_percent"] = None
    if values.get("valid_days"):
        values["valid_from"] = values["valid_until"] = None
    elif not values.get("valid_until"):
        raise InvalidInput(_("Give an end date or a number of days after issue."))
    elif values.get("valid_from") and values["valid_from"] >= values["valid_until"]:
        raise InvalidInput(_("The end date must come after the start date."))
    return values


def coupon_template_save(*, actor, template: CouponTemplate | None = None, **values):
    """Create or change a template. Issued coupons keep their own dates."""
    values = _check_template({k: values.get(k) for k in TEMPLATE_FIELDS})
    # A coupon's name is shown to patients: promotional text (ADR 0049).
    promotion_require({_("Name"): values["name"] or "", _("English name"): values["name_en"] or ""})
    values["active"] = bool(values["active"])
    for field in ("amount_off_fen", "min_spend_fen"):
        values[field] = values[field] or 0
    with transaction.atomic():
        if template is None:
            return CouponTemplate.objects.create(**values)
        locked = CouponTemplate.objects.select_for_update().get(pk=template.pk)
        if values["total_quantity"] is not None and values["total_quantity"] < locked.issued_count:
            raise InvalidInput(_("The total cannot be less than what was already given out."))
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        return locked

"""Every change to carts and orders: cart lines, checkout, cancelling, fulfilment steps.

Stock is reserved at checkout by one conditional UPDATE per line (``… WHERE quantity
>= n``) whose row count says whether there was enough: two buyers of the last item
cannot both get it, whatever the interleaving. What the order took (stock, a held
coupon, spent points) is given back in one place, ``release``, when the order is
closed unpaid, cancelled or refunded before it left the clinic. See docs/adr/0014.
"""

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core import idempotency
from yachi.core.errors import InvalidInput, PermissionDenied, patients_only
from yachi.growth import facade as growth
from yachi.payments import facade as payments
from yachi.shop.choices import Fulfilment, OrderKind, OrderStatus
from yachi.shop.errors import (
    AddressRequired,
    CartEmpty,
    NotCancellable,
    NotCancellableNow,
    NotEnoughPoints,
    NotOnSale,
    OrderStatusChanged,
    OutOfStock,
    TooManyPoints,
)
from yachi.shop.models import CartItem, Order, OrderLine, Sku, Stock

MAX_QUANTITY = 99
MAX_CART_LINES = 30
MAX_POINTS = 10_000_000
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# What a pick-up QR code holds: the code, marked so that a scanner at the desk is not
# confused with another QR code a patient shows.
PICKUP_QR_PREFIX = "yachi-pickup:"

CLOSED = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
# Statuses in which the goods are still at the clinic: a refund puts them back on the shelf.
NOT_HANDED_OVER = (OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY)
# The buyer may cancel only before the clinic starts preparing the order.
BUYER_CANCELLABLE = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID)
# A pick-up code is shown, and read at the desk, while the order waits at the clinic.
PICKUP_OPEN = NOT_HANDED_OVER


@dataclass(frozen=True)
class CheckedOut:
    order: Order
    payment: object | None  # the payment intent, None when nothing was left to pay
    replayed: bool = False


def order_reference(order: Order) -> str:
    """How payments and growth name an order."""
    return f"shop.order:{order.public_id}"


def _reference_of(public_id) -> str:
    return f"shop.order:{public_id}"


def _new_number() -> str:
    stamp = timezone.localtime().strftime("%y%m%d%H%M%S")
    return "SO" + stamp + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def _new_pickup_code() -> str:
    """Eight characters of an alphabet without look-alikes (40 bits): never guessed."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def pickup_code_display(code: str) -> str:
    """As the front desk reads it aloud or types it: ``ABCD 1234``."""
    return f"{code[:4]} {code[4:]}" if code else ""


def pickup_code_clean(raw) -> str:
    """A typed or scanned pick-up code in its stored form (spaces, case, a QR prefix off)."""
    text = str(raw or "").strip().upper()
    text = text.removeprefix(PICKUP_QR_PREFIX.upper())
    return re.sub(r"[\s-]", "", text)[:12]


def require_patient(user) -> None:
    patients_only(user, _("The mall is for patients."))


def require_order_staff(actor, clinic) -> None:
    """Front desk and managers of the order's clinic hand orders over and refund them."""
    if not clinics.may(actor, clinic, clinics.Duty.DESK):
        raise PermissionDenied(
            _("Mall orders are handled by the front desk and managers."), code="front_desk_only"
        )


def _quantity(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_QUANTITY:
        raise InvalidInput(
            _("Choose a quantity from 1 to %(max)d.") % {"max": MAX_QUANTITY},
            code="invalid_quantity",
        )
    return value


def _require_stock(clinic, sku: Sku, quantity: int) -> None:
    """Refuse to put more of ``sku`` in the cart than ``clinic`` has left.

    Checkout takes the stock for good; this only spares the buyer a refusal there.
    """
    if clinic is None:
        return
    left = (
        Stock.objects.filter(clinic=clinic, sku=sku).values_list("quantity", flat=True).first() or 0
    )
    item = f"{sku.product.name} {sku.name}"
    if left <= 0:
        raise OutOfStock(
            _("Sorry, %(item)s is sold out at %(clinic)s.")
            % {"item": item, "clinic": clinic.display_name},
            item=sku.code,
        )
    if quantity > left:
        raise OutOfStock(
            _("Only %(left)d of %(item)s left at %(clinic)s.")
            % {"left": left, "item": item, "clinic": clinic.display_name},
            code="not_enough_stock",
            item=sku.code,
        )


def _check_sellable(sku: Sku) -> None:
    if not (sku.is_active and sku.product.is_active):
        raise NotOnSale(
            _("%(item)s is no longer on sale.") % {"item": f"{sku.product.name} {sku.name}"}
        )


# --- cart ------------------------------------------------------------------------------


def cart_add(*, user, sku: Sku, quantity: int = 1, clinic=None) -> None:
    """Put ``quantity`` more of ``sku`` in the cart (up to 99 of one item); given the
    clinic the buyer shops at, no more than it has left."""
    require_patient(user)
    quantity = _quantity(quantity)
    _check_sellable(sku)
    with transaction.atomic():
        lines = CartItem.objects.filter(user=user, sku=sku)
        in_cart = lines.values_list("quantity", flat=True).first() or 0
        _require_stock(clinic, sku, in_cart + quantity)
        if lines.filter(quantity__lte=MAX_QUANTITY - quantity).update(
            quantity=F("quantity") + quantity
        ):
            return
        if lines.exists():
            raise InvalidInput(
                _("At most %(max)d of one item per order.") % {"max": MAX_QUANTITY},
                code="invalid_quantity",
            )
        if CartItem.objects.filter(user=user).count() >= MAX_CART_LINES:
            raise InvalidInput(_("Your cart is full."), code="cart_full")
        try:
            with transaction.atomic():
                CartItem.objects.create(user=user, sku=sku, quantity=quantity)
        except IntegrityError:
            # Added by a concurrent request (a double tap): add to that line instead.
            if not lines.filter(quantity__lte=MAX_QUANTITY - quantity).update(
                quantity=F("quantity") + quantity
            ):
                raise InvalidInput(
                    _("At most %(max)d of one item per order.") % {"max": MAX_QUANTITY},
                    code="invalid_quantity",
                ) from None


def cart_set_quantity(*, user, sku: Sku, quantity: int, clinic=None) -> None:
    """Set how many of ``sku`` the cart holds; adds the line if it was not there."""
    require_patient(user)
    quantity = _quantity(quantity)
    _require_stock(clinic, sku, quantity)
    with transaction.atomic():
        if CartItem.objects.filter(user=user, sku=sku).update(quantity=quantity):
            return
        _check_sellable(sku)
        if CartItem.objects.filter(user=user).count() >= MAX_CART_LINES:
            raise InvalidInput(_("Your cart is full."), code="cart_full")
        try:
            with transaction.atomic():
                CartItem.objects.create(user=user, sku=sku, quantity=quantity)
        except IntegrityError:
            CartItem.objects.filter(user=user, sku=sku).update(quantity=quantity)


def cart_remove(*, user, sku: Sku) -> None:
    require_patient(user)
    CartItem.objects.filter(user=user, sku=sku).delete()


# --- checkout --------------------------------------------------------------------------


def quote_lines(items) -> list:
    """Cart items (or order lines with a SKU) as growth sees them."""
    return [
        growth.QuoteLine(
            kind="product",
            code=item.sku.code,
            unit_price_fen=item.sku.price_fen
            if isinstance(item, CartItem)
            else item.unit_price_fen,
            quantity=item.quantity,
        )
        for item in items
    ]


def _recipient(*, fulfilment, recipient_name, recipient_phone, address) -> tuple[str, str, str]:
    if fulfilment not in Fulfilment.values:
        raise InvalidInput(
            _("Choose pick-up at the clinic or delivery."), code="invalid_fulfilment"
        )
    values = []
    for value, limit in ((recipient_name, 64), (recipient_phone, 32), (address, 200)):
        if not isinstance(value, str):
            raise InvalidInput()
        value = value.strip()
        if len(value) > limit:
            raise InvalidInput(_("The recipient's details are too long."), code="too_long")
        values.append(value)
    name, phone, address = values
    phone = re.sub(r"[\s-]", "", phone)
    if phone and not _MOBILE.match(phone):
        raise InvalidInput(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
    if fulfilment == Fulfilment.DELIVERY and not (name and phone and address):
        raise AddressRequired()
    if fulfilment == Fulfilment.PICKUP:
        address = ""
    return name, phone, address


def _points(points) -> int:
    if not isinstance(points, int) or isinstance(points, bool) or points < 0:
        raise InvalidInput(_("Points must be a whole number, zero or more."), code="invalid_points")
    if points > MAX_POINTS:
        raise _too_many_for_any_order()
    return points


def _too_many_for_any_order() -> TooManyPoints:
    return TooManyPoints(
        _("That is more points than any order can use (at most %(max)d).") % {"max": MAX_POINTS}
    )


def points_problem(*, points: int, balance: int, needed: int):
    """Why ``points`` cannot pay for an order needing at most ``needed``, or None."""
    if points > MAX_POINTS:
        return _too_many_for_any_order()
    if points > balance:
        return NotEnoughPoints(
            _("You have %(balance)d points; you cannot use %(points)d.")
            % {"balance": balance, "points": points}
        )
    if points > needed:
        return TooManyPoints(_("This order needs at most %(points)d points.") % {"points": needed})
    return None


def _reserve(clinic, items) -> None:
    """Take each line's quantity off the clinic's shelf, or nothing at all."""
    for item in sorted(items, key=lambda i: i.sku_id):  # one lock order: no deadlocks
        taken = Stock.objects.filter(
            clinic=clinic, sku_id=item.sku_id, quantity__gte=item.quantity
        ).update(quantity=F("quantity") - item.quantity)
        if not taken:
            name = f"{item.sku.product.name} {item.sku.name}"
            raise OutOfStock(
                _("Sorry, %(item)s is out of stock at %(clinic)s.")
                % {"item": name, "clinic": clinic.display_name},
                item=item.sku.code,
            )


def order_checkout(
    *,
    buyer,
    clinic,
    fulfilment: str,
    recipient_name: str = "",
    recipient_phone: str = "",
    address: str = "",
    coupon_id=None,
    points: int = 0,
    idempotency_key: str | None = None,
) -> CheckedOut:
    """Turn the cart into an order at ``clinic`` and ask payments for the money.

    Prices are copied onto the lines, stock is reserved, the coupon held and the
    points spent, all in one transaction: any refusal (out of stock, a coupon already
    used, too few points) leaves everything as it was.
    """
    require_patient(buyer)
    name, phone, address = _recipient(
        fulfilment=fulfilment,
        recipient_name=recipient_name,
        recipient_phone=recipient_phone,
        address=address,
    )
    points = _points(points)
    if not clinic.is_active:
        raise InvalidInput(_("This clinic is not selling right now."), code="clinic_closed")

    def checkout() -> list[str]:
        order = _checkout(
            buyer=buyer,
            clinic=clinic,
            fulfilment=fulfilment,
            name=name,
            phone=phone,
            address=address,
            coupon_id=coupon_id,
            points=points,
        )
        return [str(order.public_id)]

    if idempotency_key is None:
        with transaction.atomic():
            ids = checkout()
        replayed = False
    else:
        payload = {
            "clinic": str(clinic.public_id),
            "fulfilment": fulfilment,
            "recipient": [name, phone, address],
            "coupon": str(coupon_id or ""),
            "points": points,
        }
        ids, replayed = idempotency.run_once(
            user=buyer, scope="shop_checkout", key=idempotency_key, payload=payload, action=checkout
        )
    order = Order.objects.select_related("clinic").get(public_id=ids[0])
    intent = payments.intent_by_reference(order_reference(order)) if order.total_fen else None
    return CheckedOut(order=order, payment=intent, replayed=replayed)


def _checkout(*, buyer, clinic, fulfilment, name, phone, address, coupon_id, points) -> Order:
    items = list(CartItem.objects.filter(user=buyer).select_related("sku__product").order_by("pk"))
    if not items:
        raise CartEmpty()
    for item in items:
        _check_sellable(item.sku)
    subtotal = sum(item.sku.price_fen * item.quantity for item in items)
    public_id = uuid.uuid4()
    reference = _reference_of(public_id)
    _reserve(clinic, items)
    discount = 0
    if coupon_id:
        held = growth.coupon_hold(
            user=buyer, coupon_id=coupon_id, lines=quote_lines(items), reference=reference
        )
        discount = held.discount_fen
        coupon_id = held.coupon_id
    points_fen = growth.points_value_fen(points) if points else 0
    problem = points and points_problem(
        points=points,
        balance=growth.points_balance(user=buyer),
        needed=growth.points_needed(subtotal - discount),
    )
    if problem:
        raise problem
    points_fen = min(points_fen, subtotal - discount)
    if points:
        growth.points_spend(
            user=buyer,
            points=points,
            reason="checkout",
            idempotency_key=f"{reference}:points",
            reference=reference,
        )
    order = Order.objects.create(
        public_id=public_id,
        number=_new_number(),
        buyer=buyer,
        clinic=clinic,
        kind=OrderKind.REGULAR,
        fulfilment=fulfilment,
        recipient_name=name or buyer.name,
        recipient_phone=phone,
        address=address,
        subtotal_fen=subtotal,
        discount_fen=discount,
        points_used=points,
        points_fen=points_fen,
        total_fen=subtotal - discount - points_fen,
        coupon_id=coupon_id or None,
        pickup_code=_new_pickup_code() if fulfilment == Fulfilment.PICKUP else None,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku=item.sku,
            name=f"{item.sku.product.name} {item.sku.name}"[:130],
            unit_price_fen=item.sku.price_fen,
            quantity=item.quantity,
        )
        for item in items
    )
    CartItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    if order.total_fen:
        payments.intent_create(
            purpose=payments.Purpose.SHOP_ORDER,
            reference=reference,
            amount_fen=order.total_fen,
            description=_order_description(order, items),
            payer=buyer,
            clinic=clinic,
        )
    else:
        # Coupon and points covered it all: nothing to pay, so it is paid now.
        mark_paid(order=order, paid_fen=0, at=timezone.now())
    return order


def _order_description(order, items) -> str:
    first = f"{items[0].sku.product.name} {items[0].sku.name}"
    if len(items) == 1:
        return _("Mall: %(item)s") % {"item": first}
    return _("Mall: %(item)s and %(count)d more") % {"item": first, "count": len(items) - 1}


# --- what payments tell us -------------------------------------------------------------


def mark_paid(*, order: Order, paid_fen: int, at: datetime) -> bool:
    """Awaiting payment → paid: the coupon is used and points are earned. Once."""
    moved = Order.objects.filter(pk=order.pk, status=OrderStatus.AWAITING_PAYMENT).update(
        status=OrderStatus.PAID, paid_at=at, updated_at=timezone.now()
    )
    if not moved:
        return False
    reference = order_reference(order)
    if order.coupon_id:
        growth.coupon_redeem(reference=reference)
    if paid_fen:
        growth.points_for_paid_spend(
            user=order.buyer,
            paid_fen=paid_fen,
            idempotency_key=f"{reference}:earned",
            reference=reference,
        )
    if order.kind == OrderKind.FLASH_SALE:
        from yachi.shop.flash import settlement

        settlement.reservation_paid(order=order)
        settlement.voucher_issue_for(order=order)
    order.refresh_from_db()
    return True


def _stock_back(order: Order) -> None:
    if order.kind != OrderKind.REGULAR:
        return  # flash sales keep their own count of places
    for line in order.lines.all():
        if line.sku_id:
            Stock.objects.filter(clinic_id=order.clinic_id, sku_id=line.sku_id).update(
                quantity=F("quantity") + line.quantity
            )


def _points_back(order: Order) -> None:
    if order.points_used:
        reference = order_reference(order)
        growth.points_refund(
            idempotency_key_of_spend=f"{reference}:points",
            idempotency_key=f"{reference}:points-back",
        )


def release_unpaid(*, order: Order, reason: str) -> bool:
    """An unpaid order is closed: stock, coupon and points go back. Once."""
    now = timezone.now()
    moved = Order.objects.filter(pk=order.pk, status=OrderStatus.AWAITING_PAYMENT).update(
        status=OrderStatus.CANCELLED, closed_at=now, close_reason=reason[:120], updated_at=now
    )
    if not moved:
        return False
    _stock_back(order)
    if order.coupon_id:
        growth.coupon_release(reference=order_reference(order))
    _points_back(order)
    if order.kind == OrderKind.FLASH_SALE:
        from yachi.shop.flash import settlement

        settlement.reservation_released(order=order)
    order.refresh_from_db()
    return True


def mark_refunded(*, order: Order) -> bool:
    """The money went back in full: the order is refunded, its points returned, and
    what had not left the clinic goes back on the shelf. Once."""
    now = timezone.now()
    before = order.status
    moved = (
        Order.objects.filter(pk=order.pk, status=before)
        .exclude(status__in=(OrderStatus.AWAITING_PAYMENT, *CLOSED))
        .update(status=OrderStatus.REFUNDED, updated_at=now)
    )
    if not moved:
        return False
    Order.objects.filter(pk=order.pk, closed_at__isnull=True).update(closed_at=now)
    if before in NOT_HANDED_OVER:
        _stock_back(order)
    _points_back(order)
    reference = order_reference(order)
    if order.kind == OrderKind.FLASH_SALE:
        # The money is back: a treatment's voucher not yet booked cannot be used any more.
        booking.voucher_withdraw(source=reference, strict=False)
    growth.points_earned_reverse(
        idempotency_key_of_earn=f"{reference}:earned", idempotency_key=f"{reference}:earned-back"
    )
    if order.kind == OrderKind.FLASH_SALE:
        from yachi.shop.flash import settlement

        settlement.reservation_released(order=order)
    order.refresh_from_db()
    return True


# --- cancelling and refunding ----------------------------------------------------------


def refund_pending(order: Order) -> bool:
    """A refund was asked for and the money is on its way back."""
    return order.status not in CLOSED and order.closed_at is not None


def buyer_may_cancel(order: Order) -> bool:
    return order.status in BUYER_CANCELLABLE and not refund_pending(order)


def _not_cancellable_by_buyer(order: Order) -> NotCancellable:
    if order.status in (OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.SHIPPED):
        return NotCancellableNow()
    return NotCancellable()


def order_cancel(*, actor, order: Order, reason: str = "") -> Order:
    """The buyer cancels: unpaid orders close; paid ones not yet prepared are refunded."""
    if order.buyer_id != actor.pk:
        raise PermissionDenied()
    reason = (reason or "").strip()[:80] or _("Cancelled by the buyer")
    order.refresh_from_db()
    if not buyer_may_cancel(order):
        raise _not_cancellable_by_buyer(order)
    return _cancel(actor=actor, order=order, reason=reason, by_buyer=True)


def order_refund(*, actor, order: Order, reason: str) -> Order:
    """Staff cancel an order and send the money back, whatever its step."""
    require_order_staff(actor, order.clinic_id)
    reason = (reason or "").strip()[:80]
    if not reason:
        raise InvalidInput(_("Say why the order is cancelled."), code="reason_required")
    if order.status in CLOSED or refund_pending(order):
        raise NotCancellable(_("This order is already cancelled or being refunded."))
    order = _cancel(actor=actor, order=order, reason=reason)
    _audit_order(actor, order, {"step": "cancelled", "reason": reason})
    return order


def _cancel(*, actor, order: Order, reason: str, by_buyer: bool = False) -> Order:
    if order.status == OrderStatus.AWAITING_PAYMENT:
        intent = payments.intent_by_reference(order_reference(order))
        if intent is not None and intent.status == payments.IntentStatus.CREATED:
            if payments.intent_close(intent=intent, reason=reason):
                Order.objects.filter(pk=order.pk).update(close_reason=reason[:120])
                order.refresh_from_db()
                return order
        else:
            with transaction.atomic():
                release_unpaid(order=order, reason=reason)
        order.refresh_from_db()
        if order.status == OrderStatus.AWAITING_PAYMENT:
            raise OrderStatusChanged()
        if order.status in CLOSED:
            return order
        # Paid a moment ago: carry on with a refund.
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status in CLOSED or refund_pending(locked):
            raise NotCancellable(_("This order is already cancelled or being refunded."))
        if by_buyer and locked.status not in BUYER_CANCELLABLE:
            # The desk started preparing it while the buyer was on the page.
            raise _not_cancellable_by_buyer(locked)
        if locked.kind == OrderKind.FLASH_SALE:
            # A treatment's voucher is refunded only while it is unused (ADR 0032).
            booking.voucher_withdraw(source=order_reference(locked))
        now = timezone.now()
        Order.objects.filter(pk=order.pk).update(
            closed_at=now, close_reason=reason[:120], updated_at=now
        )
        intent = payments.intent_by_reference(order_reference(locked))
        if intent is not None and intent.status == payments.IntentStatus.PAID:
            payments.refund_request(
                intent=intent,
                amount_fen=intent.refundable_fen,
                reason=reason,
                actor=actor,
                key="RS" + locked.number[2:],
            )
        else:
            # Nothing was paid in money (coupon and points covered it): settle now.
            locked.refresh_from_db()
            mark_refunded(order=locked)
    order.refresh_from_db()
    return order


# --- fulfilment steps ------------------------------------------------------------------

# Step → (the statuses it follows, the delivery it is for; None: either).
STEPS = {
    OrderStatus.PREPARING: ((OrderStatus.PAID,), None),
    OrderStatus.READY: ((OrderStatus.PAID, OrderStatus.PREPARING), Fulfilment.PICKUP),
    OrderStatus.SHIPPED: ((OrderStatus.PAID, OrderStatus.PREPARING), Fulfilment.DELIVERY),
}


def order_advance(*, actor, order: Order, to_status: str) -> Order:
    """Being prepared, ready for pick-up, shipped, or completed (picked up / delivered)."""
    require_order_staff(actor, order.clinic_id)
    if order.kind == OrderKind.FLASH_SALE and booking.voucher_by_source(order_reference(order)):
        raise InvalidInput(
            _("This order is a service voucher: the patient books a visit with it."),
            code="voucher_order",
        )
    if to_status in STEPS:
        allowed, fulfilment = STEPS[to_status]
        if fulfilment is not None and order.fulfilment != fulfilment:
            raise InvalidInput(_("This step does not fit how the order is delivered."))
    elif to_status == OrderStatus.COMPLETED:
        allowed = (OrderStatus.READY, OrderStatus.SHIPPED)
    else:
        raise InvalidInput(_("Unknown step."), code="invalid_step")
    now = timezone.now()
    moved = Order.objects.filter(pk=order.pk, status__in=allowed, closed_at__isnull=True).update(
        status=to_status, updated_at=now
    )
    if not moved:
        raise OrderStatusChanged()
    _audit_order(actor, order, {"step": to_status})
    order.refresh_from_db()
    return order


def order_hand_over(*, actor, order: Order) -> Order:
    """The buyer showed the pick-up code at the desk and takes the goods: completed.

    From paid, being prepared or ready alike: the desk has the goods in hand.
    """
    require_order_staff(actor, order.clinic_id)
    if order.fulfilment != Fulfilment.PICKUP or not order.pickup_code:
        raise InvalidInput(_("This order is delivered, not picked up."), code="not_pickup")
    moved = Order.objects.filter(
        pk=order.pk, status__in=PICKUP_OPEN, closed_at__isnull=True
    ).update(status=OrderStatus.COMPLETED, updated_at=timezone.now())
    if not moved:
        order.refresh_from_db()
        if order.status == OrderStatus.COMPLETED:
            raise NotCancellable(
                _("This order was already picked up."), code="order_already_picked_up"
            )
        if refund_pending(order) or order.status in CLOSED:
            raise NotCancellable(
                _("This order is cancelled or being refunded: do not hand it over."),
                code="order_not_ready",
            )
        raise NotCancellable(
            _("This order cannot be handed over: %(status)s.")
            % {"status": order.get_status_display()},
            code="order_not_ready",
        )
    _audit_order(actor, order, {"step": OrderStatus.COMPLETED, "by": "pickup_code"})
    order.refresh_from_db()
    return order


def _audit_order(actor, order: Order, details: dict) -> None:
    audit_record(
        action=AuditAction.ORDER_HANDLED,
        actor=actor,
        object_type="order",
        object_id=order.public_id,
        clinic=order.clinic,
        details=details,
    )

"""Treatment bills: the front desk charges for a visit; the patient pays in the app or
at the desk, with a coupon for the treatment if they hold one, and earns points.

The till owns bills, so payments is itself the owner of ``Purpose.BILL``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, DomainError, InvalidInput
from yachi.core.events import publish
from yachi.payments.choices import IntentStatus, LineKind, Method, Purpose
from yachi.payments.errors import NotPayable
from yachi.payments.events import BillPaid
from yachi.payments.models import MAX_LINE_QUANTITY, Bill, BillLine, PaymentIntent
from yachi.payments.services import intent_create

MAX_BILL_FEN = 10_000_000
MAX_LINES = 50
PREFIX = "payments.bill:"


@dataclass(frozen=True)
class LineDraft:
    """A line to put on a bill: a catalogue item by its code (``kind`` service or
    material), how many, and the unit price when it is not the catalogue's."""

    kind: str
    item_code: str
    quantity: int = 1
    unit_fen: int | None = None
    description: str = ""


class BillSettled(Conflict):
    code = "bill_settled"

    def __init__(self, message=None):
        super().__init__(
            message or _("This bill is paid or being paid: its lines stay as they are.")
        )


def _catalogue(clinic) -> dict[str, list]:
    from yachi.clinics import facade as clinics

    return {
        LineKind.SERVICE: clinics.clinic_billable_services(clinic=clinic),
        LineKind.MATERIAL: clinics.clinic_billable_materials(clinic=clinic),
    }


def _item(*, clinic, kind: str, code: str, catalogue: dict | None = None):
    """The clinic's catalogue item (service or material) of this code, or refused."""
    if catalogue is None:
        catalogue = _catalogue(clinic)
    items = catalogue.get(kind, []) if isinstance(kind, str) else []
    found = next((item for item in items if code and item.code == code), None)
    if found is None:
        raise InvalidInput(
            _("This clinic has no such treatment or material. Choose one from the list."),
            code="unknown_item",
        )
    return found


def _quantity(quantity) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        quantity = None
    if quantity is None or not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidInput(
            _("The quantity must be a whole number from 1 to %(most)s.")
            % {"most": MAX_LINE_QUANTITY},
            code="invalid_quantity",
        )
    return quantity


def _unit_fen(unit_fen) -> int:
    if isinstance(unit_fen, bool) or not isinstance(unit_fen, int) or unit_fen < 0:
        raise InvalidInput(_("Enter the unit price in yuan, e.g. 180.00."), code="invalid_price")
    if unit_fen > MAX_BILL_FEN:
        raise InvalidInput(_("The amount is too large for one bill."))
    return unit_fen


def _line(*, clinic, draft: LineDraft, actor, position: int, now, catalogue=None) -> BillLine:
    """A new line from the catalogue (not saved)."""
    item = _item(clinic=clinic, kind=draft.kind, code=draft.item_code, catalogue=catalogue)
    quantity = _quantity(draft.quantity)
    unit_fen = _unit_fen(item.price_fen if draft.unit_fen is None else draft.unit_fen)
    if unit_fen * quantity > MAX_BILL_FEN:
        raise InvalidInput(_("The amount is too large for one bill."))
    return BillLine(
        position=position,
        kind=draft.kind,
        item_code=item.code,
        description=(draft.description.strip() or item.display_name)[:120],
        unit=getattr(item, "unit", "") or "",
        quantity=quantity,
        unit_fen=unit_fen,
        total_fen=unit_fen * quantity,
        added_by=actor,
        created_at=now,
    )


def _line_details(line: BillLine) -> dict:
    return {
        "kind": line.kind,
        "item": line.item_code,
        "quantity": line.quantity,
        "unit_fen": line.unit_fen,
        "total_fen": line.total_fen,
    }


def bill_create(
    *,
    actor,
    clinic,
    payer,
    amount_fen: int | None = None,
    description: str = "",
    service=None,
    appointment=None,
    lines: Sequence[LineDraft] = (),
) -> PaymentIntent:
    """A bill for ``payer``, of ``lines`` from the clinic's catalogue, or of one line of
    ``amount_fen`` for ``service`` (the clinic's; a free-text line without one).
    ``appointment`` (booking's, at this clinic) is the visit it charges for."""
    description = description.strip()
    lines = list(lines)
    if not lines and amount_fen is None:
        raise InvalidInput(_("A bill needs at least one line."), code="no_lines")
    if len(lines) > MAX_LINES:
        raise InvalidInput(_("A bill has at most %(most)s lines.") % {"most": MAX_LINES})
    if not description and service is not None:
        description = service.name
    catalogue = _catalogue(clinic) if lines else None
    if not description and lines:
        first = _item(
            clinic=clinic, kind=lines[0].kind, code=lines[0].item_code, catalogue=catalogue
        )
        description = first.name
    if not description:
        raise InvalidInput(_("Say what the bill is for."))
    if amount_fen is not None and amount_fen > MAX_BILL_FEN:
        raise InvalidInput(_("The amount is too large for one bill."))
    if service is not None and service.clinic_id != clinic.pk:
        raise InvalidInput(_("Choose a treatment of this clinic."))
    if appointment is not None and appointment.clinic_id != clinic.pk:
        raise InvalidInput(_("This visit was at another clinic."))
    now = timezone.now()
    if lines:
        built = [
            _line(clinic=clinic, draft=draft, actor=actor, position=i, now=now, catalogue=catalogue)
            for i, draft in enumerate(lines, start=1)
        ]
    else:
        built = [
            BillLine(
                position=1,
                kind=LineKind.SERVICE,
                item_code=service.code if service is not None else "",
                description=description[:120],
                quantity=1,
                unit_fen=amount_fen,
                total_fen=amount_fen,
                added_by=actor,
                created_at=now,
            )
        ]
    list_fen = sum(line.total_fen for line in built)
    if list_fen <= 0:
        raise InvalidInput(_("Enter the amount in yuan, e.g. 199.00."))
    if list_fen > MAX_BILL_FEN:
        raise InvalidInput(_("The amount is too large for one bill."))
    first_service = next((line for line in built if line.kind == LineKind.SERVICE), None)
    with transaction.atomic():
        bill = Bill.objects.create(
            clinic=clinic,
            payer=payer,
            created_by=actor,
            description=description[:120],
            service_code=first_service.item_code if first_service is not None else "",
            list_fen=list_fen,
            appointment=appointment,
        )
        for line in built:
            line.bill = bill
        BillLine.objects.bulk_create(built)
        intent = intent_create(
            purpose=Purpose.BILL,
            reference=bill.reference,
            amount_fen=list_fen,
            description=bill.description,
            payer=payer,
            clinic=clinic,
            pay_within=timedelta(days=settings.YACHI_BILL_DUE_DAYS),
        )
        audit_record(
            action=AuditAction.BILL_CREATED,
            actor=actor,
            object_type="payment",
            object_id=intent.public_id,
            clinic=clinic,
            details={
                "amount_fen": list_fen,
                "service": bill.service_code,
                "lines": [_line_details(line) for line in built],
                **({"appointment": str(appointment.public_id)} if appointment else {}),
            },
        )
    return intent


def bill_of(intent: PaymentIntent) -> Bill | None:
    if intent.purpose != Purpose.BILL or not intent.reference.startswith(PREFIX):
        return None
    return Bill.objects.filter(public_id=UUID(intent.reference.removeprefix(PREFIX))).first()


def bill_lines(bill: Bill) -> list[BillLine]:
    return list(bill.lines.order_by("position"))


def _quote(lines: Sequence[BillLine]):
    """The lines a coupon may apply to, as growth reads them, with their places among
    ``lines``: treatments only, never materials. A line without a catalogue item fits only
    coupons that apply to anything."""
    from yachi.growth.facade import QuoteLine

    places, quoted = [], []
    for i, line in enumerate(lines):
        if line.kind != LineKind.SERVICE:
            continue
        places.append(i)
        quoted.append(
            QuoteLine(
                kind="service",
                code=line.item_code or "-",
                unit_price_fen=line.unit_fen,
                quantity=line.quantity,
            )
        )
    return places, quoted


def bill_coupons(*, intent: PaymentIntent) -> list:
    """The payer's coupons that would take something off this bill, while it is open."""
    from yachi.growth.facade import coupons_usable

    bill = bill_of(intent)
    if bill is None or bill.coupon_id or not _coupon_allowed(intent):
        return []
    _places, quoted = _quote(bill_lines(bill))
    if not quoted:
        return []
    return [
        d for d in coupons_usable(user=intent.payer, lines=quoted) if d.discount_fen < bill.list_fen
    ]


def _coupon_allowed(intent: PaymentIntent) -> bool:
    # Only before any provider has seen the amount: a started trade keeps its amount,
    # and so does a bill medical insurance has paid part of (its split was of these lines).
    from yachi.payments.shares import has_live_share

    return (
        intent.status == IntentStatus.CREATED and not intent.method and not has_live_share(intent)
    )


def _spread(*, intent: PaymentIntent, bill: Bill, lines: list[BillLine], coupon_id, off: int):
    """Put the coupon's ``off`` on the lines it fits and save every line's share."""
    from yachi.growth.facade import coupon_split

    places, quoted = _quote(lines)
    shares = [0] * len(lines)
    if coupon_id and off:
        for place, share in zip(
            places,
            coupon_split(user=intent.payer, coupon_id=coupon_id, lines=quoted, discount_fen=off),
            strict=True,
        ):
            shares[place] = share
    for line, share in zip(lines, shares, strict=True):
        line.discount_fen = share
    BillLine.objects.bulk_update(lines, ["discount_fen"])


def bill_apply_coupon(*, actor, intent: PaymentIntent, coupon_id) -> PaymentIntent:
    """Take the payer's coupon off the bill: the coupon is held and the amount lowered,
    on the lines it applies to (洁牙7折 on the cleaning line, never on materials).

    The payer does it in the app; the front desk of the bill's clinic at the till, for
    the payer (audited)."""
    from yachi.growth.facade import coupon_hold, coupon_release

    bill = bill_of(intent)
    by_desk = actor.pk != intent.payer_id and actor.is_clinic_staff
    if bill is None or (actor.pk != intent.payer_id and not by_desk):
        raise NotPayable()
    if bill.coupon_id or not _coupon_allowed(intent):
        raise NotPayable(_("A coupon can be used only once, before paying starts."))
    lines = bill_lines(bill)
    _places, quoted = _quote(lines)
    if not quoted:
        raise InvalidInput(
            _("This bill has no treatment a coupon applies to."), code="coupon_not_applicable"
        )
    with transaction.atomic():
        discount = coupon_hold(
            user=intent.payer, coupon_id=coupon_id, lines=quoted, reference=bill.reference
        )
        if discount.discount_fen >= bill.list_fen:
            raise InvalidInput(
                _("This coupon covers the whole bill: please ask at the front desk.")
            )
        lowered = PaymentIntent.objects.filter(
            pk=intent.pk, status=IntentStatus.CREATED, method=""
        ).update(amount_fen=bill.list_fen - discount.discount_fen)
        if not lowered:
            coupon_release(reference=bill.reference)
            raise NotPayable()
        Bill.objects.filter(pk=bill.pk).update(
            discount_fen=discount.discount_fen, coupon_id=discount.coupon_id
        )
        _spread(
            intent=intent,
            bill=bill,
            lines=lines,
            coupon_id=discount.coupon_id,
            off=discount.discount_fen,
        )
        if by_desk:
            _audit_change(
                actor=actor,
                intent=intent,
                details={"coupon": str(discount.coupon_id), "discount_fen": discount.discount_fen},
                amount=bill.list_fen - discount.discount_fen,
            )
    intent.refresh_from_db()
    return intent


def _open_for_change(intent: PaymentIntent) -> tuple[PaymentIntent, Bill]:
    """The bill's intent, locked, while its lines may still change; else refused."""
    bill = bill_of(intent)
    if bill is None:
        raise NotPayable(_("Only a treatment bill has lines."))
    locked = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
    if locked.status != IntentStatus.CREATED:
        raise BillSettled()
    if locked.method:
        raise BillSettled(
            _("Paying this bill has started: its lines stay as they are. Close the payment first.")
        )
    from yachi.payments.shares import has_live_share

    if has_live_share(locked):
        raise BillSettled(
            _(
                "Medical insurance has paid part of this bill: reverse that settlement "
                "before changing its lines."
            )
        )
    return locked, Bill.objects.select_for_update().get(pk=bill.pk)


def _reprice(*, intent: PaymentIntent, bill: Bill) -> int:
    """The bill's total is the sum of its lines less the coupon's shares, and the intent
    asks for it (returned): kept in the transaction that changed a line. A coupon on the
    bill is held again against the new lines (and refused, with the change, if it no longer
    fits)."""
    from yachi.growth.facade import coupon_hold, coupon_release

    lines = bill_lines(bill)
    list_fen = sum(line.total_fen for line in lines)
    if list_fen <= 0:
        raise InvalidInput(_("A bill must come to more than nothing."), code="bill_empty")
    if list_fen > MAX_BILL_FEN:
        raise InvalidInput(_("The amount is too large for one bill."))
    off = 0
    if bill.coupon_id:
        _places, quoted = _quote(lines)
        try:
            if not quoted:
                raise InvalidInput()
            coupon_release(reference=bill.reference)
            off = coupon_hold(
                user=intent.payer,
                coupon_id=bill.coupon_id,
                lines=quoted,
                reference=bill.reference,
            ).discount_fen
        except DomainError:
            raise InvalidInput(
                _("The coupon used on this bill would no longer apply to it."),
                code="coupon_no_longer_applies",
            ) from None
        if off >= list_fen:
            raise InvalidInput(
                _("This coupon covers the whole bill: please ask at the front desk.")
            )
    _spread(intent=intent, bill=bill, lines=lines, coupon_id=bill.coupon_id, off=off)
    first_service = next((line for line in lines if line.kind == LineKind.SERVICE), None)
    Bill.objects.filter(pk=bill.pk).update(
        list_fen=list_fen,
        discount_fen=off,
        service_code=first_service.item_code if first_service is not None else "",
        updated_at=timezone.now(),
    )
    PaymentIntent.objects.filter(pk=intent.pk).update(amount_fen=list_fen - off)
    return list_fen - off


def bill_line_add(
    *,
    actor,
    intent: PaymentIntent,
    kind: str,
    item_code: str,
    quantity: int = 1,
    unit_fen: int | None = None,
    description: str = "",
) -> BillLine:
    """Add a line of the clinic's catalogue to an unpaid bill; the total follows.

    Refused, with nothing changed: a quantity outside 1–999 (``invalid_quantity``), an
    item the clinic does not have (``unknown_item``), a bill paid or being paid
    (``bill_settled``). ``actor`` is the staff member (audited), or None for a flow of the
    system itself."""
    draft = LineDraft(
        kind=kind,
        item_code=item_code,
        quantity=quantity,
        unit_fen=unit_fen,
        description=description,
    )
    with transaction.atomic():
        intent, bill = _open_for_change(intent)
        held = bill.lines.aggregate(count=Count("pk"), last=Max("position"))
        if held["count"] >= MAX_LINES:
            raise InvalidInput(_("A bill has at most %(most)s lines.") % {"most": MAX_LINES})
        line = _line(
            clinic=bill.clinic,
            draft=draft,
            actor=actor,
            position=(held["last"] or 0) + 1,
            now=timezone.now(),
        )
        line.bill = bill
        line.save()
        amount = _reprice(intent=intent, bill=bill)
        _audit_change(
            actor=actor, intent=intent, details={"line_added": _line_details(line)}, amount=amount
        )
    line.refresh_from_db()
    return line


def bill_line_remove(*, actor, intent: PaymentIntent, position: int) -> None:
    """Take a line off an unpaid bill; the last line stays (a bill is for something)."""
    with transaction.atomic():
        intent, bill = _open_for_change(intent)
        line = bill.lines.filter(position=position).first() if isinstance(position, int) else None
        if line is None:
            raise InvalidInput(_("This line is not on the bill."), code="unknown_line")
        if bill.lines.count() == 1:
            raise InvalidInput(
                _("A bill needs at least one line: add another before removing this one."),
                code="last_line",
            )
        details = _line_details(line)
        line.delete()
        amount = _reprice(intent=intent, bill=bill)
        _audit_change(actor=actor, intent=intent, details={"line_removed": details}, amount=amount)


def _audit_change(*, actor, intent: PaymentIntent, details: dict, amount: int) -> None:
    audit_record(
        action=AuditAction.BILL_CHANGED,
        actor=actor,
        object_type="payment",
        object_id=intent.public_id,
        clinic=intent.clinic,
        details={**details, "amount_fen": amount},
    )


def on_paid(intent: PaymentIntent) -> None:
    from yachi.growth.facade import coupon_redeem, points_for_paid_spend

    bill = bill_of(intent)
    if bill is None:
        return
    publish(
        BillPaid(
            bill_reference=bill.reference,
            payer_id=bill.payer_id,
            appointment_id=bill.appointment_id,
        )
    )
    if bill.coupon_id:
        coupon_redeem(reference=bill.reference)
    # Points reward what the patient paid: a bill medical insurance paid whole earns none
    # (insurance's share of a bill paid in part is a payment of its own, and earns none).
    if intent.payer is not None and intent.payer.is_patient and intent.method != Method.INSURANCE:
        points_for_paid_spend(
            user=intent.payer,
            paid_fen=intent.amount_fen,
            idempotency_key=f"{bill.reference}:earned",
            reference=bill.reference,
        )


def on_closed(intent: PaymentIntent) -> None:
    from yachi.growth.facade import coupon_release

    bill = bill_of(intent)
    if bill is not None and bill.coupon_id:
        coupon_release(reference=bill.reference)


def on_refunded(intent: PaymentIntent, refund, full: bool) -> None:
    """Each refund takes back its share of the points the bill earned (a partial refund
    of a third, a third of them); the last one takes the rest."""
    from yachi.growth.facade import points_earned_take_back

    bill = bill_of(intent)
    if bill is None:
        return
    earn_key = f"{bill.reference}:earned"
    points_earned_take_back(
        idempotency_key_of_earn=earn_key,
        idempotency_key=f"{earn_key}:back:{refund.out_refund_no}",
        refunded_fen=intent.amount_fen if full else _refunded_fen(intent),
        paid_fen=intent.amount_fen,
    )


def _refunded_fen(intent: PaymentIntent) -> int:
    """What has gone back to the payer so far (refunds completed, not only asked for)."""
    from yachi.payments.choices import RefundStatus

    return sum(
        intent.refunds.filter(status=RefundStatus.SUCCEEDED).values_list("amount_fen", flat=True)
    )

"""A place Redis granted, written in one round trip to PostgreSQL (ADR 0035).

The order, its line, the reservation, the payment intent (its row from payments) and the
place taken from the sale's ``remaining`` go in one statement: data-modifying ``WITH``
parts, each an ``INSERT`` of a prepared tuple, and the sale's ``UPDATE`` last. One
statement is atomic on its own, so no ``BEGIN`` and no ``COMMIT`` round trip either:
it commits whole or not at all.

The update still takes the place only while ``remaining > 0``, the sale is active and
in its window; otherwise it sets ``remaining`` to −1, which the sale's check constraint
refuses, and the refusal undoes the whole statement, the inserts with it. It depends on
the reservation's and the intent's rows, so it runs after them: as in every other
writer of places, the buyer's slot (the partial unique constraint on sale, buyer and
slot) is claimed before the sale's row is locked, and that row stays locked only for the
rest of the one statement. Two statements for the same slot cannot both commit.

SQLite has no data-modifying ``WITH``: there the same rows go in one plain transaction,
five statements, and the conditional update's row count says whether the place was
taken.
"""

import functools
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yachi.core.rows import Insert
from yachi.payments.facade import IntentRow, Purpose, intent_row
from yachi.shop.choices import OrderKind, OrderStatus, ReservationStatus
from yachi.shop.flash.models import FlashReservation, FlashSale
from yachi.shop.models import Order, OrderLine

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# The sale's check constraint that refuses a place the update could not take.
REMAINING_IN_RANGE = "flash_sale_remaining_in_range"

_ORDERS = Insert(
    Order,
    given=(
        "public_id",
        "created_at",
        "updated_at",
        "number",
        "buyer_id",
        "clinic_id",
        "kind",
        "status",
        "subtotal_fen",
        "total_fen",
    ),
)
_LINES = Insert(OrderLine, given=("order_id", "sku_id", "name", "unit_price_fen", "quantity"))
_PLACES = Insert(
    FlashReservation,
    given=(
        "public_id",
        "created_at",
        "updated_at",
        "sale_id",
        "buyer_id",
        "slot",
        "token",
        "order_id",
        "status",
    ),
)
_NEW_ORDER = {"order_id": "(SELECT id FROM new_order)"}

_TAKE_OR_REFUSE = (
    'UPDATE "shop_flashsale" SET "remaining" = CASE WHEN "remaining" > 0 AND "is_active"'
    ' AND "starts_at" <= %s AND "ends_at" > %s THEN "remaining" - 1 ELSE -1 END,'
    ' "updated_at" = %s'
    ' WHERE "id" = %s AND EXISTS (SELECT 1 FROM place) AND EXISTS (SELECT 1 FROM intent)'
)
_TAKE = (
    'UPDATE "shop_flashsale" SET "remaining" = "remaining" - 1, "updated_at" = %s'
    ' WHERE "id" = %s AND "remaining" > 0 AND "is_active" AND "starts_at" <= %s'
    ' AND "ends_at" > %s'
)


class NotTaken(Exception):
    """The sale's row refused the place: paused, ended or sold out in the database."""


@dataclass(frozen=True)
class Written:
    order_id: int
    reservation_id: int
    intent_id: int


def order_number() -> str:
    """``FS`` + local date and time + 10 random characters."""
    stamp = timezone.localtime().strftime("%y%m%d%H%M%S")
    # One read of the system's randomness for all ten: 256 is a multiple of the
    # alphabet's 32 characters, so each is as likely as with secrets.choice.
    return "FS" + stamp + "".join(_ALPHABET[byte % 32] for byte in secrets.token_bytes(10))


def place_granted(
    *, sale: FlashSale, buyer, token: str, slot: int, now: datetime
) -> FlashReservation:
    """Write the place Redis granted at ``now`` in slot ``slot``, with its order and
    payment intent. Raises ``NotTaken`` when the sale's row refuses the place and
    ``IntegrityError`` when the token or the slot is taken already; either way nothing
    was written."""
    stamp = timezone.now()
    order = {
        "public_id": uuid.uuid4(),
        "created_at": stamp,
        "updated_at": stamp,
        "number": order_number(),
        "buyer_id": buyer.pk,
        "clinic_id": sale.clinic_id,
        "kind": OrderKind.FLASH_SALE,
        "status": OrderStatus.AWAITING_PAYMENT,
        "subtotal_fen": sale.price_fen,
        "total_fen": sale.price_fen,
    }
    line = {
        "order_id": None,
        "sku_id": sale.sku_id,
        "name": sale.title,
        "unit_price_fen": sale.price_fen,
        "quantity": 1,
    }
    place = {
        "public_id": uuid.uuid4(),
        "created_at": stamp,
        "updated_at": stamp,
        "sale_id": sale.pk,
        "buyer_id": buyer.pk,
        "slot": slot,
        "token": token,
        "order_id": None,
        "status": ReservationStatus.RESERVED,
    }
    intent = intent_row(
        connection=connection,
        purpose=Purpose.SHOP_ORDER,
        reference=f"shop.order:{order['public_id']}",
        amount_fen=sale.price_fen,
        description=sale.title,
        payer_id=buyer.pk,
        clinic_id=sale.clinic_id,
        pay_within=timedelta(minutes=sale.payment_window_minutes),
        now=stamp,
    )
    if connection.vendor == "postgresql":
        written = _in_one_statement(order, line, place, intent, sale_id=sale.pk, now=now)
    else:
        written = _in_one_transaction(order, line, place, intent, sale_id=sale.pk, now=now)
    return _answer(sale, buyer, order, place, intent, written)


def _in_one_statement(order, line, place, intent: IntentRow, *, sale_id, now) -> Written:
    moment = connection.ops.adapt_datetimefield_value(now)
    leave_out = tuple(_NEW_ORDER)
    sql = _statement(intent.sql)
    params = [
        *_ORDERS.params(connection, order),
        *_LINES.params(connection, line, leave_out=leave_out),
        *_PLACES.params(connection, place, leave_out=leave_out),
        *intent.params,
        moment,
        moment,
        connection.ops.adapt_datetimefield_value(order["updated_at"]),
        sale_id,
    ]
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            order_id, reservation_id, intent_id = cursor.fetchone()
    except IntegrityError as exc:
        if _constraint(exc) == REMAINING_IN_RANGE:
            raise NotTaken() from exc
        raise
    return Written(order_id, reservation_id, intent_id)


@functools.cache
def _statement(intent_sql: str) -> str:
    # Every part is made from the models' own names and defaults, never from data.
    parts = [
        f"new_order AS ({_ORDERS.sql(connection, returning='id')})",
        f"line AS ({_LINES.sql(connection, expressions=_NEW_ORDER)})",
        f"place AS ({_PLACES.sql(connection, expressions=_NEW_ORDER, returning='id')})",
        f"intent AS ({intent_sql})",
        f"taken AS ({_TAKE_OR_REFUSE})",
    ]
    answer = "SELECT (SELECT id FROM new_order), (SELECT id FROM place), (SELECT id FROM intent)"
    return "WITH " + ", ".join(parts) + " " + answer


def _in_one_transaction(order, line, place, intent: IntentRow, *, sale_id, now) -> Written:
    moment = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_ORDERS.sql(connection, returning="id"), _ORDERS.params(connection, order))
        order_id = cursor.fetchone()[0]
        line = {**line, "order_id": order_id}
        cursor.execute(_LINES.sql(connection), _LINES.params(connection, line))
        place = {**place, "order_id": order_id}
        cursor.execute(_PLACES.sql(connection, returning="id"), _PLACES.params(connection, place))
        reservation_id = cursor.fetchone()[0]
        cursor.execute(intent.sql, intent.params)
        intent_id = cursor.fetchone()[0]
        # Last, so that the sale's row is locked only until the commit right after.
        stamp = connection.ops.adapt_datetimefield_value(order["updated_at"])
        cursor.execute(_TAKE, [stamp, sale_id, moment, moment])
        if cursor.rowcount != 1:
            raise NotTaken()
    return Written(order_id, reservation_id, intent_id)


def _constraint(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def _answer(sale, buyer, order: dict, place: dict, intent: IntentRow, written) -> FlashReservation:
    """The rows just written, as models, without reading them back."""
    made = _ORDERS.built(connection, order, written.order_id)
    reservation = _PLACES.built(
        connection, {**place, "order_id": written.order_id}, written.reservation_id
    )
    made.buyer = reservation.buyer = buyer
    reservation.sale = sale
    reservation.order = made
    reservation.payment = intent.as_intent(connection, written.intent_id)
    return reservation

"""A new payment intent as a row, for an owner that writes what is to be paid and the
intent paying for it in one statement (the flash-sale reserve, ADR 0035).

Payments keeps its table to itself: the owner gets the statement and its values from
here and runs them where it writes its own rows, in the same statement or transaction
that creates the reference. The row is the one ``intent_create`` inserts — same
checks, same trade number, same window — so every rule of ADR 0015
(one live intent per reference, the ledger untouched until money moves) holds as for
any intent. A clash on the reference fails the owner's statement as a whole.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from yachi.core.errors import InvalidInput
from yachi.core.rows import Insert
from yachi.payments.models import PaymentIntent
from yachi.payments.numbers import new_number

_INSERT = Insert(
    PaymentIntent,
    given=(
        "public_id",
        "created_at",
        "updated_at",
        "purpose",
        "reference",
        "description",
        "clinic_id",
        "payer_id",
        "amount_fen",
        "out_trade_no",
        "expires_at",
    ),
)


@dataclass(frozen=True)
class IntentRow:
    """What the intent will be once the owner's statement ran (``values``, by attname),
    and that statement's part for it: ``sql`` (``INSERT … VALUES (%s, …) RETURNING id``)
    with ``params`` prepared for the connection."""

    values: dict
    sql: str
    params: list = field(repr=False)

    @property
    def public_id(self) -> uuid.UUID:
        return self.values["public_id"]

    def as_intent(self, connection, pk: int) -> PaymentIntent:
        """The intent the statement inserted with key ``pk``, without reading it back."""
        return _INSERT.built(connection, self.values, pk)


def intent_row(
    *,
    connection,
    purpose: str,
    reference: str,
    amount_fen: int,
    description: str,
    payer_id: int | None,
    clinic_id: int | None,
    pay_within: timedelta,
    now: datetime,
) -> IntentRow:
    """The row of a new intent for ``reference``, which the caller creates in the same
    statement or transaction (so no live intent can hold it yet)."""
    if amount_fen <= 0:
        raise InvalidInput(_("The amount must be more than zero."))
    values = {
        "public_id": uuid.uuid4(),
        "created_at": now,
        "updated_at": now,
        "purpose": purpose,
        "reference": reference,
        "description": description[:120],
        "clinic_id": clinic_id,
        "payer_id": payer_id,
        "amount_fen": amount_fen,
        "out_trade_no": new_number("YC"),
        "expires_at": now + pay_within,
    }
    return IntentRow(
        values=values,
        sql=_INSERT.sql(connection, returning='"id"'),
        params=_INSERT.params(connection, values),
    )

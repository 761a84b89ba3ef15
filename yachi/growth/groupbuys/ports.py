"""What group-buys need of the contexts above growth, offered to them by registration.

Growth stands below payments and booking (docs/architecture.md), so it cannot call them:
payments registers the money (``register_group_buy_payments``: asking for a member's
payment, sending it back, closing it unpaid) and booking the service vouchers
(``register_group_buy_vouchers``), each in its ``AppConfig.ready`` (ADR 0048). Payments
also registers group-buys' handlers (``handlers``) as the owner of their payments.
"""

from collections.abc import Callable
from dataclasses import dataclass

from yachi.growth.groupbuys.errors import PaymentsUnavailable


@dataclass(frozen=True)
class Payments:
    # (*, reference, amount_fen, description, payer, clinic, pay_within) -> the intent
    intent_create: Callable
    # (reference) -> the live intent of that reference, or None
    intent_of: Callable
    # (*, intent, reason, key) -> None: the whole amount back to the payer, once per key
    refund: Callable
    # (*, intent, reason) -> bool: close an unpaid intent (its owner hears on_closed)
    close: Callable


@dataclass(frozen=True)
class Vouchers:
    # (*, source, owner, service, title, paid_fen, valid_until) -> the voucher (once per source)
    issue: Callable
    # (*, source) -> None: the money for source went back; an unused voucher is refunded
    withdraw: Callable


_payments: list[Payments] = []
_vouchers: list[Vouchers] = []


def register_group_buy_payments(port: Payments) -> None:
    _payments[:] = [port]


def register_group_buy_vouchers(port: Vouchers) -> None:
    _vouchers[:] = [port]


def payments() -> Payments:
    if not _payments:
        raise PaymentsUnavailable()
    return _payments[0]


def vouchers() -> Vouchers | None:
    return _vouchers[0] if _vouchers else None

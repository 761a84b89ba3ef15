"""How the owner of a paid thing hears about its payment.

Each purpose has one owner (the mall for orders, booking for deposits) that registers
its handlers when its app loads. They run inside the payments transaction, so an order
and its payment change state together, and they must be idempotent: a sweep calls
``on_paid`` again for payments that were not yet settled.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    # Acts on a payment; raises CannotFulfil when the thing is gone (slot lost, order
    # closed), which refunds and compensates the payer.
    on_paid: Callable
    # The intent closed unpaid: give back stock, places, coupons and points.
    on_closed: Callable
    # Money went back (``full`` when nothing is left); optional.
    on_refunded: Callable | None
    # Where the payer sees what they paid for: ``(label, path)`` or None; optional.
    link: Callable | None = None


_owners: dict[str, Owner] = {}


def register(purpose: str, *, on_paid, on_closed, on_refunded=None, link=None) -> None:
    _owners[purpose] = Owner(
        on_paid=on_paid, on_closed=on_closed, on_refunded=on_refunded, link=link
    )


def owner_of(purpose: str) -> Owner | None:
    return _owners.get(purpose)


def owner_link(intent) -> tuple[str, str] | None:
    """The page of what ``intent`` pays for, as its owner names it (a mall order…)."""
    owner = _owners.get(intent.purpose)
    return owner.link(intent) if owner is not None and owner.link is not None else None


# Contexts that follow every refund of any purpose (financing reverses the invoice):
# ``listener(intent, refund)`` runs inside the refund's transaction, once per refund.
_refund_listeners: dict[str, Callable] = {}


def register_refund_listener(listener: Callable) -> None:
    _refund_listeners[f"{listener.__module__}.{listener.__qualname__}"] = listener


def refund_listeners() -> list[Callable]:
    return list(_refund_listeners.values())

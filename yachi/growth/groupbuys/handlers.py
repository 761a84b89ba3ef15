"""Group-buys as the owner of their members' payments.

Payments registers these for ``Purpose.GROUP_BUY`` (growth stands beneath payments and
cannot register itself; ADR 0048). They run inside payments' transaction and are
idempotent: each moves a member by a conditional update from the status it expects.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from yachi.growth.groupbuys import services
from yachi.growth.groupbuys.models import GroupMember
from yachi.growth.groupbuys.services import PlaceLost

PREFIX = "growth.group_member:"


def on_paid(intent) -> None:
    """Raises ``PlaceLost`` for a payment of a place no longer held (payments refunds)."""
    services.member_paid(reference=intent.reference, paid_at=intent.paid_at)


def on_closed(intent) -> None:
    services.member_payment_closed(reference=intent.reference)


def on_refunded(intent, refund, full: bool) -> None:
    if full:
        services.member_refunded(reference=intent.reference)


def link(intent) -> tuple[str, str] | None:
    """From the payment back to the group it is a place of."""
    from yachi.core.models import as_public_id

    if not intent.reference.startswith(PREFIX):
        return None
    public_id = as_public_id(intent.reference[len(PREFIX) :])
    member = (
        GroupMember.objects.select_related("group").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if member is None:
        return None
    return (_("View the group"), reverse("web:group", args=[member.group.public_id]))


__all__ = ["PlaceLost", "link", "on_closed", "on_paid", "on_refunded"]

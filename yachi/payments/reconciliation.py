"""Daily reconciliation: our ledger against each provider's record of the same trades.

Every intent of the day that went to a provider is queried. Where the provider holds a
payment we had not recorded (a lost callback) the payment is recorded now; every
difference is kept in the report and logged, for people to look at.
"""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from yachi.payments.choices import IntentStatus
from yachi.payments.models import PaymentIntent, Reconciliation
from yachi.payments.providers.base import ProviderUnavailable

logger = logging.getLogger(__name__)

# Our status and the provider's trade states that agree with it.
AGREES = {
    IntentStatus.CREATED: {"unpaid", "not_found", "closed"},
    IntentStatus.CLOSED: {"unpaid", "not_found", "closed"},
    IntentStatus.PAID: {"paid", "refunded"},
    IntentStatus.REFUNDED: {"refunded", "closed"},
}


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def reconcile(*, day: date, method: str) -> Reconciliation:
    from yachi.payments.gateway import _apply_paid, provider_for

    provider = provider_for(method)
    start, end = _day_bounds(day)
    intents = PaymentIntent.objects.filter(method=method, created_at__gte=start, created_at__lt=end)
    mismatches = []
    checked = 0
    for intent in intents.order_by("pk"):
        try:
            trade = provider.query(intent.out_trade_no)
        except ProviderUnavailable as exc:
            mismatches.append(
                {"out_trade_no": intent.out_trade_no, "problem": "unreachable", "detail": str(exc)}
            )
            continue
        checked += 1
        problem = None
        if trade.state not in AGREES[intent.status]:
            problem = "state"
        elif (
            trade.amount_fen is not None
            and trade.state != "not_found"
            and trade.amount_fen != intent.amount_fen
        ):
            problem = "amount"
        if problem is None:
            continue
        entry = {
            "out_trade_no": intent.out_trade_no,
            "problem": problem,
            "ours": intent.status,
            "theirs": trade.state,
            "our_amount_fen": intent.amount_fen,
            "their_amount_fen": trade.amount_fen,
        }
        if problem == "state" and trade.state == "paid" and trade.amount_fen == intent.amount_fen:
            _apply_paid(
                method,
                intent.out_trade_no,
                trade.amount_fen,
                trade.provider_trade_no,
                source="reconciliation",
            )
            entry["repaired"] = True
        mismatches.append(entry)
    report, _ = Reconciliation.objects.update_or_create(
        day=day, provider=method, defaults={"checked": checked, "mismatches": mismatches}
    )
    if mismatches:
        logger.warning("reconciliation %s %s: %d mismatches", day, method, len(mismatches))
    return report

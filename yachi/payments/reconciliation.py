"""Reconciliation (对账): a provider's statement of a day against our ledger.

``reconcile`` downloads the provider's statement (WeChat Pay's trade bill, Alipay's
bill, the simulator's own; ``providers/statements.py`` reads them), compares it with the
ledger's payments and refunds of that day and stores the run with what it found; the
nightly job and the console's "立即对账" call it alike. ``compare`` is the comparison
itself, a pure function of the statement and of our side.

What is found, most important first: a trade in the statement that we never created
(money we cannot account for), one of ours missing from the statement, amounts that
differ, refunds on either side alone. A payment the provider holds for one of our
intents that our ledger lacks (a lost notification) is recorded now, as the provider's
word, and kept among the findings as repaired.

When the statement cannot be had (the provider down, no statement yet, a bad hash),
``StatementNotAvailable`` says why and nothing is stored or changed.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.payments.choices import (
    EntryKind,
    FindingKind,
    IntentStatus,
    ReconciliationStatus,
    RefundStatus,
)
from yachi.payments.errors import StatementNotAvailable
from yachi.payments.models import LedgerEntry, PaymentIntent, Reconciliation, Refund
from yachi.payments.providers.base import ProviderError, ProviderRefused, ProviderUnavailable
from yachi.payments.providers.statements import (
    Statement,
    StatementLine,
    StatementUnavailable,
    StatementUnreadable,
)
from yachi.payments.services import AmountMismatch, payment_received

logger = logging.getLogger(__name__)

# How far back a statement can be asked for (WeChat Pay: three months; Alipay: a year).
STATEMENT_DAYS = 90
# Findings that mean money we cannot account for, shown first and in red.
SERIOUS = frozenset(
    {
        FindingKind.UNKNOWN_TRADE,
        FindingKind.UNKNOWN_REFUND,
        FindingKind.AMOUNT,
        FindingKind.REFUND_AMOUNT,
    }
)


def reconciliation_methods() -> list[str]:
    """The providers whose statements can be had here: those configured, and the
    development simulator when it is on."""
    from yachi.payments.gateway import available_methods

    return available_methods()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class Ours:
    """One of our ledger's payments or refunds, as compared."""

    out_trade_no: str
    amount_fen: int
    out_refund_no: str = ""
    clinic: str = ""
    payment_id: str = ""


@dataclass(frozen=True)
class Known:
    """An intent the statement names, whatever its day: its amount and whether our
    ledger holds its payment."""

    amount_fen: int
    paid: bool
    clinic: str = ""
    payment_id: str = ""


def _finding(kind, *, line: StatementLine | None = None, ours=None, **extra) -> dict:
    finding = {
        "kind": str(kind),
        "out_trade_no": (line.out_trade_no if line else ours.out_trade_no),
        "out_refund_no": (line.out_refund_no if line else getattr(ours, "out_refund_no", "")),
        "provider_trade_no": line.provider_trade_no if line else "",
        "their_fen": line.amount_fen if line else None,
        "our_fen": getattr(ours, "amount_fen", None),
        "at": line.at.isoformat() if line and line.at else "",
        "clinic": getattr(ours, "clinic", ""),
        "payment_id": getattr(ours, "payment_id", ""),
    }
    return finding | extra


def compare(
    statement: Statement,
    *,
    payments: list[Ours],
    refunds: list[Ours],
    known: dict[str, Known],
    refund_states: dict[str, str],
) -> list[dict]:
    """The differences between the statement and our side of the day.

    ``payments`` and ``refunds`` are our ledger's of the day; ``known`` the intents the
    statement names (by trade number, of any day: a payment at 23:59 may be ours of the
    day before); ``refund_states`` our refunds the statement names, by refund number.
    """
    findings = []
    theirs = {line.out_trade_no: line for line in statement.payments}
    for line in statement.payments:
        intent = known.get(line.out_trade_no)
        if intent is None:
            findings.append(_finding(FindingKind.UNKNOWN_TRADE, line=line))
        elif intent.amount_fen != line.amount_fen:
            findings.append(_finding(FindingKind.AMOUNT, line=line, ours=intent))
        elif not intent.paid:
            findings.append(_finding(FindingKind.RECORDED_NOW, line=line, ours=intent))
    for ours in payments:
        if ours.out_trade_no not in theirs:
            findings.append(_finding(FindingKind.NOT_AT_PROVIDER, ours=ours))
    ours_refunds = {ours.out_refund_no: ours for ours in refunds}
    their_refunds = {line.out_refund_no for line in statement.refunds}
    for line in statement.refunds:
        state = refund_states.get(line.out_refund_no)
        ours = ours_refunds.get(line.out_refund_no)
        if state is None:
            findings.append(_finding(FindingKind.UNKNOWN_REFUND, line=line))
        elif ours is not None and ours.amount_fen != line.amount_fen:
            findings.append(_finding(FindingKind.REFUND_AMOUNT, line=line, ours=ours))
        elif state != RefundStatus.SUCCEEDED:
            findings.append(_finding(FindingKind.REFUND_UNFINISHED, line=line, state=state))
    for ours in refunds:
        if ours.out_refund_no not in their_refunds:
            findings.append(_finding(FindingKind.REFUND_NOT_AT_PROVIDER, ours=ours))
    return findings


def _ours(entry: LedgerEntry) -> Ours:
    intent = entry.intent
    return Ours(
        out_trade_no=intent.out_trade_no,
        amount_fen=abs(entry.amount_fen),
        out_refund_no=entry.key.removeprefix("refund:") if entry.kind == EntryKind.REFUND else "",
        clinic=intent.clinic.name if intent.clinic_id else "",
        payment_id=str(intent.public_id),
    )


def _our_side(method: str, day: date):
    start, end = day_bounds(day)
    charges = LedgerEntry.objects.filter(
        kind=EntryKind.CHARGE, method=method, intent__paid_at__gte=start, intent__paid_at__lt=end
    ).select_related("intent__clinic")
    refunds = LedgerEntry.objects.filter(
        kind=EntryKind.REFUND, method=method, created_at__gte=start, created_at__lt=end
    ).select_related("intent__clinic")
    return [_ours(e) for e in charges.order_by("pk")], [_ours(e) for e in refunds.order_by("pk")]


def _download(provider, day: date) -> Statement:
    name = provider.name
    try:
        return provider.statement(day)
    except StatementUnavailable as exc:
        logger.info("no %s statement for %s: %s", name, day, exc)
        raise StatementNotAvailable(
            _(
                "There is no statement for %(day)s yet. Providers make a day's statement "
                "the next morning (after 10:00); a day without trades has none."
            )
            % {"day": day.isoformat()},
            code="no_statement",
        ) from None
    except StatementUnreadable as exc:
        logger.error("%s statement for %s unreadable: %s", name, day, exc)
        if exc.code == "bad_hash":
            message = _(
                "The statement downloaded does not match its checksum; it was not used. "
                "Please try again."
            )
        else:
            message = _("The statement downloaded could not be read; it was not used.")
        raise StatementNotAvailable(message, code=exc.code or "unreadable") from None
    except ProviderUnavailable as exc:
        logger.warning("%s statement for %s: %s", name, day, exc)
        raise StatementNotAvailable(
            _("The payment service is not answering. Please try again shortly."),
            code="provider_unavailable",
        ) from None
    except (ProviderRefused, ProviderError) as exc:
        logger.error("%s statement for %s refused: %s", name, day, exc)
        raise StatementNotAvailable(
            _("The payment service refused to give the statement: %(reason)s")
            % {"reason": exc.code or str(exc)[:80]},
            code="refused",
        ) from None


def reconcile_now(*, day: date, method: str, actor) -> Reconciliation:
    """A manager's 立即对账: ``reconcile`` for a day whose statement the provider can
    give (yesterday back to ``STATEMENT_DAYS`` days) and a provider that is set up;
    anything else is refused with nothing changed."""
    today = timezone.localdate()
    if day >= today:
        raise InvalidInput(
            _("A day's statement is made the next morning: choose yesterday or before.")
        )
    if day < today - timedelta(days=STATEMENT_DAYS):
        raise InvalidInput(
            _("Providers keep statements for %(days)s days.") % {"days": STATEMENT_DAYS}
        )
    if method not in reconciliation_methods():
        raise InvalidInput(_("Choose a payment provider that is set up."))
    return reconcile(day=day, method=method, actor=actor)


def reconcile(*, day: date, method: str, actor=None) -> Reconciliation:
    """Download ``method``'s statement of ``day``, compare, repair lost payments, store
    the run (audited). Raises ``StatementNotAvailable`` (nothing changed) or
    ``MethodUnavailable``."""
    from yachi.payments.gateway import provider_for

    statement = _download(provider_for(method), day)
    payments, refunds = _our_side(method, day)
    named = {line.out_trade_no for line in statement.lines}
    intents = PaymentIntent.objects.filter(out_trade_no__in=named).select_related("clinic")
    known = {
        i.out_trade_no: Known(
            amount_fen=i.amount_fen,
            paid=i.status in (IntentStatus.PAID, IntentStatus.REFUNDED),
            clinic=i.clinic.name if i.clinic_id else "",
            payment_id=str(i.public_id),
        )
        for i in intents
    }
    refund_states = dict(
        Refund.objects.filter(
            out_refund_no__in={line.out_refund_no for line in statement.refunds}
        ).values_list("out_refund_no", "status")
    )
    findings = compare(
        statement, payments=payments, refunds=refunds, known=known, refund_states=refund_states
    )
    lines = {line.out_trade_no: line for line in statement.payments}
    for finding in findings:
        if finding["kind"] == FindingKind.RECORDED_NOW:
            line = lines[finding["out_trade_no"]]
            try:
                _, applied = payment_received(
                    method=method,
                    out_trade_no=line.out_trade_no,
                    amount_fen=line.amount_fen,
                    provider_trade_no=line.provider_trade_no,
                    paid_at=line.at,
                    source="reconciliation",
                )
            except (AmountMismatch, PaymentIntent.DoesNotExist):
                applied = False
            finding["repaired"] = applied
    statement_fen = sum(x.amount_fen for x in statement.payments) - sum(
        x.amount_fen for x in statement.refunds
    )
    with transaction.atomic():
        run = Reconciliation.objects.create(
            day=day,
            provider=method,
            status=ReconciliationStatus.DIFFERENCES if findings else ReconciliationStatus.MATCHED,
            ran_by=actor,
            statement_count=len(statement.lines),
            ledger_count=len(payments) + len(refunds),
            statement_fen=statement_fen,
            ledger_fen=sum(p.amount_fen for p in payments) - sum(r.amount_fen for r in refunds),
            findings=findings,
        )
        audit_record(
            action=AuditAction.RECONCILIATION_RUN,
            actor=actor,
            object_type="reconciliation",
            object_id=run.public_id,
            details={
                "provider": method,
                "day": day.isoformat(),
                "findings": len(findings),
                "unknown_trades": sum(
                    1 for f in findings if f["kind"] == FindingKind.UNKNOWN_TRADE
                ),
            },
        )
    if findings:
        logger.warning("reconciliation %s %s: %d differences", day, method, len(findings))
    return run

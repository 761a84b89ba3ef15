"""Reads of payments: intents by their owner's reference, a clinic's intents, one intent's
history, reconciliation runs."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.payments.choices import IntentStatus, Method
from yachi.payments.models import Bill, CallbackRecord, PaymentIntent, Reconciliation
from yachi.payments.services import balance_fen

LIVE = (IntentStatus.CREATED, IntentStatus.PAID)


def intents_by_reference(references) -> dict[str, PaymentIntent]:
    """For each reference, its live intent (awaiting payment or paid), else the newest
    one; one query for them all."""
    found: dict[str, PaymentIntent] = {}
    for intent in PaymentIntent.objects.filter(reference__in=list(references)).order_by(
        "created_at", "pk"
    ):
        current = found.get(intent.reference)
        if current is None or current.status not in LIVE or intent.status in LIVE:
            found[intent.reference] = intent
    return found


def intent_by_reference(reference: str) -> PaymentIntent | None:
    return intents_by_reference([reference]).get(reference)


def intent_statuses_by_reference(references) -> dict[str, set[str]]:
    """For each reference, the statuses of all its intents; one query for them all."""
    statuses: dict[str, set[str]] = {}
    for reference, status in PaymentIntent.objects.filter(
        reference__in=list(references)
    ).values_list("reference", "status"):
        statuses.setdefault(reference, set()).add(status)
    return statuses


def clinic_payments(*, clinic, status: str = "") -> QuerySet[PaymentIntent]:
    """The clinic's intents, newest first, with their payers; ``status`` narrows when valid."""
    intents = PaymentIntent.objects.filter(clinic=clinic).select_related("payer")
    if status in IntentStatus.values:
        intents = intents.filter(status=status)
    return intents


@dataclass(frozen=True)
class PaymentHistory:
    entries: QuerySet
    refunds: QuerySet
    callbacks: QuerySet
    balance_fen: int


def payment_history(*, intent: PaymentIntent, callbacks: int = 20) -> PaymentHistory:
    """What happened to one intent: its ledger entries, refunds, the last provider callbacks."""
    return PaymentHistory(
        entries=intent.entries.select_related("recorded_by"),
        refunds=intent.refunds.all(),
        callbacks=CallbackRecord.objects.filter(out_trade_no=intent.out_trade_no)[:callbacks],
        balance_fen=balance_fen(intent),
    )


def reconciliation_runs(*, limit: int = 60) -> QuerySet[Reconciliation]:
    """The latest reconciliation runs, newest first, with who ran them."""
    return Reconciliation.objects.select_related("ran_by")[:limit]


def reconciliation_run_by_id(run_id) -> Reconciliation:
    public_id = as_public_id(run_id)
    run = (
        public_id
        and Reconciliation.objects.select_related("ran_by").filter(public_id=public_id).first()
    )
    if not run:
        raise NotFound()
    return run


def payments_of_payer(*, payer, with_clinic: bool = False, limit: int = 100):
    """The payer's intents, newest first (the last ``limit``)."""
    intents = PaymentIntent.objects.filter(payer=payer)
    if with_clinic:
        intents = intents.select_related("clinic")
    return intents[:limit]


def simulator_intent(*, payer, out_trade_no: str) -> PaymentIntent | None:
    """The payer's own simulator payment with this trade number, if any."""
    return PaymentIntent.objects.filter(
        out_trade_no=out_trade_no, method=Method.SIMULATOR, payer=payer
    ).first()


def unpaid_of_payer(*, payer, clinic_ids: set[int] | None) -> list[PaymentIntent]:
    """What the payer still owes at these clinics (every clinic for ``None``), oldest first."""
    unpaid = PaymentIntent.objects.filter(
        payer=payer, status=IntentStatus.CREATED, expires_at__gt=timezone.now()
    ).select_related("clinic")
    if clinic_ids is not None:
        unpaid = unpaid.filter(clinic_id__in=clinic_ids)
    return list(unpaid.order_by("created_at")[:50])


def _visible_to(viewer, queryset):
    """What the viewer's clinics charged (every clinic's for chain-wide staff)."""
    if not viewer.is_clinic_staff:
        return queryset.none()
    mine = clinics.staff_clinic_ids(viewer)
    return queryset if mine is None else queryset.filter(clinic_id__in=mine)


def _numbered(intent: PaymentIntent) -> str:
    return f"{intent.out_trade_no} · {intent.description}"


def payment_labels(viewer, ids) -> dict[str, str]:
    """Payments by their number and what they are for, where the viewer may see them."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    intents = _visible_to(viewer, PaymentIntent.objects.filter(public_id__in=public_ids))
    return {str(intent.public_id): _numbered(intent) for intent in intents}


def bill_labels(viewer, ids) -> dict[str, str]:
    """Bills (the points ledger's ``payments.bill:<id>``) by their number."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    bills = _visible_to(viewer, Bill.objects.filter(public_id__in=public_ids))
    references = {bill.reference: str(bill.public_id) for bill in bills}
    intents = intents_by_reference(references)
    return {references[reference]: _numbered(intent) for reference, intent in intents.items()}


@dataclass(frozen=True)
class BillRow:
    """One treatment bill as a plain row, for reports and patient tags."""

    clinic_id: int
    payer_id: int
    appointment_id: int | None
    description: str
    list_fen: int
    discount_fen: int
    billed_at: object
    status: str  # its intent's: created (awaiting payment), paid, refunded, closed
    paid_at: object
    amount_fen: int
    refunded_fen: int


def bill_rows(*, payer_ids=None) -> list[BillRow]:
    """Every treatment bill (of these payers, or of everyone for ``None``) with its live
    intent's state: two queries whatever their number."""
    bills = Bill.objects.order_by("created_at", "pk")
    if payer_ids is not None:
        bills = bills.filter(payer_id__in=list(payer_ids))
    bills = list(
        bills.values_list(
            "public_id",
            "clinic_id",
            "payer_id",
            "appointment_id",
            "description",
            "list_fen",
            "discount_fen",
            "created_at",
        )
    )
    intents = PaymentIntent.objects.filter(reference__startswith="payments.bill:")
    if payer_ids is not None:
        intents = intents.filter(payer_id__in=list(payer_ids))
    found: dict[str, tuple] = {}
    for reference, status, paid_at, amount_fen, refunded_fen in intents.order_by(
        "created_at", "pk"
    ).values_list("reference", "status", "paid_at", "amount_fen", "refunded_fen"):
        current = found.get(reference)
        if current is None or current[0] not in LIVE or status in LIVE:
            found[reference] = (status, paid_at, amount_fen, refunded_fen)
    rows = []
    for (
        public_id,
        clinic_id,
        payer_id,
        appointment_id,
        description,
        list_fen,
        discount,
        at,
    ) in bills:
        intent = found.get(f"payments.bill:{public_id}")
        if intent is None:
            continue
        status, paid_at, amount_fen, refunded_fen = intent
        rows.append(
            BillRow(
                clinic_id=clinic_id,
                payer_id=payer_id,
                appointment_id=appointment_id,
                description=description,
                list_fen=list_fen,
                discount_fen=discount,
                billed_at=at,
                status=status,
                paid_at=paid_at,
                amount_fen=amount_fen,
                refunded_fen=refunded_fen,
            )
        )
    return rows


def spend_by_payers(*, user_ids, since=None, clinic_ids=None) -> dict[int, int]:
    """What each of these people paid (fen, refunds taken off), in one query: since
    ``since`` when given, at ``clinic_ids`` when given. Whoever paid nothing is absent."""
    from django.db.models import F, Sum

    paid = PaymentIntent.objects.filter(
        payer_id__in=list(user_ids),
        status__in=(IntentStatus.PAID, IntentStatus.REFUNDED),
        paid_at__isnull=False,
    )
    if since is not None:
        paid = paid.filter(paid_at__gte=since)
    if clinic_ids is not None:
        paid = paid.filter(clinic_id__in=list(clinic_ids))
    rows = paid.values("payer_id").annotate(total=Sum(F("amount_fen") - F("refunded_fen")))
    return {row["payer_id"]: int(row["total"] or 0) for row in rows}

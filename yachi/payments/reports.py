"""What the managers' dashboards read of money (CRM, ADR 0053): the ledger's movements
in a time range, per intent, with what each bill was for. The figures are sums of the
ledger itself (charges positive, refunds negative), so a dashboard agrees with it to the
fen. Two queries whatever the number of payments."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Q, Sum

from yachi.core.models import as_public_id
from yachi.payments.bills import PREFIX as BILL_PREFIX
from yachi.payments.choices import EntryKind
from yachi.payments.models import Bill, LedgerEntry


@dataclass(frozen=True)
class MoneyRow:
    """One intent's money that moved in the range."""

    intent_public_id: str
    out_trade_no: str
    clinic_id: int
    purpose: str
    reference: str
    description: str
    payer_id: int | None
    charged_fen: int  # payments received in the range
    refunded_fen: int  # refunds paid out in the range (a positive amount)
    first_at: datetime  # the first movement in the range
    service_code: str = ""  # a bill's treatment
    appointment_id: int | None = None  # the visit a bill charges for
    coupon_used: bool = False  # a bill paid with a coupon

    @property
    def net_fen(self) -> int:
        return self.charged_fen - self.refunded_fen


def money_between(*, clinic_ids: Iterable[int], start: datetime, end: datetime) -> list[MoneyRow]:
    """The ledger's movements in ``[start, end)`` for intents of these clinics, one row
    per intent; bills with their treatment, visit and coupon."""
    rows = (
        LedgerEntry.objects.filter(
            intent__clinic_id__in=list(clinic_ids), created_at__gte=start, created_at__lt=end
        )
        .values(
            "intent__public_id",
            "intent__out_trade_no",
            "intent__clinic_id",
            "intent__purpose",
            "intent__reference",
            "intent__description",
            "intent__payer_id",
        )
        .annotate(
            charged=Sum("amount_fen", filter=Q(kind=EntryKind.CHARGE)),
            refunded=Sum("amount_fen", filter=Q(kind=EntryKind.REFUND)),
            first=Min("created_at"),
        )
        .order_by()
    )
    items = list(rows)
    bill_ids = [
        as_public_id(item["intent__reference"].removeprefix(BILL_PREFIX))
        for item in items
        if item["intent__reference"].startswith(BILL_PREFIX)
    ]
    bills = {
        public_id: (code, appointment_id, coupon_id is not None)
        for public_id, code, appointment_id, coupon_id in Bill.objects.filter(
            public_id__in=[b for b in bill_ids if b is not None]
        )
        .order_by()
        .values_list("public_id", "service_code", "appointment_id", "coupon_id")
    }
    result = []
    for item in items:
        reference = item["intent__reference"]
        bill = (
            bills.get(as_public_id(reference.removeprefix(BILL_PREFIX)))
            if reference.startswith(BILL_PREFIX)
            else None
        )
        code, appointment_id, coupon_used = bill or ("", None, False)
        result.append(
            MoneyRow(
                intent_public_id=str(item["intent__public_id"]),
                out_trade_no=item["intent__out_trade_no"],
                clinic_id=item["intent__clinic_id"],
                purpose=item["intent__purpose"],
                reference=reference,
                description=item["intent__description"],
                payer_id=item["intent__payer_id"],
                charged_fen=item["charged"] or 0,
                refunded_fen=-(item["refunded"] or 0),
                first_at=item["first"],
                service_code=code,
                appointment_id=appointment_id,
                coupon_used=coupon_used,
            )
        )
    return result

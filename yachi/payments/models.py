"""Payment intents, the money ledger, refunds and what providers told us.

An intent is one amount someone owes for one thing (``reference`` names it, e.g.
``shop.order:<uuid>``). Money that actually moved is only ever in ``LedgerEntry``
rows: a charge when a payment arrives, a negative refund when money goes back. The
database refuses edits of entries, and every entry has a unique key, so a callback
delivered five times writes one charge.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.payments.choices import (
    CallbackOutcome,
    EntryKind,
    IntentStatus,
    LineKind,
    Method,
    Purpose,
    ReconciliationStatus,
    RefundStatus,
)


class PaymentIntent(BaseModel):
    purpose = models.CharField(_("for"), max_length=16, choices=Purpose.choices)
    reference = models.CharField(_("reference"), max_length=80)
    description = models.CharField(_("description"), max_length=120)
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    payer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="payment_intents", null=True
    )
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    refunded_fen = models.PositiveIntegerField(_("refunded (fen)"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=IntentStatus.choices, default=IntentStatus.CREATED
    )
    method = models.CharField(_("paid with"), max_length=12, choices=Method.choices, blank=True)
    # Our trade number, sent to the provider: what makes a retried call safe there.
    out_trade_no = models.CharField(max_length=32, unique=True)
    provider_trade_no = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(_("pay by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set once the owner of ``reference`` has acted on the payment (order marked paid,
    # appointment confirmed) or the money was sent back; a sweep retries the rest.
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["reference"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="intent_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_fen__lte=F("amount_fen")), name="intent_refund_within_amount"
            ),
            # One live intent per thing to pay: two intents for one order could both be paid.
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(status__in=[IntentStatus.CREATED, IntentStatus.PAID]),
                name="intent_one_live_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.out_trade_no} {self.description}"

    @property
    def refundable_fen(self) -> int:
        return self.amount_fen - self.refunded_fen if self.status == IntentStatus.PAID else 0


class LedgerEntry(models.Model):
    """One movement of money. Append-only (migration 0002); balances are sums."""

    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=8, choices=EntryKind.choices)
    # Signed: charges are positive, refunds negative.
    amount_fen = models.IntegerField()
    method = models.CharField(max_length=12, choices=Method.choices)
    key = models.CharField(max_length=80, unique=True)
    provider_reference = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Cash handed over at the desk for a charge in cash; the change given is the rest.
    tendered_fen = models.PositiveIntegerField(_("cash received (fen)"), null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EntryKind.CHARGE, amount_fen__gt=0))
                | Q(kind=EntryKind.REFUND, amount_fen__lt=0),
                name="ledger_sign_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_fen}"

    @property
    def change_fen(self) -> int | None:
        return None if self.tendered_fen is None else self.tendered_fen - self.amount_fen


class Refund(BaseModel):
    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="refunds")
    out_refund_no = models.CharField(max_length=32, unique=True)
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    reason = models.CharField(_("reason"), max_length=80)
    status = models.CharField(
        _("status"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    provider_refund_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A refund above YACHI_REFUND_APPROVAL_ABOVE_FEN waits for a manager: who decided, when.
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return self.out_refund_no


class CallbackRecord(models.Model):
    """Every notification a provider sent, accepted or not, for the record."""

    provider = models.CharField(max_length=12, choices=Method.choices)
    notification_id = models.CharField(max_length=80, blank=True)
    out_trade_no = models.CharField(max_length=32, blank=True, db_index=True)
    outcome = models.CharField(max_length=16, choices=CallbackOutcome.choices)
    detail = models.CharField(max_length=200, blank=True)
    body_sha256 = models.CharField(max_length=64)
    remote_addr = models.CharField(max_length=45, blank=True)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.outcome} {self.out_trade_no}"


class Reconciliation(BaseModel):
    """One run comparing a provider's statement of a day (对账单) with our ledger.

    Runs are kept: the nightly job's and every one a manager starts from the console
    (``ran_by``), newest first. ``findings`` are the differences, each a dict with its
    ``kind`` (``FindingKind``), the trade and refund numbers, both amounts in fen, the
    clinic and payment it concerns when it is ours, and ``repaired`` when a payment the
    provider holds was recorded by this run.
    """

    day = models.DateField(_("day"))
    provider = models.CharField(_("provider"), max_length=12, choices=Method.choices)
    status = models.CharField(_("status"), max_length=12, choices=ReconciliationStatus.choices)
    ran_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    statement_count = models.PositiveIntegerField(_("lines in the statement"), default=0)
    ledger_count = models.PositiveIntegerField(_("entries in our ledger"), default=0)
    # Net of the day (payments less refunds), as the statement and as our ledger have it.
    statement_fen = models.BigIntegerField(default=0)
    ledger_fen = models.BigIntegerField(default=0)
    findings = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["day", "provider"])]

    def __str__(self) -> str:
        return f"{self.day} {self.provider}: {len(self.findings)}"


class Bill(BaseModel):
    """A treatment bill: what the clinic charges for a visit, paid through an intent.

    Its lines say what for (``BillLine``). ``list_fen`` is the sum of the lines' amounts
    and ``discount_fen`` of their coupon shares; the intent asks for ``list_fen -
    discount_fen``. ``bills.py`` keeps the three together in each transaction that
    changes a line. ``service_code`` names the visit's treatment (the first line's).
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="bills")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=120)
    service_code = models.CharField(_("treatment"), max_length=32, blank=True)
    list_fen = models.PositiveIntegerField(_("amount (fen)"))
    discount_fen = models.PositiveIntegerField(_("coupon discount (fen)"), default=0)
    coupon_id = models.UUIDField(null=True, blank=True)
    # The visit this bill charges for, when it charges for one: the patient sees the bill
    # and its receipt with that visit. Booking's table, named by label (ADR 0020).
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(list_fen__gt=0), name="bill_amount_positive"),
            models.CheckConstraint(
                condition=Q(discount_fen__lt=F("list_fen")), name="bill_discount_below_amount"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def reference(self) -> str:
        return f"payments.bill:{self.public_id}"


# What one line may count: enough for any real bill, and a typo of 10000 is refused.
MAX_LINE_QUANTITY = 999


class BillLine(models.Model):
    """One line of a bill: a treatment or a material of the clinic's catalogue, how many,
    at what unit price; ``discount_fen`` is the share of the bill's coupon that falls on
    it (a coupon for 洁牙 falls on the cleaning line only)."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=8, choices=LineKind.choices)
    # The catalogue item's code (``clinics.Service.code`` / ``clinics.Material.code``):
    # stable, what coupons and later insurance codes name. Empty on a free-text line.
    item_code = models.CharField(_("item code"), max_length=32, blank=True)
    description = models.CharField(_("description"), max_length=120)
    unit = models.CharField(_("unit"), max_length=8, blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    unit_fen = models.PositiveIntegerField(_("unit price (fen)"))
    total_fen = models.PositiveIntegerField(_("line total (fen)"))
    discount_fen = models.PositiveIntegerField(_("coupon discount (fen)"), default=0)
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["bill", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "position"], name="bill_line_position_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY),
                name="bill_line_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(total_fen=F("unit_fen") * F("quantity")),
                name="bill_line_total_is_unit_times_quantity",
            ),
            models.CheckConstraint(
                condition=Q(discount_fen__lte=F("total_fen")), name="bill_line_discount_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code or self.kind} × {self.quantity}"

    @property
    def amount_fen(self) -> int:
        """What the line costs after its share of the coupon."""
        return self.total_fen - self.discount_fen

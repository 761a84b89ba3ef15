from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Purpose(models.TextChoices):
    DEPOSIT = "deposit", _("Appointment deposit")
    BILL = "bill", _("Treatment bill")
    SHOP_ORDER = "shop_order", _("Mall order")
    GROUP_BUY = "group_buy", _("Group-buy place")
    # What medical insurance paid of a treatment bill (``shares.py``).
    INSURANCE = "insurance", _("Medical-insurance share of a bill")


class IntentStatus(models.TextChoices):
    CREATED = "created", _("Awaiting payment")
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    CLOSED = "closed", _("Closed")


class Method(models.TextChoices):
    WECHATPAY = "wechatpay", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    SIMULATOR = "simulator", _("Payment simulator")
    CASH = "cash", _("Cash")
    CARD = "card", _("Bank card (POS)")
    # The medical-insurance platform (医保): its fund and the insured's personal account.
    INSURANCE = "insurance", _("Medical insurance")


ONLINE_METHODS = (Method.WECHATPAY, Method.ALIPAY, Method.SIMULATOR)
DESK_METHODS = (Method.CASH, Method.CARD)


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Payment received")
    REFUND = "refund", _("Refund paid out")


class RefundStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting", _("Awaiting a manager's approval")
    PENDING = "pending", _("In progress")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Not approved")


class CallbackOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DUPLICATE = "duplicate", _("Already applied")
    BAD_SIGNATURE = "bad_signature", _("Signature not valid")
    MALFORMED = "malformed", _("Not readable")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount does not match")
    UNKNOWN_TRADE = "unknown_trade", _("Unknown trade")
    IGNORED = "ignored", _("Ignored")


class ReconciliationStatus(models.TextChoices):
    MATCHED = "matched", _("Matches")
    DIFFERENCES = "differences", _("Differences found")


class FindingKind(models.TextChoices):
    """What reconciliation found, by how it is told: the first is why it exists."""

    UNKNOWN_TRADE = "unknown_trade", _("A trade we never created")
    NOT_AT_PROVIDER = "not_at_provider", _("Ours, not in the statement")
    AMOUNT = "amount", _("Amounts differ")
    RECORDED_NOW = "recorded_now", _("Paid at the provider, missing from our ledger")
    UNKNOWN_REFUND = "unknown_refund", _("A refund we never made")
    REFUND_NOT_AT_PROVIDER = "refund_not_at_provider", _("Our refund, not in the statement")
    REFUND_AMOUNT = "refund_amount", _("Refund amounts differ")
    REFUND_UNFINISHED = "refund_unfinished", _("Refunded at the provider, unfinished here")


class LineKind(models.TextChoices):
    SERVICE = "service", pgettext_lazy("bill line", "Treatment")
    MATERIAL = "material", pgettext_lazy("bill line", "Material")

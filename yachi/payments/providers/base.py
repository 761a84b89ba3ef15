"""What every online payment provider offers the payments context.

Adapters (WeChat Pay v3, Alipay, the development simulator) turn these calls into their
own protocol. Amounts are integer fen throughout; ``out_trade_no`` and
``out_refund_no`` are our numbers, unique per intent and per refund, and are what makes
a retried call safe on the provider's side.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from yachi.core.dates import moment_in_range
from yachi.core.text import has_control_characters

if TYPE_CHECKING:
    from yachi.payments.providers.statements import Statement


class ProviderError(Exception):
    """Base of what an adapter may raise; ``code`` is the provider's own, if any."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code


class InvalidCallback(ProviderError):
    """A notification that failed verification (signature, timestamp, decryption), or
    that is verified but cannot be read (``code="malformed"``) or is not acted on
    (``code="unsupported_event"``)."""


class ProviderRefused(ProviderError):
    """The provider understood the call and said no; retrying will not help."""


class ProviderUnavailable(ProviderError):
    """Network failure, timeout or a 5xx: the outcome is unknown, retry or query later."""


@dataclass(frozen=True)
class PaymentRequest:
    out_trade_no: str
    amount_fen: int
    description: str
    # wechatpay: "jsapi" (mini-program, needs payer_openid) or "h5" (mobile browser,
    # needs client_ip); alipay: "wap" (mobile browser) or "page" (desktop)
    channel: str
    expires_at: datetime
    notify_url: str
    payer_openid: str = ""
    client_ip: str = ""
    return_url: str = ""


@dataclass(frozen=True)
class PaymentStart:
    """What the payer's client needs to pay: parameters for the mini-program's
    ``wx.requestPayment`` (``kind="jsapi"``) or a page to open (``kind="redirect"``)."""

    kind: str
    params: dict = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class ProviderTrade:
    """The provider's record of one trade, as answered by a query."""

    out_trade_no: str
    # "paid", "unpaid", "closed", "refunded" (wholly or in part) or "not_found"
    state: str
    amount_fen: int | None = None
    provider_trade_no: str = ""
    paid_at: datetime | None = None


@dataclass(frozen=True)
class CallbackEvent:
    """A verified notification. ``kind`` is "payment" or "refund"."""

    kind: str
    # stable per notification: the same notification delivered again has the same id
    notification_id: str
    out_trade_no: str
    state: str  # payment: "paid" or "closed"; refund: "succeeded", "failed" or "processing"
    amount_fen: int
    provider_trade_no: str = ""
    paid_at: datetime | None = None
    out_refund_no: str = ""
    provider_refund_id: str = ""
    raw: Mapping = field(default_factory=dict)

    # What the payments context looks up and stores of a notification, and how long it
    # may be (the columns it goes into).
    TEXT_FIELDS = {
        "notification_id": 200,
        "out_trade_no": 64,
        "state": 32,
        "provider_trade_no": 64,
        "out_refund_no": 64,
        "provider_refund_id": 64,
    }

    def __post_init__(self):
        """A signed notification is still a provider's text: what would not fit, look up
        or store cleanly (a number as a trade number, NUL, a year 9999) is malformed."""
        for name, limit in self.TEXT_FIELDS.items():
            value = getattr(self, name)
            if (
                not isinstance(value, str)
                or len(value) > limit
                or has_control_characters(value, multiline=False)
            ):
                raise InvalidCallback(f"{name} {value!r:.80}", code="malformed")
        required = [self.notification_id, self.out_trade_no]
        if self.kind == "refund":
            required.append(self.out_refund_no)
        if self.kind not in ("payment", "refund") or not all(required):
            raise InvalidCallback(f"{self.kind!r} notification lacks its numbers", code="malformed")
        if type(self.amount_fen) is not int or self.amount_fen < 0:
            raise InvalidCallback(f"amount {self.amount_fen!r:.40}", code="malformed")
        if self.paid_at is not None:
            try:
                if not isinstance(self.paid_at, datetime) or self.paid_at.tzinfo is None:
                    raise ValueError("not an aware moment")
                moment_in_range(self.paid_at)
            except ValueError:
                raise InvalidCallback(f"paid at {self.paid_at!r:.60}", code="malformed") from None


@dataclass(frozen=True)
class RefundResult:
    out_refund_no: str
    state: str  # "succeeded", "processing" or "failed"
    provider_refund_id: str = ""


@dataclass(frozen=True)
class CallbackAnswer:
    """The HTTP answer the provider expects, so that it stops (or keeps) retrying."""

    status: int
    content_type: str
    body: bytes


class PaymentProvider(Protocol):
    name: str

    def start(self, request: PaymentRequest) -> PaymentStart: ...

    def query(self, out_trade_no: str) -> ProviderTrade: ...

    def close(self, out_trade_no: str) -> None: ...

    def refund(
        self,
        *,
        out_trade_no: str,
        out_refund_no: str,
        refund_fen: int,
        total_fen: int,
        reason: str,
    ) -> RefundResult: ...

    def statement(self, day: date) -> "Statement":
        """The provider's statement of ``day`` (``providers/statements.py``); raises
        ``StatementUnavailable`` when it has none (yet)."""
        ...

    def parse_callback(self, *, headers: Mapping[str, str], body: bytes) -> CallbackEvent: ...

    def callback_answer(self, *, ok: bool) -> CallbackAnswer: ...

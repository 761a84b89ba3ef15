"""What every online payment provider offers the payments context.

Adapters (WeChat Pay v3, Alipay, the development simulator) turn these calls into their
own protocol. Amounts are integer fen throughout; ``out_trade_no`` and
``out_refund_no`` are our numbers, unique per intent and per refund, and are what makes
a retried call safe on the provider's side.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class ProviderError(Exception):
    """Base of what an adapter may raise; ``code`` is the provider's own, if any."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code


class InvalidCallback(ProviderError):
    """A notification that failed verification (signature, timestamp, decryption)."""


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

    def parse_callback(self, *, headers: Mapping[str, str], body: bytes) -> CallbackEvent: ...

    def callback_answer(self, *, ok: bool) -> CallbackAnswer: ...

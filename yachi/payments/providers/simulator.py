"""A stand-in provider for development and the demo, refused in production.

It behaves like an online provider end to end: the payer opens a page, confirms, and
the simulator posts a signed notification through the same callback path as WeChat Pay
and Alipay. Its trades live in the shared cache, so the web process and the job worker
see the same ones.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from yachi.payments.providers.base import (
    CallbackAnswer,
    CallbackEvent,
    InvalidCallback,
    PaymentRequest,
    PaymentStart,
    ProviderRefused,
    ProviderTrade,
    RefundResult,
)
from yachi.payments.providers.statements import Statement, StatementLine, StatementUnavailable

SIGNATURE_HEADER = "X-Simulator-Signature"
_DAY = 24 * 3600
# Its statements: the lines of each day, kept as long as a provider's bill can be asked for.
_STATEMENT_DAYS = 90 * _DAY


def _key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"yachi-payment-simulator", "sha256").digest()


def sign(body: bytes) -> str:
    return hmac.new(_key(), body, hashlib.sha256).hexdigest()


def _statement_key(day: date) -> str:
    return f"paysim:statement:{day.isoformat()}"


def _same(one: dict, other: dict) -> bool:
    return all(one.get(k) == other.get(k) for k in ("kind", "out_trade_no", "out_refund_no"))


class SimulatorProvider:
    name = "simulator"

    def _trade(self, out_trade_no: str) -> dict | None:
        return cache.get(f"paysim:{out_trade_no}")

    def _save(self, trade: dict) -> None:
        cache.set(f"paysim:{trade['out_trade_no']}", trade, _DAY)

    def start(self, request: PaymentRequest) -> PaymentStart:
        trade = self._trade(request.out_trade_no)
        if trade is None:
            trade = {
                "out_trade_no": request.out_trade_no,
                "amount_fen": request.amount_fen,
                "state": "unpaid",
                "description": request.description,
            }
            self._save(trade)
        url = reverse("payments:simulator", args=[request.out_trade_no])
        return PaymentStart(kind="redirect", url=url)

    def pay(self, out_trade_no: str) -> bytes:
        """The payer confirmed: mark the trade paid and return the signed notification."""
        trade = self._trade(out_trade_no)
        if trade is None or trade["state"] == "closed":
            raise ProviderRefused("trade closed or unknown", code="TRADE_CLOSED")
        trade["state"] = "paid"
        trade["provider_trade_no"] = f"SIM{out_trade_no}"
        trade["paid_at"] = timezone.now().isoformat()
        self._save(trade)
        self._on_statement(
            {
                "kind": "payment",
                "out_trade_no": out_trade_no,
                "provider_trade_no": trade["provider_trade_no"],
                "amount_fen": trade["amount_fen"],
                "at": trade["paid_at"],
            }
        )
        return json.dumps({"event": "paid", **trade}, sort_keys=True).encode()

    def query(self, out_trade_no: str) -> ProviderTrade:
        trade = self._trade(out_trade_no)
        if trade is None:
            return ProviderTrade(out_trade_no=out_trade_no, state="not_found")
        return ProviderTrade(
            out_trade_no=out_trade_no,
            state=trade["state"],
            amount_fen=trade["amount_fen"],
            provider_trade_no=trade.get("provider_trade_no", ""),
        )

    def close(self, out_trade_no: str) -> None:
        trade = self._trade(out_trade_no)
        if trade is None:
            return
        if trade["state"] == "paid":
            raise ProviderRefused("trade already paid", code="ORDER_PAID")
        trade["state"] = "closed"
        self._save(trade)

    def refund(self, *, out_trade_no, out_refund_no, refund_fen, total_fen, reason):
        trade = self._trade(out_trade_no)
        if trade is None or trade["state"] not in ("paid", "refunded"):
            raise ProviderRefused("trade not paid", code="TRADE_NOT_PAID")
        trade["state"] = "refunded"
        self._save(trade)
        self._on_statement(
            {
                "kind": "refund",
                "out_trade_no": out_trade_no,
                "provider_trade_no": trade.get("provider_trade_no", ""),
                "amount_fen": refund_fen,
                "out_refund_no": out_refund_no,
                "at": timezone.now().isoformat(),
            }
        )
        return RefundResult(
            out_refund_no=out_refund_no, state="succeeded", provider_refund_id=f"SIM{out_refund_no}"
        )

    def _on_statement(self, line: dict) -> None:
        day = timezone.localdate()
        lines = cache.get(_statement_key(day)) or []
        if not any(_same(x, line) for x in lines):
            self.statement_set(day, [*lines, line])

    def statement_set(self, day: date, lines: list[dict]) -> None:
        """The day's statement lines (dicts of ``StatementLine``'s fields, ``at`` in ISO
        8601): what a demo or a test arranges the simulator to have seen."""
        cache.set(_statement_key(day), lines, _STATEMENT_DAYS)

    def statement(self, day: date) -> Statement:
        """The day's payments and refunds, as a provider's bill lists them. A day with
        none has no statement, as WeChat Pay answers ``NO_STATEMENT_EXIST``."""
        lines = cache.get(_statement_key(day))
        if not lines:
            raise StatementUnavailable("no statement for that day", code="NO_STATEMENT_EXIST")
        return Statement(
            provider=self.name,
            lines=[
                StatementLine(
                    kind=line["kind"],
                    out_trade_no=line["out_trade_no"],
                    provider_trade_no=line["provider_trade_no"],
                    amount_fen=line["amount_fen"],
                    at=datetime.fromisoformat(line["at"]),
                    out_refund_no=line.get("out_refund_no", ""),
                    state=line["kind"],
                )
                for line in lines
            ],
        )

    def parse_callback(self, *, headers: Mapping[str, str], body: bytes) -> CallbackEvent:
        signature = headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(signature, sign(body)):
            raise InvalidCallback("bad simulator signature", code="invalid_signature")
        try:
            data = json.loads(body)
            return CallbackEvent(
                kind="payment",
                notification_id=f"sim:{data['out_trade_no']}:{data['event']}",
                out_trade_no=data["out_trade_no"],
                state=data["event"],
                amount_fen=data["amount_fen"],
                provider_trade_no=data.get("provider_trade_no", ""),
                raw=data,
            )
        except InvalidCallback:
            raise
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidCallback(f"notification garbled: {exc!r}", code="malformed") from None

    def callback_answer(self, *, ok: bool) -> CallbackAnswer:
        body = json.dumps({"code": "SUCCESS" if ok else "FAIL"}).encode()
        return CallbackAnswer(status=200 if ok else 500, content_type="application/json", body=body)

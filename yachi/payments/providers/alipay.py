"""Alipay open platform (RSA2 keys): mobile-site and desktop payment pages, query,
close, refund and asynchronous notifications.

The protocol is spoken directly with httpx and cryptography (ADR 0011):

* a request is a set of common parameters plus ``biz_content`` (JSON); the signed text
  is every non-empty parameter but ``sign``, sorted by name, as ``name=value`` joined
  with ``&``, unencoded; the signature is SHA256withRSA with the application's key;
* a payment page is that signed request as a link to the gateway, opened by the payer;
* an API answer is ``{"<method>_response": {...}, "sign": "..."}``; the signature covers
  the exact characters of the ``<method>_response`` value as sent, so they are cut out
  of the raw answer, never re-serialised;
* a notification is a form POST; its signed text is every field but ``sign`` and
  ``sign_type``, *empty ones included*, sorted, joined the same way (Alipay's own
  verification keeps them: a genuine notification with an empty ``body`` or
  ``passback_params`` is refused by a check that drops them).

Amounts travel as yuan strings ("9.90") and are converted exactly to and from fen.
"""

import json
from collections.abc import Mapping
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

import httpx

from yachi.core.dates import moment_in_range
from yachi.payments.providers.base import (
    CallbackAnswer,
    CallbackEvent,
    InvalidCallback,
    PaymentRequest,
    PaymentStart,
    ProviderError,
    ProviderRefused,
    ProviderTrade,
    ProviderUnavailable,
    RefundResult,
)
from yachi.payments.providers.signing import (
    fen_from_yuan_text,
    load_private_key,
    load_public_key,
    rsa_sign,
    rsa_verify,
    transport_error,
    yuan_text,
)
from yachi.payments.providers.statements import (
    Statement,
    StatementUnavailable,
    StatementUnreadable,
    parse_alipay_bill,
    read_statement,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # Beijing time, as Alipay writes and reads it
SUCCESS = "10000"
UNAVAILABLE = "20000"
# Business refusals that mean "try again later": the call did nothing.
RETRY_LATER = frozenset({"ACQ.SYSTEM_ERROR", "isp.unknow-error", "aop.ACQ.SYSTEM_ERROR"})
# No bill for the day: none made yet (Alipay makes the day's after 9:00 the next day), or
# the day had no trade; a day out of range (more than a year back, today).
NO_STATEMENT = frozenset({"isp.bill_not_exist", "isv.bill_date_invalid"})
PAGES = {
    "wap": ("alipay.trade.wap.pay", "QUICK_WAP_WAY"),
    "page": ("alipay.trade.page.pay", "FAST_INSTANT_TRADE_PAY"),
}


class AlipayProvider:
    name = "alipay"

    def __init__(
        self,
        *,
        appid: str,
        private_key: str,
        alipay_public_key: str,
        gateway: str = "https://openapi.alipay.com/gateway.do",
        timeout_seconds: float = 10.0,
    ):
        self.appid = appid
        self.gateway = gateway
        self._private_key = load_private_key(private_key)
        self._alipay_key = load_public_key(alipay_public_key)
        self._timeout = httpx.Timeout(timeout_seconds)

    def __repr__(self) -> str:
        return f"AlipayProvider(appid={self.appid!r}, gateway={self.gateway!r})"

    # --- the payment interface -------------------------------------------------------

    def start(self, request: PaymentRequest) -> PaymentStart:
        if request.channel not in PAGES:
            raise ValueError(f"Alipay has no channel {request.channel!r} (wap, page)")
        method, product_code = PAGES[request.channel]
        biz = {
            "out_trade_no": request.out_trade_no,
            "total_amount": yuan_text(request.amount_fen),
            "subject": request.description[:256],
            "product_code": product_code,
            "time_expire": request.expires_at.astimezone(SHANGHAI).strftime(TIME_FORMAT),
        }
        if request.channel == "wap" and request.return_url:
            biz["quit_url"] = request.return_url  # where "back" on the cashier page leads
        params = self._signed(
            method, biz, notify_url=request.notify_url, return_url=request.return_url
        )
        # Alipay creates the trade only when the payer opens this page.
        return PaymentStart(kind="redirect", url=f"{self.gateway}?{urlencode(params)}")

    def query(self, out_trade_no: str) -> ProviderTrade:
        try:
            answer = self._call("alipay.trade.query", {"out_trade_no": out_trade_no})
        except ProviderRefused as refused:
            if refused.code == "ACQ.TRADE_NOT_EXIST":
                return ProviderTrade(out_trade_no=out_trade_no, state="not_found")
            raise
        status = answer.get("trade_status", "")
        if status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            state = "paid"
        elif status == "WAIT_BUYER_PAY":
            state = "unpaid"
        elif status == "TRADE_CLOSED":
            # A trade closed after it was paid has been refunded in full; the query
            # answer carries no refund amount, but the payment date stays.
            refunded = answer.get("send_pay_date") or _fen(answer.get("refund_fee") or "0")
            state = "refunded" if refunded else "closed"
        else:
            raise ProviderError(f"Alipay trade_status {status!r}", code="unexpected_answer")
        paid_at = answer.get("send_pay_date")
        return ProviderTrade(
            out_trade_no=answer.get("out_trade_no", out_trade_no),
            state=state,
            amount_fen=_fen(answer["total_amount"]) if answer.get("total_amount") else None,
            provider_trade_no=answer.get("trade_no", ""),
            paid_at=_beijing(paid_at) if paid_at and state != "unpaid" else None,
        )

    def close(self, out_trade_no: str) -> None:
        """A trade whose page was never opened does not exist at Alipay yet and
        refuses with ``ACQ.TRADE_NOT_EXIST``; its page stays payable until the
        ``time_expire`` sent with it."""
        self._call("alipay.trade.close", {"out_trade_no": out_trade_no})

    def refund(
        self,
        *,
        out_trade_no: str,
        out_refund_no: str,
        refund_fen: int,
        total_fen: int,
        reason: str,
    ) -> RefundResult:
        biz = {
            "out_trade_no": out_trade_no,
            "refund_amount": yuan_text(refund_fen),
            "out_request_no": out_refund_no,  # makes a repeated call the same refund
        }
        if reason:
            biz["refund_reason"] = reason[:256]
        answer = self._call("alipay.trade.refund", biz)
        if answer.get("fund_change") == "Y":
            return RefundResult(out_refund_no=out_refund_no, state="succeeded")
        # "N": this call moved no money, either because an earlier call with the same
        # out_request_no already did or because it is still under way; ask which.
        found = self._call(
            "alipay.trade.fastpay.refund.query",
            {"out_trade_no": out_trade_no, "out_request_no": out_refund_no},
        )
        state = "succeeded" if found.get("refund_status") == "REFUND_SUCCESS" else "processing"
        return RefundResult(out_refund_no=out_refund_no, state=state)

    def statement(self, day: date) -> Statement:
        """The day's trade bill: ``alipay.data.dataservice.bill.downloadurl.query`` answers
        a link, valid for 30 seconds, to a zip of the detail and summary CSV files. The
        link carries its own token; the download is not signed."""
        try:
            answer = self._call(
                "alipay.data.dataservice.bill.downloadurl.query",
                {"bill_type": "trade", "bill_date": day.isoformat()},
            )
        except ProviderRefused as refused:
            if refused.code in NO_STATEMENT:
                raise StatementUnavailable(str(refused), code=refused.code) from None
            raise
        url = answer.get("bill_download_url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise StatementUnreadable("Alipay answered no bill_download_url", code="malformed")
        try:
            with httpx.stream("GET", url, timeout=self._timeout) as response:
                if response.status_code != 200:
                    raise ProviderUnavailable(
                        f"Alipay bill download HTTP {response.status_code}", code="http_error"
                    )
                statement = read_statement(response)
        except httpx.HTTPError as exc:
            raise transport_error(exc, "Alipay") from None
        return parse_alipay_bill(statement)

    def parse_callback(self, *, headers: Mapping[str, str], body: bytes) -> CallbackEvent:
        try:
            fields = dict(parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError):
            raise InvalidCallback("not a form", code="malformed") from None
        signature = fields.get("sign", "")
        if not signature:
            raise InvalidCallback("notification is unsigned", code="unsigned")
        if fields.get("sign_type", "RSA2") != "RSA2":
            raise InvalidCallback(f"sign_type {fields['sign_type']!r}", code="invalid_signature")
        if not rsa_verify(self._alipay_key, notification_text(fields), signature):
            raise InvalidCallback("signature does not verify", code="invalid_signature")
        if fields.get("app_id") != self.appid:
            raise InvalidCallback(f"for app {fields.get('app_id')!r}", code="wrong_app")
        try:
            return self._event(fields)
        except InvalidCallback:
            raise
        except (KeyError, ProviderError) as exc:
            raise InvalidCallback(
                f"notification lacks or garbles {exc}", code="malformed"
            ) from None

    def callback_answer(self, *, ok: bool) -> CallbackAnswer:
        """Alipay stops only on the exact text ``success``; anything else is retried
        (eight times over about a day)."""
        return CallbackAnswer(200, "text/plain", b"success" if ok else b"failure")

    # --- the protocol -------------------------------------------------------------

    def _event(self, fields: dict[str, str]) -> CallbackEvent:
        status = fields["trade_status"]
        common = {
            "notification_id": fields["notify_id"],
            "out_trade_no": fields["out_trade_no"],
            "provider_trade_no": fields.get("trade_no", ""),
            "paid_at": _beijing(fields["gmt_payment"]) if fields.get("gmt_payment") else None,
            "raw": fields,
        }
        if fields.get("out_biz_no") and _fen(fields.get("refund_fee") or "0"):
            # A refund: the trade stays TRADE_SUCCESS (part) or becomes TRADE_CLOSED
            # (whole). Alipay reports the trade's total refunded so far, not this refund's.
            return CallbackEvent(
                kind="refund",
                state="succeeded",
                amount_fen=_fen(fields["refund_fee"]),
                out_refund_no=fields["out_biz_no"],
                **common,
            )
        if status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return CallbackEvent(
                kind="payment", state="paid", amount_fen=_fen(fields["total_amount"]), **common
            )
        if status == "TRADE_CLOSED":
            return CallbackEvent(
                kind="payment", state="closed", amount_fen=_fen(fields["total_amount"]), **common
            )
        raise InvalidCallback(f"unsupported trade_status {status!r}", code="unsupported_event")

    def _signed(self, method: str, biz: dict, **extra: str) -> dict[str, str]:
        params = {
            "app_id": self.appid,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": datetime.now(SHANGHAI).strftime(TIME_FORMAT),
            "version": "1.0",
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
            **{name: value for name, value in extra.items() if value},
        }
        params["sign"] = rsa_sign(self._private_key, signing_text(params))
        return params

    def _call(self, method: str, biz: dict) -> dict:
        params = self._signed(method, biz)
        try:
            response = httpx.post(
                self.gateway,
                params={"charset": "utf-8"},
                data=params,
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc, "Alipay") from None
        if response.status_code != 200:
            raise ProviderUnavailable(f"Alipay HTTP {response.status_code}", code="http_error")
        return self._answer(method, response.text)

    def _answer(self, method: str, raw: str) -> dict:
        key = method.replace(".", "_") + "_response"
        try:
            members = top_level_members(raw)
        except ValueError:
            raise ProviderUnavailable("Alipay answered no JSON object", code="malformed") from None
        if key not in members:
            key = "error_response"
        if key not in members:
            raise ProviderUnavailable("Alipay answer has no response", code="malformed")
        text = members[key]
        answer = json.loads(text)
        code, sub_code = str(answer.get("code", "")), str(answer.get("sub_code", ""))
        sign = json.loads(members["sign"]) if "sign" in members else ""
        verified = isinstance(sign, str) and sign and rsa_verify(self._alipay_key, text, sign)
        message = f"Alipay {code} {sub_code}: {answer.get('sub_msg') or answer.get('msg')}"
        if not verified and (code in (SUCCESS, "40004") or sign):
            # An outcome that changes what we believe about money must be Alipay's own.
            raise ProviderUnavailable(f"{message} (signature not verified)", code="unverified")
        if code == SUCCESS:
            return answer
        if code == UNAVAILABLE or sub_code in RETRY_LATER:
            raise ProviderUnavailable(message, code=sub_code or code)
        raise ProviderRefused(message, code=sub_code or code)


def signing_text(params: Mapping[str, str]) -> str:
    """What a request's signature covers: its non-empty parameters."""
    return "&".join(f"{name}={params[name]}" for name in sorted(params) if params[name] != "")


def notification_text(fields: Mapping[str, str]) -> str:
    """What a notification's signature covers: every field but the signature's own."""
    names = sorted(name for name in fields if name not in ("sign", "sign_type"))
    return "&".join(f"{name}={fields[name]}" for name in names)


def top_level_members(raw: str) -> dict[str, str]:
    """The raw text of each member of a JSON object, exactly as it appears."""
    decoder = json.JSONDecoder()
    members: dict[str, str] = {}
    position = _skip(raw, 0)
    if raw[position : position + 1] != "{":
        raise ValueError("not an object")
    position = _skip(raw, position + 1)
    if raw[position : position + 1] == "}":
        return members
    while True:
        name, position = decoder.raw_decode(raw, position)
        position = _skip(raw, position)
        if raw[position : position + 1] != ":":
            raise ValueError("expected ':'")
        start = _skip(raw, position + 1)
        _, end = decoder.raw_decode(raw, start)
        members[name] = raw[start:end]
        position = _skip(raw, end)
        if raw[position : position + 1] == "}":
            return members
        if raw[position : position + 1] != ",":
            raise ValueError("expected ','")
        position = _skip(raw, position + 1)


def _skip(raw: str, position: int) -> int:
    while position < len(raw) and raw[position] in " \t\r\n":
        position += 1
    return position


def _fen(yuan: str) -> int:
    return fen_from_yuan_text(yuan)


def _beijing(text: str) -> datetime:
    try:
        return moment_in_range(datetime.strptime(text, TIME_FORMAT).replace(tzinfo=SHANGHAI))
    except (TypeError, ValueError):
        raise ProviderError(f"Alipay time {text!r}", code="unexpected_answer") from None

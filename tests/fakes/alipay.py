"""A fake Alipay open platform gateway (``/gateway.do``): payment pages, trade query,
close, refund and refund query, and signed asynchronous notifications.

It holds its own Alipay key pair and knows only the application's public key. Every
request (a page the payer opens, or an API call) is checked: the app, ``sign_type``
RSA2, a Beijing-time ``timestamp`` within 15 minutes, and the SHA256withRSA signature
over the sorted ``name=value`` text; a failure answers ``40002 isv.invalid-signature``
(unsigned, as Alipay does for requests it cannot attribute). Answers are signed over
the exact text of their ``*_response`` member. ``fail_next`` kinds: "unavailable"
(20000 isp.unknow-error), "system_error" (40004 ACQ.SYSTEM_ERROR), "http_error" (502),
"forged" (an answer signed with another key).
"""

import base64
import itertools
import json
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.fakes.server import FakeServer, Request, Response
from tests.fakes.wechatpay import new_rsa_key

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_PRODUCTS = {
    "alipay.trade.wap.pay": "QUICK_WAP_WAY",
    "alipay.trade.page.pay": "FAST_INSTANT_TRADE_PAY",
}


@dataclass
class Trade:
    out_trade_no: str
    total_amount: str  # yuan, as sent
    subject: str
    product_code: str
    notify_url: str
    time_expire: str
    trade_no: str
    trade_status: str = "WAIT_BUYER_PAY"
    send_pay_date: str = ""
    refunded: Decimal = Decimal("0.00")


@dataclass
class Refund:
    out_request_no: str
    out_trade_no: str
    refund_amount: str
    gmt_refund: str


@dataclass
class Notification:
    headers: dict[str, str]
    body: bytes

    @property
    def fields(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


def _text(params: dict[str, str]) -> str:
    """What a request's signature covers: its non-empty parameters."""
    return "&".join(f"{name}={params[name]}" for name in sorted(params) if params[name] != "")


def _notification_text(fields: dict[str, str]) -> str:
    """What a notification's signature covers: every field, empty ones too."""
    return "&".join(f"{name}={fields[name]}" for name in sorted(fields))


class FakeAlipay(FakeServer):
    def __init__(self, *, appid: str, app_public_key: str):
        super().__init__()
        self.appid = appid
        self.app_key = serialization.load_pem_public_key(app_public_key.encode())
        self.alipay_key = new_rsa_key()
        self.trades: dict[str, Trade] = {}
        self.refunds: dict[str, Refund] = {}
        self.refused: list[str] = []  # why each unauthenticated request was refused
        self._numbers = itertools.count(1)
        self._record = threading.Lock()

    @property
    def alipay_public_key_base64(self) -> str:
        """As the Alipay console shows it: base64 DER without PEM lines."""
        der = self.alipay_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    # --- what the test arranges (the payer's side) ------------------------------------

    def open_page(self, url: str) -> httpx.Response:
        """The payer's browser opens the payment page: Alipay checks it and creates
        the trade."""
        return httpx.get(url, timeout=5)

    def pay(self, out_trade_no: str) -> Trade:
        with self._record:
            trade = self.trades[out_trade_no]
            trade.trade_status = "TRADE_SUCCESS"
            trade.send_pay_date = datetime.now(SHANGHAI).strftime(TIME_FORMAT)
            return trade

    def set_status(self, out_trade_no: str, trade_status: str) -> None:
        with self._record:
            self.trades[out_trade_no].trade_status = trade_status

    # --- notifications -------------------------------------------------------------

    def payment_notification(self, out_trade_no: str, **tampering) -> Notification:
        trade = self.trades[out_trade_no]
        fields = self._notification_fields(trade)
        return self._notification(fields, **tampering)

    def garbled_notification(self, out_trade_no: str, **fields: str) -> Notification:
        """A payment notification signed as Alipay does, with ``fields`` in it that its
        documentation does not allow."""
        return self._notification(self._notification_fields(self.trades[out_trade_no]) | fields)

    def refund_notification(self, out_request_no: str, **tampering) -> Notification:
        refund = self.refunds[out_request_no]
        trade = self.trades[refund.out_trade_no]
        fields = self._notification_fields(trade) | {
            "out_biz_no": refund.out_request_no,
            "refund_fee": str(trade.refunded),
            "gmt_refund": refund.gmt_refund + ".123",
        }
        return self._notification(fields, **tampering)

    def _notification_fields(self, trade: Trade) -> dict[str, str]:
        now = datetime.now(SHANGHAI).strftime(TIME_FORMAT)
        fields = {
            "notify_time": now,
            "notify_type": "trade_status_sync",
            "notify_id": f"2026{secrets.token_hex(14)}",
            "app_id": self.appid,
            "charset": "utf-8",
            "version": "1.0",
            "trade_no": trade.trade_no,
            "out_trade_no": trade.out_trade_no,
            "buyer_id": "2088102122524333",
            "seller_id": "2088101106499364",
            "trade_status": trade.trade_status,
            "total_amount": trade.total_amount,
            "receipt_amount": trade.total_amount,
            "subject": trade.subject,
            "gmt_create": now,
        }
        if trade.send_pay_date:
            fields["gmt_payment"] = trade.send_pay_date
            fields["fund_bill_list"] = json.dumps(
                [{"amount": trade.total_amount, "fundChannel": "ALIPAYACCOUNT"}]
            )
        if trade.trade_status == "TRADE_CLOSED":
            fields["gmt_close"] = now
        return fields

    def _notification(
        self, fields: dict[str, str], *, signing_key: rsa.RSAPrivateKey | None = None
    ) -> Notification:
        signature = (signing_key or self.alipay_key).sign(
            _notification_text(fields).encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        fields = fields | {"sign_type": "RSA2", "sign": base64.b64encode(signature).decode()}
        return Notification(
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            body=urlencode(fields).encode(),
        )

    def deliver(self, notification: Notification, url: str) -> httpx.Response:
        """POST a notification to ``url``, as Alipay would."""
        return httpx.post(url, content=notification.body, headers=notification.headers, timeout=5)

    # --- HTTP --------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if request.path != "/gateway.do":
            return Response(status=404, body=b"", content_type="text/html")
        params = request.query
        if request.method == "POST":
            params |= dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        method = params.get("method", "")
        refusal = self._authenticate(params)
        if method in _PRODUCTS:
            return self._page(method, params, refusal)
        key = method.replace(".", "_") + "_response"
        if refusal:
            self.refused.append(refusal)
            error = {"code": "40002", "msg": "Invalid Arguments", "sub_code": refusal}
            return self._answer(key, error | {"sub_msg": "验签出错"}, signed=False)
        failure = self.scripted_failure()
        if failure == "http_error":
            return Response(status=502, body=b"<html>Bad Gateway</html>", content_type="text/html")
        if failure == "unavailable":
            return self._answer(
                key,
                {
                    "code": "20000",
                    "msg": "Service Currently Unavailable",
                    "sub_code": "isp.unknow-error",
                    "sub_msg": "系统繁忙",
                },
            )
        if failure == "system_error":
            return self._answer(key, _business("ACQ.SYSTEM_ERROR", "系统错误"))
        biz = json.loads(params.get("biz_content") or "{}")
        handler = {
            "alipay.trade.query": self._query,
            "alipay.trade.close": self._close,
            "alipay.trade.refund": self._refund,
            "alipay.trade.fastpay.refund.query": self._refund_query,
        }.get(method)
        if handler is None:
            return self._answer(
                key,
                {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-method"},
                signed=False,
            )
        response = self._answer(key, handler(biz), forged=failure == "forged")
        response.delay = self.scripted_delay()
        return response

    def _authenticate(self, params: dict[str, str]) -> str:
        if params.get("app_id") != self.appid:
            return "isv.invalid-app-id"
        if params.get("sign_type") != "RSA2" or params.get("charset", "").lower() != "utf-8":
            return "isv.invalid-signature-type"
        try:
            sent = datetime.strptime(params.get("timestamp", ""), TIME_FORMAT).replace(
                tzinfo=SHANGHAI
            )
        except ValueError:
            return "isv.invalid-timestamp"
        if abs(datetime.now(SHANGHAI) - sent) > timedelta(minutes=15):
            return "isv.invalid-timestamp"
        unsigned = {name: value for name, value in params.items() if name != "sign"}
        try:
            self.app_key.verify(
                base64.b64decode(params.get("sign", "")),
                _text(unsigned).encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (InvalidSignature, ValueError):
            return "isv.invalid-signature"
        return ""

    def _page(self, method: str, params: dict[str, str], refusal: str) -> Response:
        if refusal:
            self.refused.append(refusal)
            return _html(f"<h1>支付宝 - 出错了</h1><p>错误代码 {refusal}</p>")
        biz = json.loads(params["biz_content"])
        amount = Decimal(biz.get("total_amount", "0"))
        if (
            biz.get("product_code") != _PRODUCTS[method]
            or amount.as_tuple().exponent < -2
            or amount < Decimal("0.01")
        ):
            return _html("<p>错误代码 ACQ.PARAM_ERROR</p>")
        with self._record:
            trade = self.trades.get(biz["out_trade_no"])
            if trade is None:
                trade = Trade(
                    out_trade_no=biz["out_trade_no"],
                    total_amount=biz["total_amount"],
                    subject=biz["subject"],
                    product_code=biz["product_code"],
                    notify_url=params.get("notify_url", ""),
                    time_expire=biz.get("time_expire", ""),
                    trade_no=f"2026112822001{next(self._numbers):015d}",
                )
                self.trades[trade.out_trade_no] = trade
        return _html(f"<h1>支付宝收银台</h1><p>{trade.subject}</p><p>¥{trade.total_amount}</p>")

    def _query(self, biz: dict) -> dict:
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return _business("ACQ.TRADE_NOT_EXIST", "交易不存在")
        answer = _success() | {
            "trade_no": trade.trade_no,
            "out_trade_no": trade.out_trade_no,
            "buyer_logon_id": "159****5620",
            "trade_status": trade.trade_status,
            "total_amount": trade.total_amount,
        }
        if trade.send_pay_date:
            answer |= {"send_pay_date": trade.send_pay_date, "buyer_pay_amount": trade.total_amount}
        return answer

    def _close(self, biz: dict) -> dict:
        with self._record:
            trade = self.trades.get(biz.get("out_trade_no", ""))
            if trade is None:
                return _business("ACQ.TRADE_NOT_EXIST", "交易不存在")
            if trade.trade_status != "WAIT_BUYER_PAY":
                return _business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            trade.trade_status = "TRADE_CLOSED"
        return _success() | {"trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no}

    def _refund(self, biz: dict) -> dict:
        with self._record:
            trade = self.trades.get(biz.get("out_trade_no", ""))
            if trade is None:
                return _business("ACQ.TRADE_NOT_EXIST", "交易不存在")
            common = {
                "trade_no": trade.trade_no,
                "out_trade_no": trade.out_trade_no,
                "buyer_logon_id": "159****5620",
            }
            if biz.get("out_request_no") in self.refunds:
                # The same refund asked again: nothing moves this time.
                return _success() | common | {"fund_change": "N", "refund_fee": str(trade.refunded)}
            if trade.trade_status != "TRADE_SUCCESS":
                return _business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            amount = Decimal(biz.get("refund_amount", "0"))
            if amount.as_tuple().exponent < -2 or amount <= 0:
                return _business("ACQ.PARAM_ERROR", "参数无效")
            if trade.refunded + amount > Decimal(trade.total_amount):
                return _business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
            trade.refunded += amount
            if trade.refunded == Decimal(trade.total_amount):
                trade.trade_status = "TRADE_CLOSED"
            refund = Refund(
                out_request_no=biz.get("out_request_no") or trade.out_trade_no,
                out_trade_no=trade.out_trade_no,
                refund_amount=biz["refund_amount"],
                gmt_refund=datetime.now(SHANGHAI).strftime(TIME_FORMAT),
            )
            self.refunds[refund.out_request_no] = refund
        return _success() | common | {"fund_change": "Y", "refund_fee": str(trade.refunded)}

    def _refund_query(self, biz: dict) -> dict:
        refund = self.refunds.get(biz.get("out_request_no", ""))
        if refund is None or refund.out_trade_no != biz.get("out_trade_no"):
            return _success()  # Alipay's answer for "no such refund": no refund_status
        return _success() | {
            "out_trade_no": refund.out_trade_no,
            "out_request_no": refund.out_request_no,
            "refund_amount": refund.refund_amount,
            "refund_status": "REFUND_SUCCESS",
        }

    def _answer(
        self, key: str, content: dict, *, signed: bool = True, forged: bool = False
    ) -> Response:
        # Alipay's own compact spacing and escaping: the signature covers these exact
        # characters, which no re-serialisation of the parsed answer reproduces.
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")
        raw = f'{{"{key}":{text}'
        if signed:
            key_used = new_rsa_key() if forged else self.alipay_key
            signature = key_used.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
            raw += f',"sign":"{base64.b64encode(signature).decode()}"'
        raw += "}"
        return Response(status=200, body=raw.encode(), content_type="text/html;charset=utf-8")


def _success() -> dict:
    return {"code": "10000", "msg": "Success"}


def _business(sub_code: str, sub_msg: str) -> dict:
    return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}


def _html(content: str) -> Response:
    page = f"<!DOCTYPE html><html><body>{content}</body></html>"
    return Response(status=200, body=page.encode(), content_type="text/html;charset=utf-8")

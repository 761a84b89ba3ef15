"""A fake Alipay open platform gateway (``/gateway.do``): payment pages, trade query,
close, refund and refund query, and signed asynchronous notifications.

It holds its own Alipay key pair and knows only the application's public key. Every
request (a page the payer opens, or an API call) is checked: the app, ``sign_type``
RSA2, a Beijing-time ``timestamp`` within 15 minutes, and the SHA256withRSA signature
over the sorted ``name=value`` text; a failure answers ``40002 isv.invalid-signature``
(unsigned, as Alipay does for requests it cannot attribute). Answers are signed over
the exact text of their ``*_response`` member. ``fail_next`` kinds: "unavailable"
(20000 isp.unknow-error), "system_error" (40004 ACQ.SYSTEM_ERROR), "http_error" (502),
"forged" (an answer signed with another key), and for the bill "bill_not_exist"
(40004 isp.bill_not_exist).

The trade bill (``alipay.data.dataservice.bill.downloadurl.query``) is made from the
fake's own trades and refunds of the day as Alipay writes it: a zip of the detail and
summary CSV files in GBK with their ``#`` comment lines; ``stranger_trade`` adds a paid
trade the application never created. The download link, as Alipay's, is not signed: it
carries a token that works once and for 30 seconds.
"""

import base64
import io
import itertools
import json
import secrets
import threading
import time
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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
        self._bills: dict[str, tuple[bytes, float]] = {}  # download token: file, until
        self.downloads = 0
        self.bill_today = True
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

    def stranger_trade(
        self, *, total_amount: str, out_trade_no: str | None = None, paid_at: datetime | None = None
    ) -> Trade:
        """A paid trade Alipay holds for the application that it never created."""
        number = out_trade_no or f"X{secrets.token_hex(8).upper()}"
        with self._record:
            trade = Trade(
                out_trade_no=number,
                total_amount=total_amount,
                subject="未知商品",
                product_code="QUICK_WAP_WAY",
                notify_url="",
                time_expire="",
                trade_no=f"2026112822001{next(self._numbers):015d}",
                trade_status="TRADE_SUCCESS",
                send_pay_date=(paid_at or datetime.now(SHANGHAI))
                .astimezone(SHANGHAI)
                .strftime(TIME_FORMAT),
            )
            self.trades[number] = trade
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

    # --- the bill --------------------------------------------------------------------

    def bill(self, day: date) -> bytes:
        """The day's trade bill as Alipay's link serves it: a zip of two GBK CSV files."""
        rows = []
        for trade in self.trades.values():
            paid = trade.send_pay_date
            if paid.startswith(day.isoformat()):
                rows.append(
                    [
                        trade.trade_no,
                        trade.out_trade_no,
                        "交易",
                        trade.subject,
                        paid,
                        paid,
                        trade.total_amount,
                        trade.total_amount,
                        "",
                    ]
                )
        for refund in self.refunds.values():
            if refund.gmt_refund.startswith(day.isoformat()):
                trade = self.trades[refund.out_trade_no]
                rows.append(
                    [
                        trade.trade_no,
                        trade.out_trade_no,
                        "退款",
                        trade.subject,
                        trade.send_pay_date,
                        refund.gmt_refund,
                        trade.total_amount,
                        f"-{refund.refund_amount}",
                        refund.out_request_no,
                    ]
                )
        rows.sort(key=lambda row: row[5])
        account, compact = "20881234567890120156", day.strftime("%Y%m%d")
        span = (
            f"#起始日期：[{day:%Y年%m月%d日} 00:00:00]   "
            f"终止日期：[{day + timedelta(days=1):%Y年%m月%d日} 00:00:00]"
        )
        bar = "#-----------------------------------------"
        detail = [
            "#支付宝业务明细查询",
            f"#账号：[{account}]",
            span,
            f"{bar}业务明细列表{bar[1:]}",
            "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,"
            "终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,"
            "商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
            "退款批次号/请求号,服务费（元）,分润（元）,备注",
        ]
        for no, out_no, kind, subject, created, done, total, received, request_no in rows:
            values = [
                no,
                out_no,
                kind,
                subject,
                created,
                done,
                "",
                "",
                "",
                "",
                "159****5620",
                total,
                received,
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "",
                "0.00",
                "0.00",
                request_no,
                "0.00",
                "0.00",
                "",
            ]
            detail.append(",".join(f"{value}\t" for value in values))
        payments = [row for row in rows if row[2] == "交易"]
        refunds = [row for row in rows if row[2] == "退款"]
        paid_in = sum((Decimal(row[7]) for row in payments), Decimal("0.00"))
        paid_out = sum((Decimal(row[7]) for row in refunds), Decimal("0.00"))
        detail += [
            f"{bar}业务明细列表结束{bar[1:]}",
            f"#交易合计：{len(payments)}笔，商家实收共{paid_in:.2f}元，商家优惠共0.00元",
            f"#退款合计：{len(refunds)}笔，商家实收共{paid_out:.2f}元，商家优惠共0.00元",
            f"#导出时间：[{datetime.now(SHANGHAI):%Y年%m月%d日 %H:%M:%S}]",
        ]
        net = paid_in + paid_out
        summary = [
            "#支付宝业务汇总查询",
            f"#账号：[{account}]",
            span,
            f"{bar}业务汇总列表{bar[1:]}",
            "门店编号,门店名称,交易订单总笔数,退款订单总笔数,已收入金额（元）,实收金额（元）,"
            "支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）",
            f",,{len(payments)},{len(refunds)},{paid_in:.2f},{net:.2f},0.00,0.00,0.00,0.00,0.00,{net:.2f}",
            f"合计,,{len(payments)},{len(refunds)},{paid_in:.2f},{net:.2f},0.00,0.00,0.00,0.00,0.00,{net:.2f}",
            f"{bar}业务汇总列表结束{bar[1:]}",
            f"#导出时间：[{datetime.now(SHANGHAI):%Y年%m月%d日 %H:%M:%S}]",
        ]
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{account}_{compact}_业务明细.csv", "\r\n".join(detail).encode("gbk"))
            archive.writestr(
                f"{account}_{compact}_业务明细(汇总).csv", "\r\n".join(summary).encode("gbk")
            )
        return packed.getvalue()

    def _bill_url(self, biz: dict) -> dict:
        if biz.get("bill_type") not in ("trade", "signcustomer"):
            return _business("isv.invalid-arguments", "bill_type 无效")
        try:
            day = date.fromisoformat(biz.get("bill_date", ""))
        except ValueError:
            return _business("isv.bill_date_invalid", "账单日期格式不正确")
        if day >= datetime.now(SHANGHAI).date() and not self.bill_today:
            return _business("isp.bill_not_exist", "账单不存在")
        moments = [t.send_pay_date for t in self.trades.values()]
        moments += [r.gmt_refund for r in self.refunds.values()]
        if not any(moment.startswith(day.isoformat()) for moment in moments):
            return _business("isp.bill_not_exist", "账单不存在")
        rows = self.bill(day)
        token = secrets.token_urlsafe(16)
        with self._record:
            self._bills[token] = (rows, time.monotonic() + 30)
        compact = day.strftime("%Y%m%d")
        query = urlencode(
            {
                "bizType": "trade",
                "userId": "20881234567890120156",
                "fileType": "csv.zip",
                "bizDates": compact,
                "downloadFileName": f"20881234567890120156_{compact}.csv.zip",
                "fileId": f"/trade/20881234567890120156/{compact}",
                "timestamp": str(int(time.time())),
                "token": token,
            }
        )
        return _success() | {"bill_download_url": f"{self.url}/downloadBillFile.resource?{query}"}

    def _bill_file(self, request: Request) -> Response:
        with self._record:
            found = self._bills.pop(request.query.get("token", ""), None)
        if found is None or found[1] < time.monotonic():
            self.refused.append("bill token")
            return _html("<p>下载链接已失效</p>")
        self.downloads += 1
        return Response(status=200, body=found[0], content_type="application/oct-stream")

    def handle(self, request: Request) -> Response:
        if request.path == "/downloadBillFile.resource" and request.method == "GET":
            return self._bill_file(request)
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
        if failure == "bill_not_exist":
            return self._answer(key, _business("isp.bill_not_exist", "账单不存在"))
        biz = json.loads(params.get("biz_content") or "{}")
        handler = {
            "alipay.trade.query": self._query,
            "alipay.trade.close": self._close,
            "alipay.trade.refund": self._refund,
            "alipay.trade.fastpay.refund.query": self._refund_query,
            "alipay.data.dataservice.bill.downloadurl.query": self._bill_url,
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

"""A fake WeChat Pay API v3 (direct merchant): JSAPI and H5 orders, query, close,
refunds, and notifications signed with the platform key and encrypted with the APIv3
key, as WeChat Pay sends them.

It holds its own platform key pair and knows only the merchant's public key: every
request's ``Authorization`` is checked against it (scheme, merchant, certificate serial,
timestamp, nonce used once, signature) and refused with 401 ``SIGN_ERROR`` otherwise.
Every answer is signed. ``fail_next`` kinds: "server_error" (500 SYSTEM_ERROR),
"frequency" (429), "forged" (an answer signed with another key), and for the trade
bill "no_statement" (400 NO_STATEMENT_EXIST), "statement_creating" (400
STATEMENT_CREATING), "bad_hash" (a ``hash_value`` that is not the file's).

The trade bill (``GET /v3/bill/tradebill``) is made from the fake's own trades and
refunds of the day, as WeChat Pay writes it (backticks, the summary, gzip on
``tar_type=GZIP``); ``stranger_trade`` adds a paid trade the merchant never created.
Its download (``GET /v3/billdownload/file?token=…``) is authenticated like any call and
answered with the file itself, unsigned, as WeChat Pay does.
"""

import base64
import gzip
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.fakes.server import FakeServer, Request, Response

SHANGHAI = ZoneInfo("Asia/Shanghai")
_AUTHORIZATION = re.compile(r"^WECHATPAY2-SHA256-RSA2048 (.+)$")
_PARAM = re.compile(r'(\w+)="([^"]*)"')
BILL_COLUMNS = [
    "交易时间",
    "公众账号ID",
    "商户号",
    "特约商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "应结订单金额",
    "代金券金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
    "订单金额",
    "申请退款金额",
    "费率备注",
]
BILL_SUMMARY = [
    "总交易单数",
    "应结订单总金额",
    "退款总金额",
    "充值券退款总金额",
    "手续费总金额",
    "订单总金额",
    "申请退款总金额",
]
STATEMENT_FAILURES = {
    "no_statement": {"code": "NO_STATEMENT_EXIST", "message": "账单文件不存在"},
    "statement_creating": {"code": "STATEMENT_CREATING", "message": "账单生成中，请稍后再试"},
}
_TRADE = re.compile(r"^/v3/pay/transactions/out-trade-no/([^/]+)(/close)?$")


def fresh_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


# A 2048-bit key takes tens of milliseconds of CPU to make, and each fake makes one, each
# forged message another. So keys come in turn from a few made once per process: any
# KEY_TURN keys handed out one after another differ, so that the keys one test uses (the
# fake's, a forger's, a wrong merchant key) never coincide. Keys that live longer than a
# test (our merchant key) are made apart, with ``fresh_rsa_key``.
KEY_TURN = 8
_keys: list[rsa.RSAPrivateKey] = []
_handed = itertools.count()
_keys_lock = threading.Lock()


def new_rsa_key() -> rsa.RSAPrivateKey:
    with _keys_lock:
        turn = next(_handed) % KEY_TURN
        if turn == len(_keys):
            _keys.append(fresh_rsa_key())
        return _keys[turn]


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        key = key.public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def _sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def _verifies(key: rsa.RSAPublicKey, message: bytes, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class Trade:
    out_trade_no: str
    trade_type: str  # JSAPI or MWEB
    appid: str
    description: str
    total: int
    notify_url: str
    time_expire: str
    prepay_id: str
    payer_openid: str = ""
    trade_state: str = "NOTPAY"
    transaction_id: str = ""
    success_time: str = ""
    refunded: int = 0


@dataclass
class Refund:
    out_refund_no: str
    out_trade_no: str
    refund_id: str
    amount: int
    total: int
    reason: str
    status: str
    notify_url: str = ""
    success_time: str = ""


@dataclass
class Callback:
    headers: dict[str, str]
    body: bytes = field(repr=False)


class FakeWeChatPay(FakeServer):
    def __init__(
        self,
        *,
        mchid: str,
        appids: set[str],
        merchant_public_key: str,
        merchant_serial_no: str,
        apiv3_key: str,
        refund_status: str = "SUCCESS",
    ):
        super().__init__()
        self.mchid, self.appids = mchid, set(appids)
        self.merchant_key = serialization.load_pem_public_key(merchant_public_key.encode())
        self.merchant_serial_no = merchant_serial_no
        self.apiv3_key = apiv3_key.encode()
        self.platform_key = new_rsa_key()
        self.platform_key_id = "PUB_KEY_ID_0116" + secrets.token_hex(12).upper()
        self.refund_status = refund_status  # what a new refund answers first
        self.trades: dict[str, Trade] = {}
        self.refunds: dict[str, Refund] = {}
        self.refused: list[str] = []  # why each unauthenticated request was refused
        self._nonces: set[str] = set()
        self._bills: dict[str, bytes] = {}  # download token: the file
        self.downloads = 0  # trade bill files handed out
        self.bad_hash_next = False
        # WeChat Pay makes a day's bill the next morning; tests of today may ask for it.
        self.bill_today = True
        self._numbers = itertools.count(1)
        self._record = threading.Lock()

    @property
    def platform_public_key(self) -> str:
        return public_pem(self.platform_key)

    # --- what the test arranges (the payer's side) ------------------------------------

    def pay_with(self, params: dict) -> bool:
        """What ``wx.requestPayment`` does with our parameters: check ``paySign`` with
        the merchant key, then pay the order. False when the signature is wrong."""
        message = "".join(
            f"{params[key]}\n" for key in ("appId", "timeStamp", "nonceStr", "package")
        ).encode()
        if params.get("signType") != "RSA" or not _verifies(
            self.merchant_key, message, params.get("paySign", "")
        ):
            return False
        prepay_id = params["package"].removeprefix("prepay_id=")
        trade = next(t for t in self.trades.values() if t.prepay_id == prepay_id)
        if trade.appid != params["appId"]:
            return False
        self.pay(trade.out_trade_no)
        return True

    def pay(self, out_trade_no: str) -> Trade:
        with self._record:
            trade = self.trades[out_trade_no]
            trade.trade_state = "SUCCESS"
            trade.transaction_id = f"42000026{next(self._numbers):020d}"
            trade.success_time = datetime.now(SHANGHAI).isoformat(timespec="seconds")
            return trade

    def stranger_trade(
        self, *, total: int, out_trade_no: str | None = None, paid_at: datetime | None = None
    ) -> Trade:
        """A payment WeChat Pay holds for the merchant that it never created (another
        system on the same merchant number, a forged order): paid, in the day's bill."""
        number = out_trade_no or f"X{secrets.token_hex(8).upper()}"
        with self._record:
            trade = Trade(
                out_trade_no=number,
                trade_type="MWEB",
                appid=next(iter(self.appids)),
                description="未知商品",
                total=total,
                notify_url="",
                time_expire="",
                prepay_id=f"wx{secrets.token_hex(16)}",
                trade_state="SUCCESS",
                transaction_id=f"42000026{next(self._numbers):020d}",
                success_time=(paid_at or datetime.now(SHANGHAI)).isoformat(timespec="seconds"),
            )
            self.trades[number] = trade
        return trade

    def set_state(self, out_trade_no: str, trade_state: str) -> None:
        with self._record:
            self.trades[out_trade_no].trade_state = trade_state

    def finish_refund(self, out_refund_no: str, status: str = "SUCCESS") -> Refund:
        with self._record:
            refund = self.refunds[out_refund_no]
            refund.status = status
            refund.success_time = datetime.now(SHANGHAI).isoformat(timespec="seconds")
            return refund

    # --- notifications -------------------------------------------------------------

    def payment_notification(self, out_trade_no: str, **tampering) -> Callback:
        trade = self.trades[out_trade_no]
        return self._notification(
            "TRANSACTION.SUCCESS", "transaction", "支付成功", self._trade_json(trade), **tampering
        )

    def garbled_notification(self, out_trade_no: str, resource) -> Callback:
        """A payment notification signed and encrypted as WeChat Pay does, carrying
        ``resource`` (a function of the usual one) where its documentation allows none."""
        trade_json = self._trade_json(self.trades[out_trade_no])
        return self._notification(
            "TRANSACTION.SUCCESS", "transaction", "支付成功", resource(trade_json)
        )

    def refund_notification(self, out_refund_no: str, **tampering) -> Callback:
        refund = self.refunds[out_refund_no]
        trade = self.trades[refund.out_trade_no]
        resource = {
            "mchid": self.mchid,
            "out_trade_no": refund.out_trade_no,
            "transaction_id": trade.transaction_id,
            "out_refund_no": refund.out_refund_no,
            "refund_id": refund.refund_id,
            "refund_status": refund.status,
            "success_time": refund.success_time,
            "user_received_account": "支付用户零钱",
            "amount": {
                "total": refund.total,
                "refund": refund.amount,
                "payer_total": refund.total,
                "payer_refund": refund.amount,
            },
        }
        event = {"SUCCESS": "REFUND.SUCCESS", "ABNORMAL": "REFUND.ABNORMAL"}.get(
            refund.status, "REFUND.CLOSED"
        )
        return self._notification(event, "refund", "退款成功", resource, **tampering)

    def _notification(
        self,
        event_type,
        original_type,
        summary,
        resource,
        *,
        notification_id: str | None = None,
        signing_key: rsa.RSAPrivateKey | None = None,
        apiv3_key: bytes | None = None,
        timestamp: int | None = None,
        serial: str | None = None,
    ) -> Callback:
        nonce = secrets.token_hex(16)
        ciphertext = AESGCM(apiv3_key or self.apiv3_key).encrypt(
            nonce[:12].encode(),
            json.dumps(resource, ensure_ascii=False).encode(),
            original_type.encode(),
        )
        body = json.dumps(
            {
                "id": notification_id or f"EV-{secrets.token_hex(10)}",
                "create_time": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": summary,
                "resource": {
                    "original_type": original_type,
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(ciphertext).decode(),
                    "associated_data": original_type,
                    "nonce": nonce[:12],
                },
            },
            ensure_ascii=False,
        ).encode()
        headers = self._signature_headers(body, key=signing_key, timestamp=timestamp, serial=serial)
        headers["Content-Type"] = "application/json"
        return Callback(headers=headers, body=body)

    def deliver(self, callback: Callback, url: str) -> httpx.Response:
        """POST a notification to ``url``, as WeChat Pay would."""
        return httpx.post(url, content=callback.body, headers=callback.headers, timeout=5)

    # --- HTTP --------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        refusal = self._authenticate(request)
        if refusal:
            self.refused.append(refusal)
            return self._signed(401, {"code": "SIGN_ERROR", "message": refusal})
        failure = self.scripted_failure()
        if request.path == "/v3/billdownload/file":
            return self._bill_file(request)
        if request.path == "/v3/bill/tradebill" and failure in STATEMENT_FAILURES:
            return self._signed(400, STATEMENT_FAILURES[failure])
        if request.path == "/v3/bill/tradebill" and failure == "bad_hash":
            self.bad_hash_next = True
        if failure == "server_error":
            return self._signed(500, {"code": "SYSTEM_ERROR", "message": "系统错误"})
        if failure == "frequency":
            return self._signed(429, {"code": "FREQUENCY_LIMITED", "message": "频率超限"})
        status, body = self._route(request)
        response = self._signed(status, body, forged=failure == "forged")
        response.delay = self.scripted_delay()
        return response

    def _route(self, request: Request) -> tuple[int, dict | None]:
        if request.method == "POST" and request.path == "/v3/pay/transactions/jsapi":
            return self._order(request.json(), "JSAPI")
        if request.method == "POST" and request.path == "/v3/pay/transactions/h5":
            return self._order(request.json(), "MWEB")
        if request.method == "POST" and request.path == "/v3/refund/domestic/refunds":
            return self._refund(request.json())
        if request.method == "GET" and request.path == "/v3/bill/tradebill":
            return self._tradebill(request.query)
        match = _TRADE.match(request.path)
        if match and request.method == "GET" and not match.group(2):
            if request.query.get("mchid") != self.mchid:
                return 400, {"code": "PARAM_ERROR", "message": "mchid 与请求不符"}
            return self._query(match.group(1))
        if match and request.method == "POST" and match.group(2):
            if request.json().get("mchid") != self.mchid:
                return 400, {"code": "PARAM_ERROR", "message": "mchid 与请求不符"}
            return self._close(match.group(1))
        return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "无此接口"}

    def _authenticate(self, request: Request) -> str:
        match = _AUTHORIZATION.match(request.header("Authorization"))
        if not match:
            return "Authorization 格式错误"
        params = dict(_PARAM.findall(match.group(1)))
        if params.get("mchid") != self.mchid:
            return "商户号不符"
        if params.get("serial_no") != self.merchant_serial_no:
            return "证书序列号不符"
        timestamp = params.get("timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return "时间戳过期"
        url = request.path + (f"?{request.raw_query}" if request.raw_query else "")
        message = (
            f"{request.method}\n{url}\n{timestamp}\n{params.get('nonce_str', '')}\n".encode()
            + request.body
            + b"\n"
        )
        if not _verifies(self.merchant_key, message, params.get("signature", "")):
            return "签名错误"
        with self._record:
            if params["nonce_str"] in self._nonces:
                return "重复的随机串"
            self._nonces.add(params["nonce_str"])
        return ""

    def _order(self, body: dict, trade_type: str) -> tuple[int, dict]:
        if body.get("mchid") != self.mchid or body.get("appid") not in self.appids:
            return 400, {"code": "APPID_MCHID_NOT_MATCH", "message": "appid 和 mch_id 不匹配"}
        amount = body.get("amount") or {}
        total = amount.get("total")
        if not isinstance(total, int) or total < 1 or amount.get("currency", "CNY") != "CNY":
            return 400, {"code": "PARAM_ERROR", "message": "amount.total 无效"}
        for name in ("description", "out_trade_no", "notify_url", "time_expire"):
            if not body.get(name):
                return 400, {"code": "PARAM_ERROR", "message": f"缺少参数 {name}"}
        datetime.fromisoformat(body["time_expire"])  # an unparsable time fails the test
        if trade_type == "JSAPI" and not (body.get("payer") or {}).get("openid"):
            return 400, {"code": "PARAM_ERROR", "message": "缺少参数 payer.openid"}
        if trade_type == "MWEB" and not (body.get("scene_info") or {}).get("payer_client_ip"):
            return 400, {"code": "PARAM_ERROR", "message": "缺少参数 scene_info"}
        with self._record:
            trade = self.trades.get(body["out_trade_no"])
            if trade and trade.trade_state == "SUCCESS":
                return 400, {"code": "ORDERPAID", "message": "该订单已支付"}
            if trade and trade.trade_state == "CLOSED":
                return 400, {"code": "ORDER_CLOSED", "message": "订单已关闭"}
            if trade and (trade.total, trade.trade_type) != (total, trade_type):
                return 400, {"code": "INVALID_REQUEST", "message": "201 商户订单号重复"}
            if not trade:
                trade = Trade(
                    out_trade_no=body["out_trade_no"],
                    trade_type=trade_type,
                    appid=body["appid"],
                    description=body["description"],
                    total=total,
                    notify_url=body["notify_url"],
                    time_expire=body["time_expire"],
                    prepay_id=f"wx{secrets.token_hex(16)}",
                    payer_openid=(body.get("payer") or {}).get("openid", ""),
                )
                self.trades[trade.out_trade_no] = trade
        if trade_type == "JSAPI":
            return 200, {"prepay_id": trade.prepay_id}
        return 200, {
            "h5_url": "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb"
            f"?prepay_id={trade.prepay_id}&package=2150917749"
        }

    # --- the trade bill ------------------------------------------------------------

    def tradebill(self, day: date) -> bytes:
        """The day's trade bill (``bill_type=ALL``) as WeChat Pay writes it."""
        lines = []
        for trade in self.trades.values():
            if (
                trade.success_time
                and datetime.fromisoformat(trade.success_time).astimezone(SHANGHAI).date() == day
            ):
                lines.append(self._bill_line(trade, None))
        for refund in self.refunds.values():
            if (
                refund.success_time
                and datetime.fromisoformat(refund.success_time).astimezone(SHANGHAI).date() == day
            ):
                lines.append(self._bill_line(self.trades[refund.out_trade_no], refund))
        lines.sort()
        ordered = sum(Decimal(line[24]) for line in lines)
        asked = sum(Decimal(line[25]) for line in lines)
        settled = sum(Decimal(line[12]) for line in lines)
        refunded = sum(Decimal(line[16]) for line in lines)
        fees = sum(Decimal(line[22]) for line in lines)
        text = ",".join(BILL_COLUMNS) + "\r\n"
        text += "".join(",".join(f"`{v}" for v in line) + "\r\n" for line in lines)
        text += ",".join(BILL_SUMMARY) + "\r\n"
        totals = [len(lines), f"{settled:.2f}", f"{refunded:.2f}", "0.00", f"{fees:.5f}"]
        totals += [f"{ordered:.2f}", f"{asked:.2f}"]
        text += ",".join(f"`{v}" for v in totals) + "\r\n"
        return text.encode()

    def _bill_line(self, trade: Trade, refund: Refund | None) -> list[str]:
        yuan = f"{Decimal(trade.total) / 100:.2f}"
        if refund is None:
            when, state, fee = trade.success_time, "SUCCESS", Decimal(trade.total) * 6 / 100000
            settled, refund_fields, ordered, asked = (
                yuan,
                ["0", "0", "0.00", "0.00", "", ""],
                yuan,
                "0.00",
            )
        else:
            back = f"{Decimal(refund.amount) / 100:.2f}"
            when, state, fee = refund.success_time, "REFUND", -Decimal(refund.amount) * 6 / 100000
            refund_fields = [
                refund.refund_id,
                refund.out_refund_no,
                back,
                "0.00",
                "ORIGINAL",
                "SUCCESS",
            ]
            settled, ordered, asked = "0.00", "0.00", back
        moment = datetime.fromisoformat(when).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        return [
            moment,
            trade.appid,
            self.mchid,
            "0",
            "",
            trade.transaction_id,
            trade.out_trade_no,
            trade.payer_openid or "oFakeH5Payer",
            trade.trade_type,
            state,
            "OTHERS",
            "CNY",
            settled,
            "0.00",
            *refund_fields,
            trade.description,
            "",
            f"{fee:.5f}",
            "0.60%",
            ordered,
            asked,
            "",
        ]

    def _tradebill(self, query: dict[str, str]) -> tuple[int, dict]:
        try:
            day = date.fromisoformat(query.get("bill_date", ""))
        except ValueError:
            return 400, {"code": "PARAM_ERROR", "message": "bill_date 格式错误"}
        if query.get("bill_type", "ALL") not in ("ALL", "SUCCESS", "REFUND"):
            return 400, {"code": "PARAM_ERROR", "message": "bill_type 无效"}
        if day >= datetime.now(SHANGHAI).date() and not self.bill_today:
            return 400, STATEMENT_FAILURES["statement_creating"]
        bill = self.tradebill(day)
        if bill.count(b"\r\n") <= 3:  # headers and totals only: no trade that day
            return 400, STATEMENT_FAILURES["no_statement"]
        gzipped = query.get("tar_type") == "GZIP"
        token = secrets.token_urlsafe(16)
        with self._record:
            self._bills[token] = gzip.compress(bill) if gzipped else bill
        digest = hashlib.sha1(bill, usedforsecurity=False).hexdigest()
        if self.bad_hash_next:
            self.bad_hash_next = False
            digest = hashlib.sha1(bill + b"x", usedforsecurity=False).hexdigest()
        return 200, {
            "hash_type": "SHA1",
            "hash_value": digest,
            "download_url": f"{self.url}/v3/billdownload/file?token={token}",
        }

    def _bill_file(self, request: Request) -> Response:
        with self._record:
            content = self._bills.pop(request.query.get("token", ""), None)
        if request.method != "GET" or content is None:
            return self._signed(400, {"code": "PARAM_ERROR", "message": "token 无效或已使用"})
        self.downloads += 1
        return Response(status=200, body=content, content_type="application/octet-stream")

    def _query(self, out_trade_no: str) -> tuple[int, dict]:
        trade = self.trades.get(out_trade_no)
        if trade is None:
            return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
        return 200, self._trade_json(trade)

    def _close(self, out_trade_no: str) -> tuple[int, dict | None]:
        with self._record:
            trade = self.trades.get(out_trade_no)
            if trade is None:
                return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
            if trade.trade_state in ("SUCCESS", "REFUND"):
                return 400, {"code": "ORDERPAID", "message": "订单已支付"}
            trade.trade_state = "CLOSED"
        return 204, None

    def _refund(self, body: dict) -> tuple[int, dict]:
        amount = body.get("amount") or {}
        with self._record:
            trade = self.trades.get(body.get("out_trade_no", ""))
            if trade is None:
                return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"}
            existing = self.refunds.get(body.get("out_refund_no", ""))
            if existing:
                return 200, self._refund_json(existing, trade)
            if trade.trade_state not in ("SUCCESS", "REFUND"):
                return 400, {"code": "INVALID_REQUEST", "message": "订单未支付"}
            if amount.get("total") != trade.total:
                return 400, {"code": "PARAM_ERROR", "message": "订单金额与原订单不符"}
            refund_fen = amount.get("refund")
            if not isinstance(refund_fen, int) or refund_fen < 1:
                return 400, {"code": "PARAM_ERROR", "message": "退款金额无效"}
            if trade.refunded + refund_fen > trade.total:
                return 400, {"code": "INVALID_REQUEST", "message": "申请退款金额超过订单可退金额"}
            refund = Refund(
                out_refund_no=body["out_refund_no"],
                out_trade_no=trade.out_trade_no,
                refund_id=f"50300{next(self._numbers):024d}",
                amount=refund_fen,
                total=trade.total,
                reason=body.get("reason", ""),
                status=self.refund_status,
                notify_url=body.get("notify_url", ""),
            )
            if refund.status == "SUCCESS":
                refund.success_time = datetime.now(SHANGHAI).isoformat(timespec="seconds")
            self.refunds[refund.out_refund_no] = refund
            trade.refunded += refund_fen
            trade.trade_state = "REFUND"
        return 200, self._refund_json(refund, trade)

    def _refund_json(self, refund: Refund, trade: Trade) -> dict:
        return {
            "refund_id": refund.refund_id,
            "out_refund_no": refund.out_refund_no,
            "transaction_id": trade.transaction_id,
            "out_trade_no": trade.out_trade_no,
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "create_time": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
            "status": refund.status,
            "amount": {"total": refund.total, "refund": refund.amount, "currency": "CNY"},
        }

    def _trade_json(self, trade: Trade) -> dict:
        answer = {
            "appid": trade.appid,
            "mchid": self.mchid,
            "out_trade_no": trade.out_trade_no,
            "trade_type": trade.trade_type,
            "trade_state": trade.trade_state,
            "trade_state_desc": trade.trade_state,
            "amount": {"total": trade.total, "currency": "CNY"},
        }
        if trade.transaction_id:
            answer |= {
                "transaction_id": trade.transaction_id,
                "bank_type": "OTHERS",
                "success_time": trade.success_time,
                "payer": {"openid": trade.payer_openid or "oFakeH5Payer"},
            }
            answer["amount"] |= {"payer_total": trade.total, "payer_currency": "CNY"}
        return answer

    def _signed(self, status: int, body: dict | None, *, forged: bool = False) -> Response:
        raw = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        key = new_rsa_key() if forged else None
        headers = self._signature_headers(raw, key=key)
        headers["Request-ID"] = secrets.token_hex(16)
        return Response(status=status, body=raw, headers=headers)

    def _signature_headers(self, body: bytes, *, key=None, timestamp=None, serial=None) -> dict:
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(16)
        message = f"{timestamp}\n{nonce}\n".encode() + body + b"\n"
        return {
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": _sign(key or self.platform_key, message),
            "Wechatpay-Serial": serial or self.platform_key_id,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        }

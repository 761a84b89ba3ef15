"""WeChat Pay API v3 (direct merchant): JSAPI for the mini-program, H5 for mobile
browsers, query, close, refund and signed, encrypted notifications.

The protocol is spoken directly with httpx and cryptography (ADR 0011):

* every request carries ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,
  signature=…,timestamp=…,serial_no=…``, the merchant key's SHA256withRSA signature of
  ``METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n``;
* every 2xx answer and every notification is signed by WeChat Pay over
  ``TIMESTAMP\\nNONCE\\nBODY\\n``; it is checked with the platform public key whose id
  (or platform certificate serial) the ``Wechatpay-Serial`` header names, so an answer
  we cannot verify is never believed;
* a notification's ``resource`` is AES-256-GCM encrypted with the APIv3 key.
"""

import base64
import gzip
import hashlib
import hmac
import io
import json
import secrets
import time
import zlib
from collections.abc import Mapping
from datetime import date
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from yachi.core.dates import moment_from_text
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
    load_private_key,
    load_public_key,
    rsa_sign,
    rsa_verify,
    transport_error,
)
from yachi.payments.providers.statements import (
    MAX_STATEMENT_BYTES,
    Statement,
    StatementUnavailable,
    StatementUnreadable,
    parse_wechatpay_tradebill,
    read_statement,
)

SCHEME = "WECHATPAY2-SHA256-RSA2048"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# WeChat Pay's advice: a signed timestamp further than five minutes from our clock is
# a replay (or a clock to fix), not a notification to act on.
MAX_CLOCK_SKEW_SECONDS = 300

TRADE_STATES = {
    "SUCCESS": "paid",
    "NOTPAY": "unpaid",
    "USERPAYING": "unpaid",
    "CLOSED": "closed",
    "REVOKED": "closed",
    "PAYERROR": "closed",
    "REFUND": "refunded",
}
REFUND_STATES = {
    "SUCCESS": "succeeded",
    "PROCESSING": "processing",
    "ABNORMAL": "failed",
    "CLOSED": "failed",
}
REFUND_EVENTS = {"REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED"}
# Refusals that say "not now" rather than "no": the call did nothing and may be repeated.
RETRY_LATER = frozenset({"SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANKERROR"})
# The trade bill's refusals that mean "no statement (yet)": none for a day without
# trades, or still being made (WeChat Pay makes the day's bill after 9:00 the next day).
NO_STATEMENT = frozenset({"NO_STATEMENT_EXIST", "STATEMENT_CREATING"})


class WeChatPayProvider:
    name = "wechatpay"

    def __init__(
        self,
        *,
        mchid: str,
        appid: str,
        private_key: str,
        cert_serial_no: str,
        apiv3_key: str,
        platform_public_key: str,
        platform_public_key_id: str,
        api_base: str = "https://api.mch.weixin.qq.com",
        timeout_seconds: float = 10.0,
        refund_notify_url: str = "",
    ):
        if len(apiv3_key.encode()) != 32:
            raise ValueError("the WeChat Pay APIv3 key is 32 characters long")
        self.mchid = mchid
        self.appid = appid
        self.cert_serial_no = cert_serial_no
        self.api_base = api_base.rstrip("/")
        self.refund_notify_url = refund_notify_url
        self._private_key = load_private_key(private_key)
        self._apiv3_key = apiv3_key.encode()
        self._platform_key = load_public_key(platform_public_key)
        self._platform_key_id = platform_public_key_id
        self._timeout = httpx.Timeout(timeout_seconds)

    def __repr__(self) -> str:
        return f"WeChatPayProvider(mchid={self.mchid!r}, api_base={self.api_base!r})"

    # --- the payment interface -------------------------------------------------------

    def start(self, request: PaymentRequest) -> PaymentStart:
        order = {
            "appid": self.appid,
            "mchid": self.mchid,
            "description": request.description[:127],
            "out_trade_no": request.out_trade_no,
            "time_expire": request.expires_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
            "notify_url": request.notify_url,
            "amount": {"total": request.amount_fen, "currency": "CNY"},
        }
        if request.channel == "jsapi":
            if not request.payer_openid:
                raise ValueError("a JSAPI payment needs the payer's openid")
            order["payer"] = {"openid": request.payer_openid}
            answer = self._call("POST", "/v3/pay/transactions/jsapi", body=order)
            return PaymentStart(kind="jsapi", params=self.jsapi_params(_field(answer, "prepay_id")))
        if request.channel == "h5":
            if not request.client_ip:
                raise ValueError("an H5 payment needs the payer's IP address")
            order["scene_info"] = {
                "payer_client_ip": request.client_ip,
                "h5_info": {"type": "Wap"},
            }
            answer = self._call("POST", "/v3/pay/transactions/h5", body=order)
            url = _field(answer, "h5_url")
            if request.return_url:
                # WeChat's cashier sends the payer back here, whatever the outcome.
                url += "&" + urlencode({"redirect_url": request.return_url})
            return PaymentStart(kind="redirect", url=url)
        raise ValueError(f"WeChat Pay has no channel {request.channel!r} (jsapi, h5)")

    def jsapi_params(self, prepay_id: str) -> dict:
        """What ``wx.requestPayment`` takes, signed with the merchant key."""
        params = {
            "appId": self.appid,
            "timeStamp": str(int(time.time())),
            "nonceStr": secrets.token_hex(16),
            "package": f"prepay_id={prepay_id}",
            "signType": "RSA",
        }
        message = "".join(
            f"{params[key]}\n" for key in ("appId", "timeStamp", "nonceStr", "package")
        )
        params["paySign"] = rsa_sign(self._private_key, message)
        return params

    def query(self, out_trade_no: str) -> ProviderTrade:
        path = f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}"
        try:
            answer = self._call("GET", path, params={"mchid": self.mchid})
        except ProviderRefused as refused:
            if refused.code == "ORDER_NOT_EXIST":
                return ProviderTrade(out_trade_no=out_trade_no, state="not_found")
            raise
        return self._trade(answer, out_trade_no)

    def close(self, out_trade_no: str) -> None:
        """Once closed, the order can no longer be paid; a paid order refuses
        (``ORDERPAID``), and closing a closed one again is harmless."""
        path = f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}/close"
        self._call("POST", path, body={"mchid": self.mchid})

    def refund(
        self,
        *,
        out_trade_no: str,
        out_refund_no: str,
        refund_fen: int,
        total_fen: int,
        reason: str,
    ) -> RefundResult:
        body = {
            "out_trade_no": out_trade_no,
            "out_refund_no": out_refund_no,
            "amount": {"refund": refund_fen, "total": total_fen, "currency": "CNY"},
        }
        if reason:
            body["reason"] = reason[:80]
        if self.refund_notify_url:
            body["notify_url"] = self.refund_notify_url
        answer = self._call("POST", "/v3/refund/domestic/refunds", body=body)
        status = _field(answer, "status")
        if status not in REFUND_STATES:
            raise ProviderError(f"WeChat Pay refund status {status!r}", code="unexpected_answer")
        return RefundResult(
            out_refund_no=answer.get("out_refund_no", out_refund_no),
            state=REFUND_STATES[status],
            provider_refund_id=answer.get("refund_id", ""),
        )

    def statement(self, day: date) -> Statement:
        """The day's trade bill (``bill_type=ALL``, gzip): the API answers where to
        download it and its SHA1; the download is signed like any call, its answer is
        the file itself (not signed: its hash is what is checked)."""
        try:
            answer = self._call(
                "GET",
                "/v3/bill/tradebill",
                params={"bill_date": day.isoformat(), "bill_type": "ALL", "tar_type": "GZIP"},
            )
        except ProviderRefused as refused:
            if refused.code in NO_STATEMENT:
                raise StatementUnavailable(str(refused), code=refused.code) from None
            raise
        url, hash_type = _field(answer, "download_url"), answer.get("hash_type", "SHA1")
        expected = _field(answer, "hash_value")
        if hash_type != "SHA1":
            raise StatementUnreadable(f"hash_type {hash_type!r}", code="malformed")
        split, ours = urlsplit(url), urlsplit(self.api_base)
        if (split.scheme, split.netloc) != (ours.scheme, ours.netloc):
            # A signed request goes to WeChat Pay's own host, never where an answer says.
            raise StatementUnreadable(f"download_url on {split.netloc!r}", code="malformed")
        packed = self._download(split)
        try:
            raw = _gunzip(packed)
        except (OSError, EOFError, zlib.error):
            raise StatementUnreadable("the trade bill is not gzip", code="malformed") from None
        if not hmac.compare_digest(
            hashlib.sha1(raw, usedforsecurity=False).hexdigest(), expected.lower()
        ):
            raise StatementUnreadable("the trade bill's SHA1 does not match", code="bad_hash")
        return parse_wechatpay_tradebill(raw)

    def _download(self, split) -> bytes:
        signed_url = split.path + (f"?{split.query}" if split.query else "")
        headers = {"Authorization": self._authorization("GET", signed_url, b"")}
        try:
            with httpx.stream(
                "GET", split.geturl(), headers=headers, timeout=self._timeout
            ) as response:
                if not 200 <= response.status_code < 300:
                    response.read()
                    self._answer(response)  # raises, with WeChat Pay's code and message
                statement = read_statement(response)
        except httpx.HTTPError as exc:
            raise transport_error(exc, "WeChat Pay") from None
        return statement

    def parse_callback(self, *, headers: Mapping[str, str], body: bytes) -> CallbackEvent:
        try:
            self._verify(_lower(headers), body, freshness=True)
        except _Unverified as exc:
            raise InvalidCallback(str(exc), code=exc.code) from None
        try:
            return self._event(body)
        except InvalidCallback:
            raise
        except (ProviderError, AttributeError, KeyError, TypeError, ValueError) as exc:
            # Signed by WeChat Pay, yet not what its documentation describes.
            raise InvalidCallback(f"notification garbled: {exc}", code="malformed") from None

    def _event(self, body: bytes) -> CallbackEvent:
        try:
            notification = json.loads(body)
            resource = notification["resource"]
            event_type = notification["event_type"]
            notification_id = notification["id"]
        except (ValueError, KeyError, TypeError):
            raise InvalidCallback("not a WeChat Pay notification", code="malformed") from None
        plain = self._decrypt(resource)
        if event_type == "TRANSACTION.SUCCESS":
            trade = self._trade(plain, plain.get("out_trade_no", ""))
            if trade.state != "paid" or not isinstance(trade.amount_fen, int):
                raise InvalidCallback(
                    f"TRANSACTION.SUCCESS with trade_state {plain.get('trade_state')!r}",
                    code="malformed",
                )
            return CallbackEvent(
                kind="payment",
                notification_id=notification_id,
                out_trade_no=trade.out_trade_no,
                state="paid",
                amount_fen=trade.amount_fen,
                provider_trade_no=trade.provider_trade_no,
                paid_at=trade.paid_at,
                raw=plain,
            )
        if event_type in REFUND_EVENTS:
            status = plain.get("refund_status", "")
            if status not in REFUND_STATES:
                raise InvalidCallback(f"refund_status {status!r}", code="malformed")
            try:
                amount = plain["amount"]["refund"]
                out_trade_no, out_refund_no = plain["out_trade_no"], plain["out_refund_no"]
            except (KeyError, TypeError):
                raise InvalidCallback(
                    "refund notification lacks fields", code="malformed"
                ) from None
            return CallbackEvent(
                kind="refund",
                notification_id=notification_id,
                out_trade_no=out_trade_no,
                state=REFUND_STATES[status],
                amount_fen=amount,
                provider_trade_no=plain.get("transaction_id", ""),
                out_refund_no=out_refund_no,
                provider_refund_id=plain.get("refund_id", ""),
                raw=plain,
            )
        raise InvalidCallback(f"unsupported event {event_type!r}", code="unsupported_event")

    def callback_answer(self, *, ok: bool) -> CallbackAnswer:
        """Anything but a 2xx makes WeChat Pay send the notification again later."""
        if ok:
            body = {"code": "SUCCESS", "message": "OK"}
            return CallbackAnswer(200, "application/json", json.dumps(body).encode())
        body = {"code": "FAIL", "message": "not processed"}
        return CallbackAnswer(500, "application/json", json.dumps(body).encode())

    # --- the protocol -------------------------------------------------------------

    def _call(self, method: str, path: str, *, params=None, body=None) -> dict:
        url = self.api_base + path
        if params:
            url += "?" + urlencode(params)
        content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        split = urlsplit(url)
        signed_url = split.path + (f"?{split.query}" if split.query else "")
        headers = {
            "Accept": "application/json",
            "Authorization": self._authorization(method, signed_url, content),
            "Wechatpay-Serial": self._platform_key_id,
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = httpx.request(
                method, url, content=content, headers=headers, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc, "WeChat Pay") from None
        return self._answer(response)

    def _authorization(self, method: str, url: str, body: bytes) -> str:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        message = f"{method}\n{url}\n{timestamp}\n{nonce}\n{body.decode()}\n"
        signature = rsa_sign(self._private_key, message)
        return (
            f'{SCHEME} mchid="{self.mchid}",nonce_str="{nonce}",signature="{signature}",'
            f'timestamp="{timestamp}",serial_no="{self.cert_serial_no}"'
        )

    def _answer(self, response: httpx.Response) -> dict:
        status = response.status_code
        if 200 <= status < 300:
            try:
                # Freshness is for notifications; an answer to our own call is as new
                # as the call, and a slow clock here must not lose a payment.
                self._verify(_lower(response.headers), response.content, freshness=False)
            except _Unverified as exc:
                raise ProviderUnavailable(
                    f"WeChat Pay answer not verified: {exc}", code=exc.code
                ) from None
            if not response.content:
                return {}
            try:
                return response.json()
            except ValueError:
                raise ProviderUnavailable("WeChat Pay answered no JSON", code="malformed") from None
        try:
            error = response.json()
            code, message = str(error.get("code", "")), str(error.get("message", ""))
        except (ValueError, AttributeError):
            code, message = "", response.text[:200]
        if status >= 500 or status == 429 or code in RETRY_LATER:
            raise ProviderUnavailable(f"WeChat Pay {status} {code}: {message}", code=code)
        raise ProviderRefused(f"WeChat Pay {status} {code}: {message}", code=code or str(status))

    def _verify(self, headers: dict[str, str], body: bytes, *, freshness: bool) -> None:
        serial = headers.get("wechatpay-serial", "")
        timestamp = headers.get("wechatpay-timestamp", "")
        nonce = headers.get("wechatpay-nonce", "")
        signature = headers.get("wechatpay-signature", "")
        kind = headers.get("wechatpay-signature-type", SCHEME)
        if not (serial and timestamp and nonce and signature):
            raise _Unverified("signature headers missing", code="unsigned")
        if kind != SCHEME:
            raise _Unverified(f"signature type {kind!r}", code="invalid_signature")
        if serial.upper() != self._platform_key_id.upper():
            # Another key: after a platform key rotation, configure the new one.
            raise _Unverified(f"unknown platform key {serial!r}", code="unknown_key")
        if not timestamp.isdigit():
            raise _Unverified("timestamp is not a number", code="invalid_signature")
        if freshness and abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
            raise _Unverified(f"timestamp {timestamp} is stale", code="stale")
        message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
        if not rsa_verify(self._platform_key, message, signature):
            raise _Unverified("signature does not verify", code="invalid_signature")

    def _decrypt(self, resource) -> dict:
        try:
            if resource["algorithm"] != "AEAD_AES_256_GCM":
                raise InvalidCallback(
                    f"algorithm {resource['algorithm']!r}", code="unsupported_algorithm"
                )
            plain = AESGCM(self._apiv3_key).decrypt(
                resource["nonce"].encode(),
                base64.b64decode(resource["ciphertext"]),
                (resource.get("associated_data") or "").encode(),
            )
            return json.loads(plain)
        except InvalidTag:
            raise InvalidCallback("resource does not decrypt", code="undecryptable") from None
        except (KeyError, TypeError, ValueError):
            raise InvalidCallback("resource is malformed", code="malformed") from None

    def _trade(self, data: dict, out_trade_no: str) -> ProviderTrade:
        state = TRADE_STATES.get(data.get("trade_state", ""))
        if state is None:
            raise ProviderError(
                f"WeChat Pay trade_state {data.get('trade_state')!r}", code="unexpected_answer"
            )
        amount = data.get("amount") or {}
        success_time = data.get("success_time")
        try:
            paid_at = moment_from_text(success_time) if success_time else None
        except (TypeError, ValueError):
            raise ProviderError(
                f"WeChat Pay success_time {success_time!r}", code="unexpected_answer"
            ) from None
        return ProviderTrade(
            out_trade_no=data.get("out_trade_no", out_trade_no),
            state=state,
            amount_fen=amount.get("total"),
            provider_trade_no=data.get("transaction_id", ""),
            paid_at=paid_at,
        )


class _Unverified(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _gunzip(packed: bytes) -> bytes:
    """Unpack at most MAX_STATEMENT_BYTES: a small file that unpacks to gigabytes is refused."""
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as unpacked:
        raw = unpacked.read(MAX_STATEMENT_BYTES + 1)
    if len(raw) > MAX_STATEMENT_BYTES:
        raise StatementUnreadable("statement too large", code="malformed")
    return raw


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in headers.items()}


def _field(answer: dict, name: str) -> str:
    value = answer.get(name)
    if not isinstance(value, str) or not value:
        raise ProviderError(f"WeChat Pay answer lacks {name}", code="unexpected_answer")
    return value

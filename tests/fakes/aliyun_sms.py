"""A fake Alibaba Cloud SMS endpoint (``SendSms``, API version 2017-05-25).

It authenticates requests as Alibaba Cloud documents its V3 signature
(``ACS3-HMAC-SHA256``, the scheme of the pinned SDK):

    CanonicalRequest = Method \\n CanonicalURI \\n CanonicalQueryString \\n
                       CanonicalHeaders \\n SignedHeaders \\n hex(SHA256(body))
    StringToSign     = "ACS3-HMAC-SHA256" \\n hex(SHA256(CanonicalRequest))
    Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
    Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b>,Signature=<hex>

with the query's names and values percent-encoded per RFC 3986 and sorted, and the
signed headers (``host`` and every ``x-acs-*`` header at least) lower-cased, trimmed
and sorted. Refusals carry the gateway's error shape (``SignatureDoesNotMatch``,
``InvalidAccessKeyId.NotFound``…); answers to ``SendSms`` itself carry its ``Code``.
"""

import hashlib
import hmac
import itertools
import json
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from tests.fakes.server import FakeServer, Request, Response

ALGORITHM = "ACS3-HMAC-SHA256"
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_AUTHORIZATION = re.compile(
    r"^ACS3-HMAC-SHA256 Credential=(?P<key_id>[^,]+),SignedHeaders=(?P<signed>[^,]+),"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)
_MAINLAND_MOBILE = re.compile(r"^(?:\+86|0086|86)?(1\d{10})$")
_TEMPLATE_VARIABLE = re.compile(r"\$\{(\w+)\}")
_MAX_CLOCK_SKEW = timedelta(minutes=15)


@dataclass(frozen=True)
class SentSms:
    phone: str
    sign_name: str
    template_code: str
    params: dict
    out_id: str
    biz_id: str


def percent_encode(text: str) -> str:
    return "".join(
        char if char in _UNRESERVED else "".join(f"%{byte:02X}" for byte in char.encode())
        for char in text
    )


def canonical_request(request: Request, signed_headers: list[str]) -> str:
    pairs = sorted(
        (percent_encode(name), percent_encode(value))
        for name, value in parse_qsl(request.raw_query, keep_blank_values=True)
    )
    query = "&".join(f"{name}={value}" for name, value in pairs)
    headers = "".join(
        f"{name}:{','.join(value.strip() for value in request.headers.get(name, []))}\n"
        for name in signed_headers
    )
    return "\n".join(
        [
            request.method,
            request.path or "/",
            query,
            headers,
            ";".join(signed_headers),
            hashlib.sha256(request.body).hexdigest(),
        ]
    )


def signature(secret: str, canonical: str) -> str:
    string_to_sign = f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    return hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


class FakeAliyunSms(FakeServer):
    """``fail_next`` kinds: "throttle" (the per-number flow control of ``SendSms``),
    "throttle_api" (the gateway's ``Throttling.User``), "server_error" (HTTP 500) and
    "unavailable" (HTTP 503)."""

    def __init__(self, *, access_keys: dict[str, str], signs: set[str], templates: dict[str, str]):
        super().__init__()
        self.access_keys = dict(access_keys)
        self.signs = set(signs)
        # Template code → its text; the ${variables} in the text must all get a value.
        self.templates = dict(templates)
        self.sent: list[SentSms] = []
        self.refused: list[str] = []
        self._nonces: set[str] = set()
        self._biz_ids = itertools.count(880000001)
        self._record = threading.Lock()

    def handle(self, request: Request) -> Response:
        refusal = self._authenticate(request)
        if refusal:
            return self._refuse(refusal)
        if (
            request.header("x-acs-action") != "SendSms"
            or request.header("x-acs-version") != "2017-05-25"
        ):
            return self._refuse(
                (
                    "InvalidAction.NotFound",
                    "Specified api is not found, please check your url and method.",
                    404,
                )
            )
        failure = self.scripted_failure()
        if failure == "throttle":
            return self._answer("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        if failure == "throttle_api":
            return self._refuse(
                ("Throttling.User", "Request was denied due to user flow control.", 400)
            )
        if failure == "server_error":
            return self._refuse(
                (
                    "InternalError",
                    "The request processing has failed due to some unknown error, exception or failure.",
                    500,
                )
            )
        if failure == "unavailable":
            return self._refuse(
                (
                    "ServiceUnavailable",
                    "The request has failed due to a temporary failure of the server.",
                    503,
                )
            )
        return self._send(request.query)

    # --- authentication --------------------------------------------------------------

    def _authenticate(self, request: Request) -> tuple[str, str, int] | None:
        match = _AUTHORIZATION.match(request.header("authorization"))
        if not match:
            return (
                "IncompleteSignature",
                "The request signature does not conform to Aliyun standards.",
                400,
            )
        secret = self.access_keys.get(match["key_id"])
        if secret is None:
            return ("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404)
        signed = match["signed"].split(";")
        must_sign = {"host"} | {name for name in request.headers if name.startswith("x-acs-")}
        if signed != sorted(signed) or not must_sign <= set(signed):
            return (
                "IncompleteSignature",
                f"Headers {sorted(must_sign - set(signed))} must be signed.",
                400,
            )
        if request.header("x-acs-content-sha256") != hashlib.sha256(request.body).hexdigest():
            return ("SignatureDoesNotMatch", "The content hash does not match the body.", 400)
        expected = signature(secret, canonical_request(request, signed))
        if not hmac.compare_digest(expected, match["signature"]):
            return (
                "SignatureDoesNotMatch",
                "Specified signature does not match our calculation.",
                400,
            )
        try:
            sent_at = datetime.strptime(request.header("x-acs-date"), "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=UTC
            )
        except ValueError:
            return (
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
                400,
            )
        if abs(datetime.now(UTC) - sent_at) > _MAX_CLOCK_SKEW:
            return (
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
                400,
            )
        nonce = request.header("x-acs-signature-nonce")
        with self._record:
            if not nonce or nonce in self._nonces:
                return ("SignatureNonceUsed", "Specified signature nonce was used already.", 400)
            self._nonces.add(nonce)
        return None

    # --- SendSms ---------------------------------------------------------------------

    def _send(self, query: dict[str, str]) -> Response:
        phone = query.get("PhoneNumbers", "")
        if not phone:
            return self._refuse(
                ("MissingPhoneNumbers", "PhoneNumbers is mandatory for this action.", 400)
            )
        if not _MAINLAND_MOBILE.match(phone):
            return self._answer("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        if query.get("SignName") not in self.signs:
            return self._answer("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        template = self.templates.get(query.get("TemplateCode", ""))
        if template is None:
            return self._answer("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        try:
            params = json.loads(query.get("TemplateParam") or "{}")
        except ValueError:
            params = None
        if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
            return self._answer("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if not set(_TEMPLATE_VARIABLE.findall(template)) <= set(params):
            return self._answer("isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值")
        with self._record:
            biz_id = f"{next(self._biz_ids)}^0"
            self.sent.append(
                SentSms(
                    phone=phone,
                    sign_name=query["SignName"],
                    template_code=query["TemplateCode"],
                    params=params,
                    out_id=query.get("OutId", ""),
                    biz_id=biz_id,
                )
            )
        response = self._answer("OK", "OK", BizId=biz_id)
        response.delay = self.scripted_delay()
        return response

    # --- answers ----------------------------------------------------------------------

    def _answer(self, code: str, message: str, **extra) -> Response:
        return Response.json(
            {"Code": code, "Message": message, "RequestId": _request_id(), **extra}
        )

    def _refuse(self, refusal: tuple[str, str, int]) -> Response:
        code, message, status = refusal
        self.refused.append(code)
        request_id = _request_id()
        return Response.json(
            {
                "RequestId": request_id,
                "HostId": "dysmsapi.aliyuncs.com",
                "Code": code,
                "Message": message,
                "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=Dysmsapi&requestId={request_id}",
            },
            status=status,
        )


def _request_id() -> str:
    return str(uuid.uuid4()).upper()

"""A fake Tencent Cloud SMS endpoint (``SendSms``, API version 2021-01-11).

It authenticates requests as Tencent Cloud documents TC3-HMAC-SHA256:

    CanonicalRequest = Method \\n URI \\n QueryString \\n CanonicalHeaders \\n
                       SignedHeaders \\n hex(SHA256(body))
    CredentialScope  = Date/Service/tc3_request      (Date: UTC date of X-TC-Timestamp)
    StringToSign     = "TC3-HMAC-SHA256" \\n Timestamp \\n CredentialScope \\n
                       hex(SHA256(CanonicalRequest))
    SecretDate       = HMAC-SHA256("TC3" + SecretKey, Date)
    SecretService    = HMAC-SHA256(SecretDate, Service)
    SecretSigning    = HMAC-SHA256(SecretService, "tc3_request")
    Signature        = hex(HMAC-SHA256(SecretSigning, StringToSign))
    Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<CredentialScope>,
                   SignedHeaders=content-type;host, Signature=<hex>

with the signed headers' names and values lower-cased and trimmed. Errors have
Tencent's shape, ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` with
HTTP 200 (``AuthFailure.SignatureFailure``, ``AuthFailure.SecretIdNotFound``…).
"""

import hashlib
import hmac
import itertools
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from tests.fakes.server import FakeServer, Request, Response

ALGORITHM = "TC3-HMAC-SHA256"
SERVICE = "sms"
_AUTHORIZATION = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<secret_id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/"
    r"(?P<service>[a-z]+)/tc3_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), "
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)
_MAINLAND_MOBILE = re.compile(r"^\+861\d{10}$")
_MAX_CLOCK_SKEW_SECONDS = 300


@dataclass(frozen=True)
class SentSms:
    phone: str
    app_id: str
    sign_name: str
    template_id: str
    params: list
    session_context: str
    serial_no: str


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def signature(
    *,
    secret_key: str,
    request: Request,
    signed_headers: list[str],
    timestamp: str,
    date: str,
    service: str,
) -> str:
    headers = "".join(f"{name}:{request.header(name).strip().lower()}\n" for name in signed_headers)
    canonical = "\n".join(
        [
            request.method,
            request.path or "/",
            request.raw_query if request.method == "GET" else "",
            headers,
            ";".join(signed_headers),
            hashlib.sha256(request.body).hexdigest(),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [ALGORITHM, timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


class FakeTencentSms(FakeServer):
    """``fail_next`` kinds: "throttle" (``RequestLimitExceeded`` for the whole request),
    "daily_limit" (the number's ``LimitExceeded.PhoneNumberDailyLimit``),
    "internal_error" (``InternalError``), "unavailable" (HTTP 503) and "bad_gateway"
    (HTTP 502)."""

    def __init__(
        self,
        *,
        secrets: dict[str, str],
        app_ids: set[str],
        signs: set[str],
        templates: dict[str, int],
    ):
        super().__init__()
        self.secrets = dict(secrets)
        self.app_ids = set(app_ids)
        self.signs = set(signs)
        self.templates = dict(templates)  # template id → number of parameters
        self.sent: list[SentSms] = []
        self.refused: list[str] = []
        self._serials = itertools.count(1045710669157053657849499619)
        self._record = threading.Lock()

    def handle(self, request: Request) -> Response:
        refusal = self._authenticate(request)
        if refusal:
            return self._error(*refusal)
        if request.header("x-tc-action") != "SendSms":
            return self._error("InvalidAction", "接口不存在。")
        if request.header("x-tc-version") != "2021-01-11":
            return self._error("NoSuchVersion", "接口版本不存在。")
        failure = self.scripted_failure()
        if failure == "throttle":
            return self._error("RequestLimitExceeded", "请求的次数超过了频率限制。")
        if failure == "internal_error":
            return self._error("InternalError", "内部错误。")
        if failure == "unavailable":
            return Response(
                status=503, body=b"<html>503 Service Unavailable</html>", content_type="text/html"
            )
        if failure == "bad_gateway":
            return Response(
                status=502, body=b"<html>502 Bad Gateway</html>", content_type="text/html"
            )
        try:
            body = request.json()
        except ValueError:
            return self._error("InvalidParameter", "请求体不是合法的 JSON。")
        return self._send(body, daily_limit=failure == "daily_limit")

    # --- authentication --------------------------------------------------------------

    def _authenticate(self, request: Request) -> tuple[str, str] | None:
        match = _AUTHORIZATION.match(request.header("authorization"))
        if not match:
            return (
                "AuthFailure.InvalidAuthorization",
                "请求头部的 Authorization 不符合腾讯云标准。",
            )
        secret_key = self.secrets.get(match["secret_id"])
        if secret_key is None:
            return (
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            )
        timestamp = request.header("x-tc-timestamp")
        if not timestamp.isdigit():
            return (
                "MissingParameter",
                "The request is missing a required parameter `X-TC-Timestamp`.",
            )
        now = int(time.time())
        if abs(now - int(timestamp)) > _MAX_CLOCK_SKEW_SECONDS:
            return (
                "AuthFailure.SignatureExpire",
                f"Signature expired. Timestamp:{timestamp} ServerTime:{now}",
            )
        signed = match["signed"].split(";")
        scope_date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
        if (
            match["service"] != SERVICE
            or match["date"] != scope_date
            or signed != sorted(signed)
            or not {"content-type", "host"} <= set(signed)
        ):
            return self._signature_failure()
        expected = signature(
            secret_key=secret_key,
            request=request,
            signed_headers=signed,
            timestamp=timestamp,
            date=match["date"],
            service=match["service"],
        )
        if not hmac.compare_digest(expected, match["signature"]):
            return self._signature_failure()
        return None

    @staticmethod
    def _signature_failure() -> tuple[str, str]:
        return (
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
        )

    # --- SendSms ---------------------------------------------------------------------

    def _send(self, body: dict, *, daily_limit: bool) -> Response:
        if body.get("SmsSdkAppId") not in self.app_ids:
            return self._error(
                "UnauthorizedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId 校验失败。"
            )
        if body.get("SignName") not in self.signs:
            return self._error(
                "FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。"
            )
        template_id = body.get("TemplateId")
        if template_id not in self.templates:
            return self._error(
                "FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配。"
            )
        params = body.get("TemplateParamSet") or []
        if len(params) != self.templates[template_id] or not all(
            isinstance(p, str) for p in params
        ):
            return self._error(
                "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                "请求内容与审核通过的模板内容不匹配。",
            )
        statuses = []
        for phone in body.get("PhoneNumberSet") or []:
            status = {
                "SerialNo": "",
                "PhoneNumber": phone,
                "Fee": 0,
                "SessionContext": body.get("SessionContext", ""),
                "IsoCode": "CN",
            }
            if not _MAINLAND_MOBILE.match(phone):
                status.update(
                    Code="InvalidParameterValue.IncorrectPhoneNumber",
                    Message="手机号格式错误。",
                    IsoCode="DEF",
                )
            elif daily_limit:
                status.update(
                    Code="LimitExceeded.PhoneNumberDailyLimit",
                    Message="单个手机号日下发短信条数超过设定的上限。",
                )
            else:
                with self._record:
                    serial_no = f"2640:{next(self._serials)}"
                    self.sent.append(
                        SentSms(
                            phone=phone,
                            app_id=body["SmsSdkAppId"],
                            sign_name=body["SignName"],
                            template_id=template_id,
                            params=params,
                            session_context=body.get("SessionContext", ""),
                            serial_no=serial_no,
                        )
                    )
                status.update(SerialNo=serial_no, Fee=1, Code="Ok", Message="send success")
            statuses.append(status)
        if not statuses:
            return self._error("MissingParameter", "缺少参数 PhoneNumberSet。")
        response = Response.json(
            {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}
        )
        response.delay = self.scripted_delay()
        return response

    def _error(self, code: str, message: str) -> Response:
        self.refused.append(code)
        return Response.json(
            {
                "Response": {
                    "Error": {"Code": code, "Message": message},
                    "RequestId": str(uuid.uuid4()),
                }
            }
        )

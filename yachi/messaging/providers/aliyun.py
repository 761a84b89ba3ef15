"""Alibaba Cloud SMS (``SendSms``, API 2017-05-25) through the official SDK.

The SDK signs each request (ACS3-HMAC-SHA256 in this version, pinned in
pyproject.toml). Its own retries stay off: whether a failed send may be retried is the
caller's decision, made from the ``SendResult`` below.
"""

import json

from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_dysmsapi20170525.models import SendSmsRequest
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.exceptions import ResponseException, UnretryableException
from darabonba.runtime import RuntimeOptions

from yachi.messaging.providers.base import (
    SendResult,
    SmsRequest,
    accepted,
    refused,
    template_not_configured,
    uncertain,
)
from yachi.messaging.providers.failures import transport_failure

# Refusals that say nothing was sent and that a later try may pass: throttling (per
# number per minute/hour/day, or per account), a momentary outage, a reused nonce.
SAFE_TO_RETRY = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.DAY_LIMIT_CONTROL",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "Throttling.Resource",
        "ServiceUnavailable",
        "isp.SYSTEM_ERROR",
        "SignatureNonceUsed",
    }
)


class AliyunSmsProvider:
    name = "aliyun"

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        templates: dict[str, str],
        endpoint: str,
        protocol: str = "https",
        timeout_seconds: float = 10.0,
    ):
        self.sign_name = sign_name
        self.templates = templates
        milliseconds = max(1, round(timeout_seconds * 1000))
        self._config = dict(
            access_key_id=access_key_id,
            access_key_secret=access_key_secret,
            endpoint=endpoint,
            protocol=protocol,
            read_timeout=milliseconds,
            connect_timeout=milliseconds,
        )

    def send(self, request: SmsRequest) -> SendResult:
        template_code = self.templates.get(request.template)
        if not template_code:
            return template_not_configured(self.name, request.template)
        message = SendSmsRequest(
            phone_numbers=request.phone,
            sign_name=self.sign_name,
            template_code=template_code,
            template_param=json.dumps(request.params, ensure_ascii=False, separators=(",", ":")),
            out_id=request.out_id,
        )
        client = Client(Config(**self._config))
        try:
            response = client.send_sms_with_options(message, RuntimeOptions())
        except ResponseException as exc:
            return result_from_error(
                code=exc.code or "", status=exc.status_code or 0, message=exc.message or ""
            )
        except UnretryableException as exc:
            return transport_failure(exc)
        body = response.body
        return result_from_answer(
            code=body.code or "", message=body.message or "", biz_id=body.biz_id or ""
        )


def result_from_answer(*, code: str, message: str, biz_id: str) -> SendResult:
    """An answer to ``SendSms`` itself (HTTP 200): ``Code`` is "OK" or the refusal."""
    if code == "OK":
        return accepted(biz_id)
    return refused(code, message, retryable=code in SAFE_TO_RETRY)


def result_from_error(*, code: str, status: int, message: str) -> SendResult:
    """An error from the gateway (HTTP 4xx/5xx): bad signature, throttling, outage."""
    if code in SAFE_TO_RETRY or status in (429, 503):
        return refused(code or f"http_{status}", message, retryable=True)
    if status >= 500:
        # An internal error or a gateway timeout may come after the message went out.
        return uncertain(f"HTTP {status} {code}: {message}")
    return refused(code or f"http_{status}", message)

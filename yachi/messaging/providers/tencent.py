"""Tencent Cloud SMS (``SendSms``, API 2021-01-11) through the official SDK.

The SDK signs each request with TC3-HMAC-SHA256. Tencent templates take their values
as an ordered list, so each of our templates names its params in order
(``templates.TencentTemplate``).
"""

from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from yachi.messaging.providers.base import (
    SendResult,
    SmsRequest,
    accepted,
    refused,
    template_not_configured,
    uncertain,
)
from yachi.messaging.providers.failures import transport_failure
from yachi.messaging.providers.templates import TencentTemplate

_HTTP_STATUS = "HttpStatus."

# Refusals after which nothing was sent and a later try may pass.
SAFE_TO_RETRY = frozenset({"InternalError.RequestTimeException", "RequestLimitExceeded"})
# Refusals about the request itself, although their code says "internal".
NOT_RETRYABLE = frozenset(
    {
        "InternalError.SigFieldMissing",
        "InternalError.SigVerificationFail",
        "InternalError.RestApiInterfaceNotExist",
        "LimitExceeded.PhoneNumberCountLimit",
    }
)


class _SmsClient(SmsClient):
    """The SDK reports every answer other than HTTP 200 as "ServerNetworkError"
    without its status; the status is what tells a refusal (503: nothing was done) from
    a gateway timeout (504: perhaps sent), so it is kept in the code."""

    def _check_status(self, resp):
        if resp.status_code != 200:
            raise TencentCloudSDKException(f"{_HTTP_STATUS}{resp.status_code}", resp.text[:300])


class TencentSmsProvider:
    name = "tencent"

    def __init__(
        self,
        *,
        secret_id: str,
        secret_key: str,
        app_id: str,
        sign_name: str,
        templates: dict[str, TencentTemplate],
        region: str = "ap-guangzhou",
        endpoint: str = "sms.tencentcloudapi.com",
        scheme: str = "https",
        timeout_seconds: float = 10.0,
    ):
        self.app_id = app_id
        self.sign_name = sign_name
        self.templates = templates
        self._credential = Credential(secret_id, secret_key)
        self._region = region
        self._http = dict(endpoint=endpoint, protocol=scheme, reqTimeout=timeout_seconds)

    def send(self, request: SmsRequest) -> SendResult:
        template = self.templates.get(request.template)
        if template is None:
            return template_not_configured(self.name, request.template)
        missing = [name for name in template.params if name not in request.params]
        if missing:
            return refused("template_params_missing", f"{request.template} needs {missing}")
        message = models.SendSmsRequest()
        message.SmsSdkAppId = self.app_id
        message.SignName = self.sign_name
        message.TemplateId = template.id
        message.TemplateParamSet = [str(request.params[name]) for name in template.params]
        message.PhoneNumberSet = [e164(request.phone)]
        message.SessionContext = request.out_id
        client = _SmsClient(
            self._credential, self._region, ClientProfile(httpProfile=HttpProfile(**self._http))
        )
        try:
            response = client.SendSms(message)
        except TencentCloudSDKException as exc:
            return result_from_error(exc)
        if not response.SendStatusSet:
            return uncertain(f"no send status in the answer (request {response.RequestId})")
        status = response.SendStatusSet[0]
        return result_from_status(
            code=status.Code or "", message=status.Message or "", serial_no=status.SerialNo or ""
        )


def e164(phone: str) -> str:
    """Mainland numbers are stored without their country code; Tencent wants +86."""
    phone = phone.strip()
    return phone if phone.startswith("+") else f"+86{phone}"


def result_from_status(*, code: str, message: str, serial_no: str) -> SendResult:
    """The outcome for one number (``SendStatusSet``): "Ok" or the refusal."""
    if code == "Ok":
        return accepted(serial_no)
    return result_from_code(code=code, message=message)


def result_from_code(*, code: str, message: str) -> SendResult:
    if code in NOT_RETRYABLE:
        return refused(code, message)
    if code in SAFE_TO_RETRY or code.startswith(("LimitExceeded.", "RequestLimitExceeded.")):
        return refused(code, message, retryable=True)
    if code == "InternalError" or code.startswith("InternalError."):
        # A delivery timeout or a lost answer inside Tencent: the message may be out.
        return uncertain(f"{code}: {message}")
    return refused(code, message)


def result_from_error(exc: TencentCloudSDKException) -> SendResult:
    code, message = exc.code or "", str(exc.message or "")
    if code.startswith(_HTTP_STATUS):
        status = int(code.removeprefix(_HTTP_STATUS))
        if status in (429, 503):
            return refused(f"http_{status}", message, retryable=True)
        if status >= 500:
            return uncertain(f"HTTP {status}: {message}")
        return refused(f"http_{status}", message)
    if exc.requestId:
        # Tencent answered: the request was read and refused as a whole.
        return result_from_code(code=code, message=message)
    # No answer at all, or one the SDK could not read (it wraps those errors too).
    return transport_failure(exc)

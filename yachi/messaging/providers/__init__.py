"""Message providers, chosen and configured by settings (docs/configuration.md).

``get_sms_provider()`` gives the SMS provider of ``YACHI_SMS_PROVIDER``;
``get_wechat()`` the WeChat mini-program client. The SDKs load only when their
provider is used.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from yachi.messaging.providers.base import SendResult, SmsProvider, SmsRequest
from yachi.messaging.providers.local import ConsoleProvider, MemoryProvider
from yachi.messaging.providers.templates import (
    aliyun_templates,
    tencent_templates,
    wechat_templates,
)

__all__ = [
    "SendResult",
    "SmsProvider",
    "SmsRequest",
    "check_settings",
    "get_sms_fallback",
    "get_sms_provider",
    "get_wechat",
    "wechat_configured",
]

SMS_PROVIDERS = ("console", "memory", "aliyun", "tencent")
_REQUIRED = {
    "aliyun": (
        "YACHI_ALIYUN_ACCESS_KEY_ID",
        "YACHI_ALIYUN_ACCESS_KEY_SECRET",
        "YACHI_ALIYUN_SMS_SIGN_NAME",
    ),
    "tencent": (
        "YACHI_TENCENT_SECRET_ID",
        "YACHI_TENCENT_SECRET_KEY",
        "YACHI_TENCENT_SMS_APP_ID",
        "YACHI_TENCENT_SMS_SIGN_NAME",
    ),
}
_TEMPLATES = {
    "aliyun": "YACHI_ALIYUN_SMS_TEMPLATES",
    "tencent": "YACHI_TENCENT_SMS_TEMPLATES",
}
# Patients log in with an SMS code: a real provider without that template locks them out.
_ALWAYS_SENT = "login_code"


FALLBACK_PROVIDERS = ("aliyun", "tencent")


def get_sms_provider(name: str | None = None) -> SmsProvider:
    """The provider ``name``, by default the first choice (``YACHI_SMS_PROVIDER``)."""
    name = name or settings.YACHI_SMS_PROVIDER
    if name == "console":
        return ConsoleProvider()
    if name == "memory":
        return MemoryProvider()
    if name == "aliyun":
        from yachi.messaging.providers.aliyun import AliyunSmsProvider

        return AliyunSmsProvider(
            access_key_id=settings.YACHI_ALIYUN_ACCESS_KEY_ID,
            access_key_secret=settings.YACHI_ALIYUN_ACCESS_KEY_SECRET,
            sign_name=settings.YACHI_ALIYUN_SMS_SIGN_NAME,
            templates=_parsed("YACHI_ALIYUN_SMS_TEMPLATES", aliyun_templates),
            endpoint=settings.YACHI_ALIYUN_SMS_ENDPOINT,
            protocol=settings.YACHI_ALIYUN_SMS_PROTOCOL,
            timeout_seconds=settings.YACHI_SMS_TIMEOUT_SECONDS,
        )
    if name == "tencent":
        from yachi.messaging.providers.tencent import TencentSmsProvider

        return TencentSmsProvider(
            secret_id=settings.YACHI_TENCENT_SECRET_ID,
            secret_key=settings.YACHI_TENCENT_SECRET_KEY,
            app_id=settings.YACHI_TENCENT_SMS_APP_ID,
            sign_name=settings.YACHI_TENCENT_SMS_SIGN_NAME,
            templates=_parsed("YACHI_TENCENT_SMS_TEMPLATES", tencent_templates),
            region=settings.YACHI_TENCENT_SMS_REGION,
            endpoint=settings.YACHI_TENCENT_SMS_ENDPOINT,
            scheme=settings.YACHI_TENCENT_SMS_SCHEME,
            timeout_seconds=settings.YACHI_SMS_TIMEOUT_SECONDS,
        )
    raise ImproperlyConfigured(f"YACHI_SMS_PROVIDER must be one of {', '.join(SMS_PROVIDERS)}")


def get_sms_fallback() -> SmsProvider | None:
    """The provider that carries a message the first choice failed to send, if any."""
    name = settings.YACHI_SMS_FALLBACK_PROVIDER
    return get_sms_provider(name) if name else None


def wechat_configured() -> bool:
    return bool(settings.YACHI_WECHAT_APPID and settings.YACHI_WECHAT_SECRET)


def get_wechat():
    from yachi.messaging.providers.wechat import WeChatMiniProgram

    if not wechat_configured():
        raise ImproperlyConfigured("YACHI_WECHAT_APPID and YACHI_WECHAT_SECRET are not set")
    return WeChatMiniProgram(
        appid=settings.YACHI_WECHAT_APPID,
        secret=settings.YACHI_WECHAT_SECRET,
        api_base=settings.YACHI_WECHAT_API_BASE,
        templates=_parsed("YACHI_WECHAT_TEMPLATES", wechat_templates),
        miniprogram_state=settings.YACHI_WECHAT_MINIPROGRAM_STATE,
        timeout_seconds=settings.YACHI_WECHAT_TIMEOUT_SECONDS,
    )


def check_settings() -> None:
    """Stop the start when the chosen providers cannot work, naming the variable."""
    parsed = {
        "aliyun": _parsed("YACHI_ALIYUN_SMS_TEMPLATES", aliyun_templates),
        "tencent": _parsed("YACHI_TENCENT_SMS_TEMPLATES", tencent_templates),
    }
    _parsed("YACHI_WECHAT_TEMPLATES", wechat_templates)
    name = settings.YACHI_SMS_PROVIDER
    if name not in SMS_PROVIDERS:
        raise ImproperlyConfigured(f"YACHI_SMS_PROVIDER must be one of {', '.join(SMS_PROVIDERS)}")
    fallback = settings.YACHI_SMS_FALLBACK_PROVIDER
    if fallback and fallback not in FALLBACK_PROVIDERS:
        raise ImproperlyConfigured(
            f"YACHI_SMS_FALLBACK_PROVIDER must be one of {', '.join(FALLBACK_PROVIDERS)}"
        )
    if fallback and fallback == name:
        raise ImproperlyConfigured(
            "YACHI_SMS_FALLBACK_PROVIDER is the same as YACHI_SMS_PROVIDER: name the other one"
        )
    for variable, chosen in (
        ("YACHI_SMS_PROVIDER", name),
        ("YACHI_SMS_FALLBACK_PROVIDER", fallback),
    ):
        _check_provider(variable, chosen, parsed)
    if bool(settings.YACHI_WECHAT_APPID) != bool(settings.YACHI_WECHAT_SECRET):
        raise ImproperlyConfigured("YACHI_WECHAT_APPID and YACHI_WECHAT_SECRET go together")


def _check_provider(variable: str, name: str, parsed: dict) -> None:
    required = _REQUIRED.get(name, ())
    missing = [setting for setting in required if not getattr(settings, setting)]
    if missing:
        raise ImproperlyConfigured(f"{variable}={name} needs {', '.join(missing)}")
    if name in parsed and _ALWAYS_SENT not in parsed[name]:
        raise ImproperlyConfigured(
            f"{_TEMPLATES[name]} needs a {_ALWAYS_SENT!r} template: patients log in with it"
        )


def _parsed(variable: str, reader):
    try:
        return reader(getattr(settings, variable), source=variable)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None

"""Online payment providers behind one interface (``base.PaymentProvider``), chosen
by name and configured by settings (docs/configuration.md).

``get_payment_provider(name)`` builds the adapter; ``payment_provider_configured(name)``
tells whether its settings are complete, so that a payer is only offered what works.
Adapters load only when asked for.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from yachi.payments.providers.base import PaymentProvider

__all__ = ["ONLINE_PROVIDERS", "get_payment_provider", "payment_provider_configured"]

# Providers that move real money. A development "simulator" joins the names that
# get_payment_provider knows, not this tuple.
ONLINE_PROVIDERS = ("wechatpay", "alipay")

_REQUIRED = {
    "wechatpay": (
        "YACHI_WECHATPAY_MCHID",
        "YACHI_WECHATPAY_APPID",
        "YACHI_WECHATPAY_PRIVATE_KEY",
        "YACHI_WECHATPAY_CERT_SERIAL_NO",
        "YACHI_WECHATPAY_APIV3_KEY",
        "YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY",
        "YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY_ID",
    ),
    "alipay": ("YACHI_ALIPAY_APPID", "YACHI_ALIPAY_PRIVATE_KEY", "YACHI_ALIPAY_PUBLIC_KEY"),
}


def payment_provider_configured(name: str) -> bool:
    required = _REQUIRED.get(name)
    return bool(required) and all(getattr(settings, variable, "") for variable in required)


def get_payment_provider(name: str) -> PaymentProvider:
    if name not in ONLINE_PROVIDERS:
        raise ImproperlyConfigured(f"no payment provider {name!r}")
    if not payment_provider_configured(name):
        missing = [variable for variable in _REQUIRED[name] if not getattr(settings, variable, "")]
        raise ImproperlyConfigured(f"payment provider {name} needs {', '.join(missing)}")
    try:
        return _build(name)
    except ValueError as exc:  # a key that does not load, an APIv3 key of the wrong length
        raise ImproperlyConfigured(f"payment provider {name}: {exc}") from None


def _build(name: str) -> PaymentProvider:
    timeout = settings.YACHI_PAYMENT_TIMEOUT_SECONDS
    if name == "wechatpay":
        from yachi.payments.providers.wechatpay import WeChatPayProvider

        return WeChatPayProvider(
            mchid=settings.YACHI_WECHATPAY_MCHID,
            appid=settings.YACHI_WECHATPAY_APPID,
            private_key=settings.YACHI_WECHATPAY_PRIVATE_KEY,
            cert_serial_no=settings.YACHI_WECHATPAY_CERT_SERIAL_NO,
            apiv3_key=settings.YACHI_WECHATPAY_APIV3_KEY,
            platform_public_key=settings.YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY,
            platform_public_key_id=settings.YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY_ID,
            api_base=settings.YACHI_WECHATPAY_API_BASE,
            refund_notify_url=settings.YACHI_WECHATPAY_REFUND_NOTIFY_URL,
            timeout_seconds=timeout,
        )
    from yachi.payments.providers.alipay import AlipayProvider

    return AlipayProvider(
        appid=settings.YACHI_ALIPAY_APPID,
        private_key=settings.YACHI_ALIPAY_PRIVATE_KEY,
        alipay_public_key=settings.YACHI_ALIPAY_PUBLIC_KEY,
        gateway=settings.YACHI_ALIPAY_GATEWAY,
        timeout_seconds=timeout,
    )

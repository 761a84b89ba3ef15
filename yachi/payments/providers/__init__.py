"""Online payment providers behind one interface (``base.PaymentProvider``)."""

from django.conf import settings


def payment_provider_configured(name: str) -> bool:
    return bool(getattr(settings, f"YACHI_{name.upper()}_APPID", ""))


def get_payment_provider(name: str):
    raise NotImplementedError(name)

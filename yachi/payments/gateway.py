"""Where payments meet the online providers: starting, closing, callbacks, refunds.

Provider calls happen outside database transactions (they take time and may hang);
what they answer is then applied through the services, which are idempotent.
"""

import hashlib
import logging
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.payments.choices import CallbackOutcome, IntentStatus, Method, RefundStatus
from yachi.payments.errors import MethodUnavailable, NotPayable, ProviderDown
from yachi.payments.models import CallbackRecord, PaymentIntent, Refund
from yachi.payments.providers.base import (
    CallbackAnswer,
    InvalidCallback,
    PaymentRequest,
    PaymentStart,
    ProviderRefused,
    ProviderUnavailable,
)
from yachi.payments.services import (
    AmountMismatch,
    payment_received,
    refund_completed,
    refund_failed,
)

logger = logging.getLogger(__name__)

# Notifications are a few hundred bytes; more is read no further.
MAX_NOTIFICATION_BYTES = 64 * 1024

# The channels each online method offers, the first being the default.
CHANNELS = {
    Method.WECHATPAY: ("jsapi", "h5"),
    Method.ALIPAY: ("wap", "page"),
    Method.SIMULATOR: ("page",),
}


def available_methods() -> list[str]:
    from yachi.payments.providers import payment_provider_configured

    methods = [m for m in (Method.WECHATPAY, Method.ALIPAY) if payment_provider_configured(m)]
    if settings.YACHI_PAYMENT_SIMULATOR:
        methods.append(Method.SIMULATOR)
    return methods


def provider_for(method: str):
    if method == Method.SIMULATOR:
        if not settings.YACHI_PAYMENT_SIMULATOR:
            raise MethodUnavailable()
        from yachi.payments.providers.simulator import SimulatorProvider

        return SimulatorProvider()
    if method not in available_methods():
        raise MethodUnavailable()
    from yachi.payments.providers import get_payment_provider

    return get_payment_provider(method)


def notify_url(method: str) -> str:
    from django.urls import reverse

    return settings.YACHI_PUBLIC_URL.rstrip("/") + reverse("payments:callback", args=[method])


def payment_start(
    *,
    intent: PaymentIntent,
    method: str,
    channel: str = "",
    payer_openid: str = "",
    client_ip: str = "",
    return_url: str = "",
) -> PaymentStart:
    """Open the trade at the provider and give the payer's client what it needs to pay."""
    channel = channel or CHANNELS.get(method, ("",))[0]
    if method not in CHANNELS or channel not in CHANNELS[method]:
        raise MethodUnavailable()
    provider = provider_for(method)
    if intent.status != IntentStatus.CREATED or intent.expires_at <= timezone.now():
        raise NotPayable()
    if method == Method.WECHATPAY and channel == "jsapi" and not payer_openid:
        raise MethodUnavailable(_("Bind your WeChat account to pay with WeChat Pay here."))
    if intent.method and intent.method != method:
        # One trade per intent at a time: the earlier provider's trade is closed first,
        # so the payer cannot pay twice through two providers.
        provider_close(intent)
    PaymentIntent.objects.filter(pk=intent.pk, status=IntentStatus.CREATED).update(method=method)
    intent.method = method
    request = PaymentRequest(
        out_trade_no=intent.out_trade_no,
        amount_fen=intent.amount_fen,
        description=intent.description,
        channel=channel,
        expires_at=intent.expires_at,
        notify_url=notify_url(method),
        payer_openid=payer_openid,
        client_ip=client_ip,
        return_url=return_url,
    )
    try:
        return provider.start(request)
    except ProviderUnavailable as exc:
        raise ProviderDown() from exc
    except ProviderRefused as exc:
        logger.warning("provider refused to start %s: %s", intent.out_trade_no, exc)
        raise NotPayable() from exc


def provider_close(intent: PaymentIntent) -> None:
    if provider_close_or_collect(intent):
        raise NotPayable(_("This has just been paid."))


def provider_close_or_collect(intent: PaymentIntent) -> bool:
    """Close the trade at its provider; if it was paid meanwhile record that and return True."""
    provider = provider_for(intent.method)
    try:
        trade = provider.query(intent.out_trade_no)
        if trade.state == "paid":
            _apply_paid(
                intent.method, trade.out_trade_no, trade.amount_fen, trade.provider_trade_no
            )
            return True
        if trade.state in ("unpaid",):
            provider.close(intent.out_trade_no)
    except ProviderUnavailable as exc:
        raise ProviderDown() from exc
    except ProviderRefused as exc:
        # Closing a trade that was paid in the meantime is refused: look again.
        if provider.query(intent.out_trade_no).state == "paid":
            return provider_close_or_collect(intent)
        logger.warning("closing %s refused: %s", intent.out_trade_no, exc)
    return False


def _apply_paid(method, out_trade_no, amount_fen, provider_trade_no, paid_at=None, source="query"):
    return payment_received(
        method=method,
        out_trade_no=out_trade_no,
        amount_fen=amount_fen,
        provider_trade_no=provider_trade_no,
        paid_at=paid_at,
        source=source,
    )


def _record(method, outcome, *, body, remote_addr, event=None, detail=""):
    CallbackRecord.objects.create(
        provider=method,
        notification_id=(event.notification_id if event else "")[:80],
        out_trade_no=(event.out_trade_no if event else "")[:32],
        outcome=outcome,
        detail=detail[:200],
        body_sha256=hashlib.sha256(body).hexdigest(),
        remote_addr=remote_addr[:45],
        received_at=timezone.now(),
    )


def _parse(provider, *, headers, body: bytes):
    """The verified event, or ``InvalidCallback`` saying why not, whatever was sent."""
    if len(body) > MAX_NOTIFICATION_BYTES:
        raise InvalidCallback(f"over {MAX_NOTIFICATION_BYTES} bytes", code="malformed")
    try:
        return provider.parse_callback(headers=headers, body=body)
    except InvalidCallback:
        raise
    except Exception as exc:
        # An adapter must say "malformed" itself; if one does not, the notification is
        # still recorded and the provider asked to send it again, not answered a 500.
        logger.exception("%s could not read a notification", provider.name)
        raise InvalidCallback(f"unreadable: {exc!r}", code="malformed") from None


def callback_receive(
    *, method: str, headers: Mapping[str, str], body: bytes, remote_addr: str = ""
) -> CallbackAnswer:
    """Verify and apply one provider notification; every outcome is recorded."""
    provider = provider_for(method)
    try:
        event = _parse(provider, headers=headers, body=body)
    except InvalidCallback as exc:
        if exc.code == "unsupported_event":
            # Verified, but nothing we act on: answer ok so the provider stops resending.
            _record(
                method, CallbackOutcome.IGNORED, body=body, remote_addr=remote_addr, detail=str(exc)
            )
            return provider.callback_answer(ok=True)
        logger.warning("rejected %s callback from %s: %s", method, remote_addr, exc)
        outcome = (
            CallbackOutcome.MALFORMED if exc.code == "malformed" else CallbackOutcome.BAD_SIGNATURE
        )
        _record(method, outcome, body=body, remote_addr=remote_addr, detail=str(exc))
        return provider.callback_answer(ok=False)
    outcome, detail = _apply_event(method, event)
    if outcome in (CallbackOutcome.AMOUNT_MISMATCH, CallbackOutcome.UNKNOWN_TRADE):
        logger.error("%s callback for %s: %s %s", method, event.out_trade_no, outcome, detail)
    _record(method, outcome, body=body, remote_addr=remote_addr, event=event, detail=detail)
    return provider.callback_answer(
        ok=outcome not in (CallbackOutcome.AMOUNT_MISMATCH, CallbackOutcome.UNKNOWN_TRADE)
    )


def _apply_event(method, event) -> tuple[str, str]:
    if event.kind == "refund":
        refund = Refund.objects.filter(out_refund_no=event.out_refund_no).first()
        if refund is None:
            return CallbackOutcome.UNKNOWN_TRADE, "unknown refund"
        if event.state == "succeeded":
            applied = refund_completed(refund=refund, provider_refund_id=event.provider_refund_id)
        elif event.state == "failed":
            applied = refund_failed(refund=refund, detail="provider reported failure")
        else:
            return CallbackOutcome.IGNORED, event.state
        return (CallbackOutcome.APPLIED if applied else CallbackOutcome.DUPLICATE), ""
    if event.state != "paid":
        return CallbackOutcome.IGNORED, event.state
    try:
        _, applied = _apply_paid(
            method,
            event.out_trade_no,
            event.amount_fen,
            event.provider_trade_no,
            event.paid_at,
            source="callback",
        )
    except PaymentIntent.DoesNotExist:
        return CallbackOutcome.UNKNOWN_TRADE, ""
    except AmountMismatch as exc:
        return CallbackOutcome.AMOUNT_MISMATCH, str(exc)
    return (CallbackOutcome.APPLIED if applied else CallbackOutcome.DUPLICATE), ""


def refund_send(*, refund_id: int) -> None:
    """Ask the provider to pay a refund back; raises ProviderUnavailable to be retried."""
    refund = Refund.objects.select_related("intent").get(pk=refund_id)
    if refund.status != RefundStatus.PENDING:
        return
    Refund.objects.filter(pk=refund.pk).update(attempts=F("attempts") + 1)
    intent = refund.intent
    provider = provider_for(intent.method)
    try:
        result = provider.refund(
            out_trade_no=intent.out_trade_no,
            out_refund_no=refund.out_refund_no,
            refund_fen=refund.amount_fen,
            total_fen=intent.amount_fen,
            reason=refund.reason,
        )
    except ProviderRefused as exc:
        refund_failed(refund=refund, detail=f"{exc.code} {exc}")
        return
    if result.state == "succeeded":
        refund_completed(refund=refund, provider_refund_id=result.provider_refund_id)
    elif result.state == "failed":
        refund_failed(refund=refund, detail="provider reported failure")
    elif result.provider_refund_id:
        with transaction.atomic():
            Refund.objects.filter(pk=refund.pk).update(provider_refund_id=result.provider_refund_id)

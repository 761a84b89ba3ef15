"""Sending one text message through the configured provider (``YACHI_SMS_PROVIDER``),
and through the other one (``YACHI_SMS_FALLBACK_PROVIDER``) when the first fails."""

import dataclasses
import logging

from yachi.messaging.providers import SendResult, SmsRequest, get_sms_fallback, get_sms_provider

logger = logging.getLogger("yachi.sms")


def send_sms(
    *, phone: str, template: str, params: dict[str, str], text: str, out_id: str
) -> SendResult:
    """Send now and say how it went; a refusal is logged and returned, never raised.

    A first provider that refuses or cannot be reached hands the message to the
    fallback, once. One whose answer was lost does not: the message may be on the
    patient's phone already, and a second copy from another number confuses more than
    it helps. The log names the message by its id and template only: numbers and
    texts (login codes) stay out of it.
    """
    request = SmsRequest(phone=phone, template=template, params=params, text=text, out_id=out_id)
    first = get_sms_provider()
    result = _sent(first, request)
    fallback = get_sms_fallback()
    if result.accepted or result.uncertain or fallback is None:
        return result
    second = _sent(fallback, request)
    if second.accepted or second.uncertain:
        failed_first = f"{first.name}: {result.error_code} {result.error_message}".strip()
        return dataclasses.replace(second, error_message=failed_first[:200])
    return dataclasses.replace(
        second,
        retryable=result.retryable or second.retryable,
        error_message=(
            f"{first.name}: {result.error_code} {result.error_message}; "
            f"{fallback.name}: {second.error_message}"
        ),
    )


def _sent(provider, request: SmsRequest) -> SendResult:
    result = dataclasses.replace(provider.send(request), provider=provider.name)
    if not result.accepted:
        logger.warning(
            "SMS %s (%s) not sent by %s: %s %s%s",
            request.out_id,
            request.template,
            provider.name,
            result.error_code,
            result.error_message,
            " (may be retried)" if result.retryable else "",
        )
    return result

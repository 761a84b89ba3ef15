"""Sending one text message through the configured provider (``YACHI_SMS_PROVIDER``)."""

import logging

from yachi.messaging.providers import SendResult, SmsRequest, get_sms_provider

logger = logging.getLogger("yachi.sms")


def send_sms(
    *, phone: str, template: str, params: dict[str, str], text: str, out_id: str
) -> SendResult:
    """Send now and say how it went; a refusal is logged and returned, never raised.

    The log names the message by its id and template only: numbers and texts (login
    codes) stay out of it.
    """
    result = get_sms_provider().send(
        SmsRequest(phone=phone, template=template, params=params, text=text, out_id=out_id)
    )
    if not result.accepted:
        logger.warning(
            "SMS %s (%s) not sent: %s %s%s",
            out_id,
            template,
            result.error_code,
            result.error_message,
            " (may be retried)" if result.retryable else "",
        )
    return result

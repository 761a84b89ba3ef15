"""Handing a rendered message to the channel that carries it."""

from dataclasses import dataclass

from yachi.messaging.choices import Channel
from yachi.messaging.sms import send_sms


@dataclass(frozen=True)
class Delivered:
    accepted: bool
    provider_message_id: str = ""
    retryable: bool = False
    uncertain: bool = False
    error: str = ""


def send(notification, *, title: str, text: str) -> Delivered:
    if notification.channel == Channel.INBOX:
        return Delivered(accepted=True)  # the row is the message
    if notification.channel == Channel.SMS:
        send_sms(notification.recipient.phone, text)
        return Delivered(accepted=True)
    return Delivered(accepted=False, error="WeChat is not configured")

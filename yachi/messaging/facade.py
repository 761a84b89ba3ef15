"""What other contexts may call in messaging."""

from yachi.messaging.providers import SendResult
from yachi.messaging.sms import send_sms

__all__ = ["SendResult", "send_sms"]

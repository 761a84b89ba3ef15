"""What other contexts may use of messaging."""

from yachi.messaging.providers import SendResult
from yachi.messaging.services import cancel_pending, notify
from yachi.messaging.sms import send_sms

__all__ = ["SendResult", "cancel_pending", "notify", "send_sms"]

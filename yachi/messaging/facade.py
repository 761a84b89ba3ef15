"""What other contexts may use of messaging."""

from yachi.messaging.providers import SendResult, get_wechat, wechat_configured
from yachi.messaging.selectors import notifications_of
from yachi.messaging.services import Message, cancel_pending, notify, notify_all, reaches_phone_at
from yachi.messaging.sms import send_sms

__all__ = [
    "Message",
    "SendResult",
    "cancel_pending",
    "get_wechat",
    "notifications_of",
    "notify",
    "notify_all",
    "reaches_phone_at",
    "send_sms",
    "wechat_configured",
]

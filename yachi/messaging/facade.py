"""What other contexts may use of messaging."""

from yachi.messaging.providers import SendResult, get_wechat, wechat_configured
from yachi.messaging.selectors import notifications_of
from yachi.messaging.services import cancel_pending, notify, reaches_phone_at
from yachi.messaging.sms import send_sms

__all__ = [
    "SendResult",
    "cancel_pending",
    "get_wechat",
    "notifications_of",
    "notify",
    "reaches_phone_at",
    "send_sms",
    "wechat_configured",
]

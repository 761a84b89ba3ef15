"""What other contexts may use of messaging.

Chat (``chat/``) learns of clinics, families and appointments from those contexts, which
stand above messaging: they register what it asks with ``register_chat_clinics``,
``register_chat_families`` and ``register_chat_appointments``, answering with
``ChatColleague``, ``ChatMember`` and ``ChatCard``. ``conversations_of_patient`` lists a
patient's conversations without their words (CRM's patient page).
"""

from yachi.messaging.chat.directory import Card as ChatCard
from yachi.messaging.chat.directory import Colleague as ChatColleague
from yachi.messaging.chat.directory import Member as ChatMember
from yachi.messaging.chat.directory import (
    register_chat_appointments,
    register_chat_clinics,
    register_chat_families,
)
from yachi.messaging.chat.selectors import (
    PatientConversation,
    conversations_of_patient,
)
from yachi.messaging.providers import SendResult, get_wechat, wechat_configured
from yachi.messaging.render import render as message_render
from yachi.messaging.selectors import marketing_refused, notifications_of
from yachi.messaging.services import Message, cancel_pending, notify, notify_all, reaches_phone_at
from yachi.messaging.sms import send_sms
from yachi.messaging.video.rooms import VideoAppointment, register_video_appointments
from yachi.messaging.video.selectors import room_log as video_room_log

__all__ = [
    "ChatCard",
    "ChatColleague",
    "ChatMember",
    "Message",
    "PatientConversation",
    "SendResult",
    "VideoAppointment",
    "cancel_pending",
    "conversations_of_patient",
    "get_wechat",
    "marketing_refused",
    "message_render",
    "notifications_of",
    "notify",
    "notify_all",
    "reaches_phone_at",
    "register_chat_appointments",
    "register_chat_clinics",
    "register_chat_families",
    "register_video_appointments",
    "send_sms",
    "video_room_log",
    "wechat_configured",
]

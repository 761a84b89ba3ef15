"""Conversations with the first clinic, as its inbox would hold them on a working day:
one waiting for an answer, one a doctor is answering (with an appointment card), one
closed; and the clinics' quick replies. Written through chat's services, so the
sequence numbers, read receipts and notices are the real ones."""

from datetime import timedelta

from django.utils import timezone

from yachi.booking.models import Appointment
from yachi.clinics.models import Doctor, StaffMembership
from yachi.core.roles import ClinicRole
from yachi.messaging.chat import services
from yachi.messaging.chat.models import ChatMessage, Conversation

QUICK_REPLIES = [
    ("营业时间", "您好，诊所每天 9:00–19:00 营业，节假日请以 App 上的号源为准。"),
    ("停车", "诊所楼下地下车库可停车，就诊可免费停车两小时，请在前台登记车牌。"),
    ("改约", "您可以在 App「我的预约」里改约或取消，就诊前 2 小时内改约请直接联系前台。"),
    (
        "术后注意",
        "拔牙后 2 小时内不要进食，24 小时内不要漱口、不要用吸管，如出血不止请及时联系我们。",
    ),
]


def _spread(conversation: Conversation, minutes_ago: list[int]) -> None:
    """The messages at the times a real day would have put them."""
    now = timezone.now()
    for message, minutes in zip(conversation.messages.order_by("seq"), minutes_ago, strict=False):
        ChatMessage.objects.filter(pk=message.pk).update(
            created_at=now - timedelta(minutes=minutes)
        )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=now - timedelta(minutes=min(minutes_ago))
    )


def build_chat(*, clinics, owners) -> int:
    for clinic in clinics:
        for title, text in QUICK_REPLIES:
            services.quick_reply_save(clinic_pk=clinic.pk, title=title, text=text)
    clinic = clinics[0]
    desk = (
        StaffMembership.objects.filter(clinic=clinic, role=ClinicRole.FRONT_DESK)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    doctor = Doctor.objects.filter(clinics=clinic).order_by("pk").first()
    first, second, third = owners[:3]

    waiting = services.conversation_open(actor=first, clinic_id=clinic.public_id).conversation
    services.message_send(
        actor=first, conversation=waiting, text="你好，我昨天补的牙今天喝冷水有点酸，正常吗？"
    )
    services.message_send(actor=first, conversation=waiting, text="需要再来看一下吗？")
    _spread(waiting, [14, 13])

    answered = services.conversation_open(actor=second, clinic_id=clinic.public_id).conversation
    services.message_send(
        actor=second, conversation=answered, text="孩子下周的涂氟可以改到周六上午吗？"
    )
    services.message_send(
        actor=desk, conversation=answered, text="您好，我帮您看一下周六的号源，请稍等。"
    )
    services.conversation_assign(
        actor=desk, conversation=answered, assignee_id=doctor.user.public_id
    )
    visit = (
        Appointment.objects.filter(
            patient__account__owner=second, clinic=clinic, start__gte=timezone.now()
        )
        .order_by("start")
        .first()
    )
    if visit is not None:
        services.message_send(
            actor=doctor.user, conversation=answered, appointment_id=visit.public_id
        )
    services.message_send(
        actor=doctor.user,
        conversation=answered,
        text="周六上午 10 点可以，我已经帮您留意了，您在 App 里改约到这个时间就好。",
    )
    _spread(answered, [95, 80, 78, 77, 60, 59, 58])

    closed = services.conversation_open(actor=third, clinic_id=clinic.public_id).conversation
    services.message_send(actor=third, conversation=closed, text="请问诊所附近好停车吗？")
    services.message_send(actor=desk, conversation=closed, text=QUICK_REPLIES[1][1])
    services.message_send(actor=third, conversation=closed, text="好的，谢谢！")
    services.conversation_read(actor=desk, conversation=closed)
    services.conversation_close(actor=desk, conversation=closed)
    _spread(closed, [60 * 26, 60 * 26 - 3, 60 * 26 - 3, 60 * 26 - 4, 60 * 26 - 5, 60 * 26 - 6])
    return 3

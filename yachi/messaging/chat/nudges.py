"""A patient who has not read the clinic's message for ``YACHI_CHAT_NUDGE_MINUTES`` (10)
gets one SMS or WeChat subscribe message about it, through messaging's notifications
(quiet hours respected: a service message waits for the morning).

Once per stretch of not reading: the conversation remembers the message it reminded of
(``nudged_seq``), moved by a conditional update, so two runs of the job (or two
consumers) remind once; the notification's key names that message as well, so a retried
run asks for nothing twice. A new reminder comes only after the patient has read up to
it and a later message goes unread again.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone

from yachi.messaging.chat import directory
from yachi.messaging.chat.choices import Side
from yachi.messaging.chat.models import ChatMessage, Conversation
from yachi.messaging.services import notify

# Messages older than this are no longer worth a reminder (the job was down for a day).
TOO_OLD = timedelta(days=2)


def nudge_unread(*, now=None, limit: int = 500) -> int:
    now = now or timezone.now()
    waited = now - timedelta(minutes=settings.YACHI_CHAT_NUDGE_MINUTES)
    due = (
        ChatMessage.objects.filter(
            side=Side.STAFF,
            created_at__lte=waited,
            created_at__gte=now - TOO_OLD,
            seq__gt=F("conversation__patient_read_seq"),
            conversation__nudged_seq__lte=F("conversation__patient_read_seq"),
        )
        .values("conversation_id")
        .annotate(first=Min("seq"))
        .order_by("conversation_id")[:limit]
    )
    sent = 0
    for row in due:
        sent += _nudge(row["conversation_id"], row["first"])
    return sent


def _nudge(conversation_pk: int, seq: int) -> int:
    with transaction.atomic():
        claimed = Conversation.objects.filter(
            pk=conversation_pk,
            nudged_seq__lte=F("patient_read_seq"),
            patient_read_seq__lt=seq,
        ).update(nudged_seq=seq)
        if not claimed:
            return 0
        conversation = Conversation.objects.select_related("owner").get(pk=conversation_pk)
        clinic = directory.clinics.clinics_by_pk({conversation.clinic_id}).get(
            conversation.clinic_id
        )
        notify(
            recipient=conversation.owner,
            kind="chat_unread",
            params={
                "clinic": clinic.display_name if clinic else "",
                "link": reverse("web:chat_conversation", args=[conversation.public_id]),
            },
            key=f"chat-unread:{conversation.public_id}:{seq}",
            object_type="conversation",
            object_id=conversation.public_id,
        )
    return 1

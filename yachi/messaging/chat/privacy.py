"""The family's conversations in their personal-data download, and gone with their
erasure (registered with compliance in ``MessagingConfig.ready``)."""

from django.utils.translation import gettext as _

from yachi.compliance.facade import ErasedPart, ExportedPart, PersonalDataPart
from yachi.messaging.chat import directory, services
from yachi.messaging.chat.choices import MessageKind
from yachi.messaging.chat.models import ChatMessage, Conversation


def _export(user) -> ExportedPart:
    conversations = list(Conversation.objects.filter(owner=user).order_by("pk"))
    clinics = directory.clinics.clinics_by_pk({c.clinic_id for c in conversations})
    patients = directory.families.names({c.patient_id for c in conversations})
    messages = ChatMessage.objects.filter(conversation__in=conversations).order_by(
        "conversation_id", "seq"
    )
    by_conversation: dict[int, list] = {}
    files: dict[str, bytes] = {}
    for message in messages.select_related("appointment"):
        entry = {
            "seq": message.seq,
            "at": message.created_at.isoformat(),
            "from": message.side,
            "kind": message.kind,
        }
        if message.kind == MessageKind.TEXT:
            entry["text"] = message.text
        elif message.kind == MessageKind.IMAGE:
            name = f"chat/{message.public_id}.{message.image_content_type.split('/')[-1]}"
            files[name] = services.image_content(message)
            entry["file"] = name
        elif message.kind == MessageKind.APPOINTMENT and message.appointment_id:
            entry["appointment"] = str(message.appointment.public_id)
        elif message.kind == MessageKind.EVENT:
            entry["event"] = message.event
        by_conversation.setdefault(message.conversation_id, []).append(entry)
    data = [
        {
            "id": str(c.public_id),
            "clinic": clinics[c.clinic_id].display_name if c.clinic_id in clinics else "",
            "patient": patients.get(c.patient_id, ""),
            "status": c.status,
            "messages": by_conversation.get(c.pk, []),
        }
        for c in conversations
    ]
    return ExportedPart(data={"conversations": data}, files=files)


def _erase(user, *, reason: str) -> ErasedPart:
    count = services.conversations_erase(owner=user)
    deleted = [_("your conversations with clinics (%(count)s)") % {"count": count}] if count else []
    return ErasedPart(deleted=deleted, details={"conversations": count})


# Erased before the family and the account (a higher order is erased first).
PERSONAL_DATA = PersonalDataPart(name="chat", order=30, exporter=_export, eraser=_erase)

"""Every change to a conversation: opening it, messages, read receipts, picking up,
handing over, closing, and the clinic's quick replies.

A message takes the conversation's next sequence number by a conditional update of
``last_seq`` under the conversation's row lock, in the transaction that writes it; the
unique (conversation, seq) constraint is the guard behind that. After commit the
conversation's sockets are told to read their log (``live``).
"""

import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import decrypt_bytes, encrypt_bytes
from yachi.core.errors import Conflict, InvalidInput, NotFound, patients_only
from yachi.core.models import as_public_id
from yachi.core.text import has_control_characters
from yachi.core.uploads import clean_image
from yachi.messaging.chat import directory, live
from yachi.messaging.chat.access import require_desk, side_of
from yachi.messaging.chat.choices import ConversationStatus, Event, MessageKind, Side
from yachi.messaging.chat.models import (
    MESSAGE_MAX_LENGTH,
    QUICK_REPLY_MAX_LENGTH,
    ChatMessage,
    Conversation,
    QuickReply,
)

IMAGE_CONTEXT = "messaging.chatmessage.image"
# Pictures are kept at most this many pixels each way: enough to read a photo of a tooth.
IMAGE_MAX_SIDE = 1600


@dataclass(frozen=True)
class Opened:
    conversation: Conversation
    created: bool


def conversation_open(*, actor, clinic_id, patient_id=None) -> Opened:
    """The patient's conversation with a clinic, for themselves or a family member;
    the one that exists, or a new one."""
    patients_only(actor, _("Only patients start conversations with a clinic."))
    public_id = as_public_id(clinic_id)
    clinic = directory.clinics.clinic_by_public_id(public_id) if public_id else None
    if clinic is None:
        raise NotFound(_("Clinic not found."), code="clinic_not_found")
    member = directory.families.member_of(actor, as_public_id(patient_id) if patient_id else None)
    if member is None:
        raise NotFound(_("Family member not found."), code="patient_not_found")
    found = Conversation.objects.filter(patient_id=member.pk, clinic_id=clinic.pk).first()
    if found is not None:
        return Opened(found, created=False)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                patient_id=member.pk, clinic_id=clinic.pk, owner=actor
            )
    except IntegrityError:
        # Opened by another request at the same moment: that one is the conversation.
        return Opened(Conversation.objects.get(patient_id=member.pk, clinic_id=clinic.pk), False)
    return Opened(conversation, created=True)


def _append(conversation: Conversation, **fields) -> ChatMessage:
    """The conversation's next message; the caller holds the conversation's row lock."""
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(
        last_seq=F("last_seq") + 1, last_message_at=now
    )
    seq = Conversation.objects.filter(pk=conversation.pk).values_list("last_seq", flat=True)[0]
    conversation.last_seq, conversation.last_message_at = seq, now
    return ChatMessage.objects.create(conversation=conversation, seq=seq, **fields)


def _locked(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Write a message first."), code="message_empty")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            _("A message holds at most %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH},
            code="message_too_long",
        )
    if has_control_characters(text, multiline=True):
        raise InvalidInput(_("The message contains characters that cannot be sent."))
    return text


def _family_pks(conversation: Conversation) -> list[int]:
    return [member.pk for member in directory.families.members_of(conversation.owner)]


def message_send(
    *, actor, conversation: Conversation, text: str = "", image=None, appointment_id=None
) -> ChatMessage:
    """A text, a picture or an appointment card from the patient or the clinic.

    The patient writing to a closed conversation reopens it; a staff member answering a
    conversation nobody has picked up picks it up.
    """
    side = side_of(actor)
    fields: dict = {"side": side, "sender": actor}
    if image is not None:
        picture = clean_image(image, max_side=IMAGE_MAX_SIDE)
        fields.update(
            kind=MessageKind.IMAGE,
            image_content_type=picture.content_type,
            image_width=picture.width,
            image_height=picture.height,
        )
    elif appointment_id is not None:
        public_id = as_public_id(appointment_id)
        card = (
            directory.appointments.card_of(
                public_id, _family_pks(conversation), conversation.clinic_id
            )
            if public_id
            else None
        )
        if card is None:
            raise NotFound(_("Appointment not found."), code="appointment_not_found")
        fields.update(kind=MessageKind.APPOINTMENT, appointment_id=card.pk)
    else:
        fields.update(kind=MessageKind.TEXT, text=_clean_text(text))
    with transaction.atomic():
        conversation = _locked(conversation)
        if side == Side.PATIENT and conversation.status == ConversationStatus.CLOSED:
            Conversation.objects.filter(pk=conversation.pk).update(
                status=ConversationStatus.OPEN, assignee=None, closed_at=None
            )
            _append(conversation, side=Side.SYSTEM, kind=MessageKind.EVENT, event=Event.REOPENED)
        elif side == Side.STAFF and conversation.status == ConversationStatus.OPEN:
            Conversation.objects.filter(pk=conversation.pk).update(
                status=ConversationStatus.ASSIGNED, assignee=actor
            )
            _append(
                conversation,
                side=Side.SYSTEM,
                kind=MessageKind.EVENT,
                event=Event.PICKED_UP,
                sender=actor,
                event_user=actor,
            )
        if image is not None:
            # A random name: nothing about the patient is in the path.
            name = f"{uuid.uuid4().hex}.sm4"
            fields["image"] = ContentFile(
                encrypt_bytes(picture.content, context=IMAGE_CONTEXT), name=name
            )
        message = _append(conversation, **fields)
        # Whoever writes has read everything before their own message.
        read_field = "patient_read_seq" if side == Side.PATIENT else "staff_read_seq"
        Conversation.objects.filter(pk=conversation.pk).update(**{read_field: message.seq})
        live.announce_after_commit(conversation)
    return message


def image_content(message: ChatMessage) -> bytes:
    with message.image.open("rb") as stored:
        return decrypt_bytes(stored.read(), context=IMAGE_CONTEXT)


def conversation_read(*, actor, conversation: Conversation, seq: int | None = None) -> int:
    """The reader's side has read up to ``seq`` (everything, without it). Returns the
    side's read position afterwards; it never moves back."""
    side = side_of(actor)
    field = "patient_read_seq" if side == Side.PATIENT else "staff_read_seq"
    if seq is not None and seq < 0:
        raise InvalidInput(_("The message number must not be negative."), code="invalid_seq")
    upto = F("last_seq") if seq is None else Least(Value(seq), F("last_seq"))
    with transaction.atomic():
        moved = (
            Conversation.objects.filter(pk=conversation.pk)
            .exclude(**{f"{field}__gte": F("last_seq") if seq is None else seq})
            .update(**{field: upto})
        )
        position = Conversation.objects.filter(pk=conversation.pk).values_list(field, flat=True)[0]
        if moved:
            live.broadcast_after_commit(
                conversation, {"type": "read", "side": str(side), "upto": position}
            )
    setattr(conversation, field, position)
    return position


def _colleague(conversation: Conversation, user_id) -> directory.Colleague:
    public_id = as_public_id(user_id)
    for colleague in directory.clinics.colleagues(conversation.clinic_id):
        if public_id is not None and colleague.public_id == public_id:
            return colleague
    raise InvalidInput(
        _("Choose a colleague or a doctor of this clinic."), code="assignee_not_at_clinic"
    )


def conversation_assign(*, actor, conversation: Conversation, assignee_id=None) -> Conversation:
    """Pick the conversation up (``assignee_id`` None: the actor) or hand it to a
    colleague or a doctor of the clinic. The front desk's and managers' work."""
    require_desk(actor, conversation)
    if assignee_id is None:
        assignee_pk, event = actor.pk, Event.PICKED_UP
    else:
        assignee_pk = _colleague(conversation, assignee_id).user_id
        event = Event.PICKED_UP if assignee_pk == actor.pk else Event.ASSIGNED
    with transaction.atomic():
        conversation = _locked(conversation)
        if conversation.status == ConversationStatus.CLOSED:
            raise Conflict(
                _("This conversation is closed; it opens again when the patient writes."),
                code="conversation_closed",
            )
        if conversation.assignee_id == assignee_pk:
            return conversation
        Conversation.objects.filter(pk=conversation.pk).update(
            status=ConversationStatus.ASSIGNED, assignee_id=assignee_pk
        )
        _append(
            conversation,
            side=Side.SYSTEM,
            kind=MessageKind.EVENT,
            event=event,
            sender=actor,
            event_user_id=assignee_pk,
        )
        live.announce_after_commit(conversation)
    conversation.refresh_from_db()
    return conversation


def conversation_close(*, actor, conversation: Conversation) -> Conversation:
    """Done for now: the front desk, a manager or whoever answers it closes it. Closing a
    closed conversation changes nothing."""
    if conversation.assignee_id != actor.pk:
        require_desk(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        if conversation.status == ConversationStatus.CLOSED:
            return conversation
        Conversation.objects.filter(pk=conversation.pk).update(
            status=ConversationStatus.CLOSED, closed_at=timezone.now()
        )
        _append(
            conversation, side=Side.SYSTEM, kind=MessageKind.EVENT, event=Event.CLOSED, sender=actor
        )
        live.announce_after_commit(conversation)
    conversation.refresh_from_db()
    return conversation


def quick_reply_save(
    *, clinic_pk: int, title: str, text: str, reply: QuickReply | None = None
) -> QuickReply:
    """A clinic's quick reply, new or changed (the caller checked the desk duty)."""
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise InvalidInput(_("Give the quick reply a title and a text."), code="quick_reply_empty")
    if len(title) > 40 or len(text) > QUICK_REPLY_MAX_LENGTH:
        raise InvalidInput(
            _("A title holds at most 40 characters and a text at most %(count)s.")
            % {"count": QUICK_REPLY_MAX_LENGTH},
            code="quick_reply_too_long",
        )
    if has_control_characters(title, multiline=False) or has_control_characters(
        text, multiline=True
    ):
        raise InvalidInput(_("The quick reply contains characters that cannot be sent."))
    taken = QuickReply.objects.filter(clinic_id=clinic_pk, title=title)
    if reply is not None:
        taken = taken.exclude(pk=reply.pk)
    if taken.exists():
        raise Conflict(_("The clinic has a quick reply of that title."), code="quick_reply_taken")
    reply = reply or QuickReply(clinic_id=clinic_pk)
    reply.title, reply.text = title, text
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError as exc:
        raise Conflict(
            _("The clinic has a quick reply of that title."), code="quick_reply_taken"
        ) from exc
    return reply


def quick_reply_delete(*, reply: QuickReply) -> None:
    reply.delete()


def conversations_erase(*, owner) -> int:
    """Everything of a family's conversations, pictures included (their erasure)."""
    messages = ChatMessage.objects.filter(conversation__owner=owner).exclude(image="")
    names = list(messages.values_list("image", flat=True))
    _total, by_model = Conversation.objects.filter(owner=owner).delete()
    conversations = by_model.get("messaging.Conversation", 0)
    if names:
        storage = ChatMessage._meta.get_field("image").storage

        def remove():
            for name in names:
                storage.delete(name)

        transaction.on_commit(remove)
    return conversations

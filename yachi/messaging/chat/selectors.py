"""Reads of conversations: a family's list, a clinic's inbox, a page of history, the log
after a sequence number (what a socket resumes from), and messages as clients see them.

Staff reading a conversation's messages is recorded in the audit trail (``history_read``
by staff), as reading a clinical record is.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.messaging.chat import directory
from yachi.messaging.chat.choices import ConversationStatus, Event, MessageKind, Side
from yachi.messaging.chat.models import ChatMessage, Conversation, QuickReply

PAGE = 30
PAGE_MAX = 100
LOG_PAGE = 200


def _with_unread(queryset):
    return queryset.annotate(
        unread_for_patient=Count(
            "messages",
            filter=Q(messages__side=Side.STAFF, messages__seq__gt=F("patient_read_seq")),
        ),
        unread_for_staff=Count(
            "messages",
            filter=Q(messages__side=Side.PATIENT, messages__seq__gt=F("staff_read_seq")),
        ),
    )


@dataclass
class Row:
    """A conversation as a list shows it."""

    conversation: Conversation
    clinic: object
    patient: str
    assignee: str
    unread: int
    preview: str


def _rows(conversations: list[Conversation], *, side: str) -> list[Row]:
    clinics = directory.clinics.clinics_by_pk({c.clinic_id for c in conversations})
    patients = directory.families.names({c.patient_id for c in conversations})
    last = {
        (m.conversation_id): m
        for m in ChatMessage.objects.filter(
            conversation__in=conversations, seq=F("conversation__last_seq")
        )
    }
    names = _staff_names({c.assignee_id for c in conversations})
    rows = []
    for conversation in conversations:
        unread = (
            conversation.unread_for_patient
            if side == Side.PATIENT
            else conversation.unread_for_staff
        )
        rows.append(
            Row(
                conversation=conversation,
                clinic=clinics.get(conversation.clinic_id),
                patient=patients.get(conversation.patient_id, ""),
                assignee=_named(names, conversation.assignee_id),
                unread=unread,
                preview=_preview(last.get(conversation.pk)),
            )
        )
    return rows


def _preview(message: ChatMessage | None) -> str:
    if message is None:
        return ""
    if message.kind == MessageKind.TEXT:
        return message.text[:60]
    if message.kind == MessageKind.IMAGE:
        return _("[Picture]")
    if message.kind == MessageKind.APPOINTMENT:
        return _("[Appointment]")
    return _event_text(message)


def conversations_of_owner(*, user) -> list[Row]:
    """The family's conversations, the latest first."""
    conversations = list(
        _with_unread(Conversation.objects.filter(owner=user)).order_by(
            F("last_message_at").desc(nulls_last=True), "-pk"
        )
    )
    return _rows(conversations, side=Side.PATIENT)


INBOX_VIEWS = ("waiting", "mine", "assigned", "closed", "all")


def inbox_of(*, clinic_pk: int, actor, view: str = "waiting", limit: int = 100) -> list[Row]:
    """A clinic's conversations: waiting (nobody has picked them up), mine, being
    answered, closed, or all; the latest first."""
    queryset = Conversation.objects.filter(clinic_id=clinic_pk)
    if view == "waiting":
        queryset = queryset.filter(status=ConversationStatus.OPEN)
    elif view == "mine":
        queryset = queryset.filter(status=ConversationStatus.ASSIGNED, assignee=actor)
    elif view == "assigned":
        queryset = queryset.filter(status=ConversationStatus.ASSIGNED)
    elif view == "closed":
        queryset = queryset.filter(status=ConversationStatus.CLOSED)
    conversations = list(
        _with_unread(queryset).order_by(F("last_message_at").desc(nulls_last=True), "-pk")[:limit]
    )
    return _rows(conversations, side=Side.STAFF)


def inbox_counts(*, clinic_pk: int, actor) -> dict[str, int]:
    counts = Conversation.objects.filter(clinic_id=clinic_pk).aggregate(
        waiting=Count("pk", filter=Q(status=ConversationStatus.OPEN)),
        mine=Count("pk", filter=Q(status=ConversationStatus.ASSIGNED, assignee=actor)),
        assigned=Count("pk", filter=Q(status=ConversationStatus.ASSIGNED)),
    )
    return counts


def unread_of_owner(*, user) -> int:
    """How many of the clinics' messages the family has not read, in every conversation."""
    return ChatMessage.objects.filter(
        conversation__owner=user, side=Side.STAFF, seq__gt=F("conversation__patient_read_seq")
    ).count()


def conversation_row(*, conversation: Conversation, side: str) -> Row:
    fresh = _with_unread(Conversation.objects.filter(pk=conversation.pk))
    return _rows(list(fresh), side=side)[0]


def audit_staff_read(*, actor, conversation: Conversation, how: str) -> None:
    """A staff member read the conversation's messages (a page, the API, a socket)."""
    if actor.is_patient:
        return
    clinic = directory.clinics.clinics_by_pk({conversation.clinic_id}).get(conversation.clinic_id)
    audit_record(
        action=AuditAction.CLINICAL_READ,
        actor=actor,
        object_type="conversation",
        object_id=conversation.public_id,
        clinic=clinic,
        details={"what": "chat", "how": how},
    )


def _messages(queryset):
    return queryset


def history_page(
    *, conversation: Conversation, before: int | None = None, limit: int = PAGE
) -> tuple[list[ChatMessage], int | None]:
    """Up to ``limit`` messages before sequence number ``before`` (the newest without
    it), newest first, and the cursor of the page before them (None at the start)."""
    limit = max(1, min(limit, PAGE_MAX))
    queryset = conversation.messages.all()
    if before is not None:
        queryset = queryset.filter(seq__lt=before)
    page = list(_messages(queryset).order_by("-seq")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, (page[-1].seq if more and page else None)


def log_after(*, conversation_pk: int, after: int, limit: int = LOG_PAGE) -> list[ChatMessage]:
    """The messages after ``after``, in order: what a socket has not seen yet."""
    return list(
        _messages(ChatMessage.objects.filter(conversation_id=conversation_pk, seq__gt=after))
        .select_related("conversation")
        .order_by("seq")[:limit]
    )


def _staff_names(user_pks) -> dict[int, str]:
    """How the clinic's people appear: their name (a doctor's as a doctor), never their
    phone number."""
    pks = {pk for pk in user_pks if pk}
    return directory.clinics.staff_names(pks) if pks else {}


def _named(names: dict, pk) -> str:
    if not pk:
        return ""
    return names.get(pk) or _("Clinic staff")


def _event_text(message: ChatMessage, names: dict | None = None) -> str:
    if names is None:
        names = _staff_names({message.sender_id, message.event_user_id})
    who = _named(names, message.sender_id)
    whom = _named(names, message.event_user_id)
    if message.event == Event.PICKED_UP:
        return _("%(who)s is answering") % {"who": whom or who}
    if message.event == Event.ASSIGNED:
        return _("%(who)s handed the conversation to %(whom)s") % {"who": who, "whom": whom}
    if message.event == Event.CLOSED:
        return _("%(who)s closed the conversation") % {"who": who}
    if message.event == Event.REOPENED:
        return _("The conversation was reopened")
    return ""


def _when(moment) -> str:
    """A moment as a conversation shows it: the time today, the day and time before."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local:%m-%d %H:%M}"


def card_dict(card) -> dict:
    return {
        "id": str(card.public_id),
        "patient": card.patient,
        "service": card.service,
        "doctor": card.doctor,
        "start": card.start.isoformat(),
        "start_text": f"{timezone.localtime(card.start):%m-%d %H:%M}",
        "status": card.status,
        "status_label": card.status_label,
    }


def messages_shown(messages: list[ChatMessage]) -> list[dict]:
    """Messages as the API, the socket and the pages show them (cards read at once)."""
    cards = directory.appointments.cards({m.appointment_id for m in messages if m.appointment_id})
    names = _staff_names(
        {m.sender_id for m in messages if m.side != Side.PATIENT}
        | {m.event_user_id for m in messages}
    )
    shown = []
    for message in messages:
        image = None
        if message.kind == MessageKind.IMAGE:
            image = {
                "url": reverse("web:chat_image", args=[message.public_id]),
                "api_url": f"/api/v1/chat-images/{message.public_id}",
                "width": message.image_width,
                "height": message.image_height,
            }
        card = cards.get(message.appointment_id) if message.appointment_id else None
        shown.append(
            {
                "id": str(message.public_id),
                "seq": message.seq,
                "side": message.side,
                "kind": message.kind,
                "text": message.text if message.kind == MessageKind.TEXT else "",
                "sender": _named(names, message.sender_id) if message.side == Side.STAFF else "",
                "created_at": message.created_at.isoformat(),
                "time_text": _when(message.created_at),
                "image": image,
                "appointment": card_dict(card) if card else None,
                "event": message.event,
                "event_text": _event_text(message, names)
                if message.kind == MessageKind.EVENT
                else "",
            }
        )
    return shown


def quick_replies_of(*, clinic_pk: int) -> list[QuickReply]:
    return list(QuickReply.objects.filter(clinic_id=clinic_pk).order_by("title"))


def quick_reply_of(*, clinic_pk: int, reply_id) -> QuickReply | None:
    from yachi.core.models import as_public_id

    public_id = as_public_id(reply_id)
    if public_id is None:
        return None
    return QuickReply.objects.filter(clinic_id=clinic_pk, public_id=public_id).first()


@dataclass(frozen=True)
class PatientConversation:
    """A patient's conversation with one clinic, as another context lists it (the CRM's
    patient page): how far it went, never its words (those are read, and audited, on the
    conversation's own page)."""

    public_id: object
    clinic_id: int
    clinic_public_id: object
    clinic_name: str
    status: str
    status_label: str
    messages: int  # what the two sides said (texts, pictures, appointment cards)
    unread_for_staff: int
    last_message_at: object
    assignee: str


def conversations_of_patient(
    *, patient_id: int, clinic_ids=None, limit: int = 10
) -> list[PatientConversation]:
    """The patient's conversations with these clinics (every clinic for ``None``), the
    latest first; three queries whatever their number."""
    queryset = Conversation.objects.filter(patient_id=patient_id)
    if clinic_ids is not None:
        queryset = queryset.filter(clinic_id__in=list(clinic_ids))
    conversations = list(
        _with_unread(queryset)
        .annotate(said=Count("messages", filter=~Q(messages__kind=MessageKind.EVENT)))
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")[:limit]
    )
    if not conversations:
        return []
    clinics = directory.clinics.clinics_by_pk({c.clinic_id for c in conversations})
    names = _staff_names({c.assignee_id for c in conversations})
    statuses = dict(ConversationStatus.choices)
    found = []
    for conversation in conversations:
        clinic = clinics.get(conversation.clinic_id)
        found.append(
            PatientConversation(
                public_id=conversation.public_id,
                clinic_id=conversation.clinic_id,
                clinic_public_id=getattr(clinic, "public_id", None),
                clinic_name=getattr(clinic, "display_name", ""),
                status=conversation.status,
                status_label=str(statuses.get(conversation.status, conversation.status)),
                messages=conversation.said,
                unread_for_staff=conversation.unread_for_staff,
                last_message_at=conversation.last_message_at,
                assignee=_named(names, conversation.assignee_id),
            )
        )
    return found

"""``/api/v1/conversations``: the patient's conversations with clinics and the clinics'
inbox, their messages (paged by sequence number), pictures, read receipts, and the front
desk's picking up, handing over and closing. Live updates come over the WebSocket
``/ws/conversations/{id}/``."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile

from yachi.core.errors import InvalidInput
from yachi.core.schemas import errors
from yachi.messaging.chat import selectors, services
from yachi.messaging.chat.access import (
    access_conversation_by_id,
    access_image_message,
    access_inbox_clinic,
    side_of,
)
from yachi.messaging.chat.schemas import (
    AssignIn,
    ConversationOpenIn,
    ConversationOut,
    ConversationQuery,
    HistoryOut,
    HistoryQuery,
    MessageIn,
    MessageOut,
    ReadIn,
    ReadOut,
)

router = Router(tags=["chat"])


def conversation_out(row: selectors.Row) -> dict:
    c = row.conversation
    return {
        "id": c.public_id,
        "clinic": {"id": row.clinic.public_id, "name": row.clinic.display_name}
        if row.clinic
        else None,
        "patient": row.patient,
        "status": c.status,
        "assignee": row.assignee or None,
        "last_seq": c.last_seq,
        "patient_read_seq": c.patient_read_seq,
        "staff_read_seq": c.staff_read_seq,
        "unread": row.unread,
        "last_message_at": c.last_message_at,
        "preview": row.preview,
    }


def _out(request, conversation) -> dict:
    return conversation_out(
        selectors.conversation_row(conversation=conversation, side=side_of(request.user))
    )


@router.get("/conversations", response={200: list[ConversationOut], **errors(401, 404, 422)})
def list_conversations(request, query: Query[ConversationQuery]):
    """A patient's conversations with clinics; for staff, the inbox of ``clinic_id``
    (``view``: waiting, mine, assigned, closed, all). The latest first."""
    user = request.user
    if user.is_patient:
        rows = selectors.conversations_of_owner(user=user)
    else:
        if query.clinic_id is None:
            raise InvalidInput(
                _("Name the clinic whose conversations to list."), code="clinic_needed"
            )
        clinic = access_inbox_clinic(actor=user, clinic_id=query.clinic_id)
        rows = selectors.inbox_of(clinic_pk=clinic.pk, actor=user, view=query.view)
    return [conversation_out(row) for row in rows]


@router.post(
    "/conversations",
    response={200: ConversationOut, 201: ConversationOut, **errors(400, 401, 403, 404, 413, 422)},
)
def open_conversation(request, payload: ConversationOpenIn):
    """The patient's conversation with a clinic (for a family member with
    ``patient_id``): 201 when new, 200 when it existed."""
    opened = services.conversation_open(
        actor=request.user, clinic_id=payload.clinic_id, patient_id=payload.patient_id
    )
    return Status(201 if opened.created else 200, _out(request, opened.conversation))


@router.get("/conversations/{conversation_id}", response={200: ConversationOut, **errors(401, 404)})
def get_conversation(request, conversation_id: str):
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    return _out(request, conversation)


@router.get(
    "/conversations/{conversation_id}/messages",
    response={200: HistoryOut, **errors(401, 404, 422)},
)
def list_messages(request, conversation_id: str, query: Query[HistoryQuery]):
    """Newest first, ``limit`` at a time; ``next_before`` is the ``before`` of the page
    of older messages (null at the start of the conversation)."""
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    selectors.audit_staff_read(actor=request.user, conversation=conversation, how="api")
    page, next_before = selectors.history_page(
        conversation=conversation, before=query.before, limit=query.limit
    )
    return {
        "messages": selectors.messages_shown(page),
        "next_before": next_before,
        "conversation": _out(request, conversation),
    }


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, **errors(400, 401, 404, 413, 422)},
)
def send_message(request, conversation_id: str, payload: MessageIn):
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    message = services.message_send(
        actor=request.user,
        conversation=conversation,
        text=payload.text or "",
        appointment_id=payload.appointment_id,
    )
    return Status(201, selectors.messages_shown([message])[0])


@router.post(
    "/conversations/{conversation_id}/images",
    response={201: MessageOut, **errors(400, 401, 404, 413, 422)},
)
def send_image(request, conversation_id: str, file: UploadedFile = File(...)):
    """A JPEG or PNG picture; checked, re-encoded without metadata, stored encrypted."""
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    message = services.message_send(actor=request.user, conversation=conversation, image=file)
    return Status(201, selectors.messages_shown([message])[0])


@router.get(
    "/chat-images/{message_id}",
    response={200: None, **errors(401, 404)},
    openapi_extra={
        "responses": {
            200: {"description": "the picture", "content": {"image/jpeg": {}, "image/png": {}}}
        }
    },
)
def download_image(request, message_id: str):
    message = access_image_message(actor=request.user, message_id=message_id)
    response = HttpResponse(
        services.image_content(message), content_type=message.image_content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/conversations/{conversation_id}/read",
    response={200: ReadOut, **errors(400, 401, 404, 413, 422)},
)
def mark_read(request, conversation_id: str, payload: ReadIn):
    """The caller's side has read up to ``seq`` (everything without it): the other
    side's sockets get ``{"type": "read", "side", "upto"}`` (transient: no ``seq``)."""
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    services.conversation_read(actor=request.user, conversation=conversation, seq=payload.seq)
    return {
        "patient_read_seq": conversation.patient_read_seq,
        "staff_read_seq": conversation.staff_read_seq,
    }


@router.post(
    "/conversations/{conversation_id}/assign",
    response={200: ConversationOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def assign(request, conversation_id: str, payload: AssignIn):
    """Pick the conversation up (no ``assignee_id``) or hand it to a colleague or a
    doctor of the clinic: the front desk's and managers' work (403 ``desk_forbidden``)."""
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    conversation = services.conversation_assign(
        actor=request.user, conversation=conversation, assignee_id=payload.assignee_id
    )
    return _out(request, conversation)


@router.post(
    "/conversations/{conversation_id}/close",
    response={200: ConversationOut, **errors(401, 403, 404)},
)
def close(request, conversation_id: str):
    """Closed until the patient writes again (the front desk, managers, or whoever
    answers it)."""
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    conversation = services.conversation_close(actor=request.user, conversation=conversation)
    return _out(request, conversation)

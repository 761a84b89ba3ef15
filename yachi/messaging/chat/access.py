"""The only way a page, an endpoint or a socket fetches a conversation.

A conversation is read by the family account it belongs to and by the staff of its
clinic, nobody else; "not yours" and "no such conversation" look the same.
"""

from django.utils.translation import gettext as _

from yachi.core.errors import NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.messaging.chat import directory
from yachi.messaging.chat.choices import Side
from yachi.messaging.chat.models import ChatMessage, Conversation

SEE, DESK = "see", "desk"


def _missing() -> NotFound:
    return NotFound(_("Conversation not found."), code="conversation_not_found")


def may_read(actor, conversation: Conversation) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_patient:
        return conversation.owner_id == actor.pk
    if actor.is_clinic_staff:
        return directory.clinics.may(actor, conversation.clinic_id, SEE)
    return False


def side_of(actor) -> str:
    return Side.PATIENT if actor.is_patient else Side.STAFF


def access_conversation_by_id(*, actor, conversation_id) -> Conversation:
    public_id = as_public_id(conversation_id)
    if public_id is None:
        raise _missing()
    conversation = Conversation.objects.filter(public_id=public_id).first()
    if conversation is None or not may_read(actor, conversation):
        raise _missing()
    return conversation


def access_image_message(*, actor, message_id) -> ChatMessage:
    """A picture in a conversation the caller may read."""
    missing = NotFound(_("Picture not found."), code="image_not_found")
    public_id = as_public_id(message_id)
    if public_id is None:
        raise missing
    message = (
        ChatMessage.objects.select_related("conversation")
        .filter(public_id=public_id)
        .exclude(image="")
        .first()
    )
    if message is None or not may_read(actor, message.conversation):
        raise missing
    return message


def access_inbox_clinic(*, actor, clinic_id, duty: str = SEE):
    """A clinic whose conversations the staff member answers: "not found" where they do
    not work, 403 where they work but lack ``duty``."""
    public_id = as_public_id(clinic_id)
    clinic = directory.clinics.clinic_by_public_id(public_id) if public_id else None
    if (
        clinic is None
        or not actor.is_clinic_staff
        or not directory.clinics.may(actor, clinic.pk, SEE)
    ):
        raise NotFound(_("Clinic not found."), code="clinic_not_found")
    if duty != SEE and not directory.clinics.may(actor, clinic.pk, duty):
        raise PermissionDenied(
            _("Only the front desk and managers of this clinic can do this."),
            code="desk_forbidden",
        )
    return clinic


def require_desk(actor, conversation: Conversation) -> None:
    if not directory.clinics.may(actor, conversation.clinic_id, DESK):
        raise PermissionDenied(
            _("Only the front desk and managers of this clinic can do this."),
            code="desk_forbidden",
        )

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from yachi.core.schemas import InputSchema, Line, LocalDatetime, Text


class ConversationOpenIn(InputSchema):
    clinic_id: UUID
    # The family member the conversation is about; the account holder when omitted.
    patient_id: UUID | None = None


class ConversationQuery(InputSchema):
    # Staff: the clinic whose inbox to list (patients list their own conversations).
    clinic_id: UUID | None = None
    view: str = Field("waiting", pattern="^(waiting|mine|assigned|closed|all)$")


class ClinicRef(Schema):
    id: UUID
    name: str


class ConversationOut(Schema):
    id: UUID
    clinic: ClinicRef | None
    patient: str
    status: str
    assignee: str | None
    last_seq: int
    patient_read_seq: int
    staff_read_seq: int
    unread: int = Field(description="messages of the other side the caller's side has not read")
    last_message_at: LocalDatetime | None
    preview: str


class MessageIn(InputSchema):
    """A text (``text``) or an appointment card (``appointment_id``, an appointment of
    the family at the conversation's clinic). Pictures go to ``…/images``."""

    text: Text | None = Field(None, max_length=4000)
    appointment_id: UUID | None = None


class HistoryQuery(InputSchema):
    before: int | None = Field(None, ge=1, description="only messages before this seq")
    limit: int = Field(30, ge=1, le=100)


class ImageOut(Schema):
    url: str
    api_url: str
    width: int | None
    height: int | None


class CardOut(Schema):
    id: UUID
    patient: str
    service: str
    doctor: str
    start: datetime
    start_text: str
    status: str
    status_label: str


class MessageOut(Schema):
    id: UUID
    seq: int
    side: str = Field(description="patient, staff or system")
    kind: str = Field(description="text, image, appointment or event")
    text: str
    sender: str
    created_at: datetime
    time_text: str
    image: ImageOut | None
    appointment: CardOut | None
    event: str
    event_text: str


class HistoryOut(Schema):
    messages: list[MessageOut] = Field(description="newest first")
    next_before: int | None = Field(description="the `before` of the page of older messages")
    conversation: ConversationOut


class ReadIn(InputSchema):
    seq: int | None = Field(None, ge=0, description="read up to here; everything if omitted")


class ReadOut(Schema):
    patient_read_seq: int
    staff_read_seq: int


class AssignIn(InputSchema):
    # A colleague's or a doctor's user id; the caller (picking it up) when omitted.
    assignee_id: UUID | None = None


class QuickReplyOut(Schema):
    id: UUID
    title: Line
    text: str

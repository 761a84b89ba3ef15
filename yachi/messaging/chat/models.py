"""Patient–clinic chat: one conversation per patient and clinic, its messages in order.

Each message has the conversation's next sequence number (``Conversation.last_seq`` moved
by a conditional update in the message's transaction, and unique per conversation), so a
socket that reconnects asks for everything after the last number it saw. Read receipts are
the highest number each side has read. Text is encrypted at rest (ADR 0018), pictures
are re-encoded and stored encrypted.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yachi.compliance.facade import EncryptedQuerySet, EncryptedTextField
from yachi.core.models import BaseModel
from yachi.messaging.chat.choices import ConversationStatus, Event, MessageKind, Side

MESSAGE_MAX_LENGTH = 2000
QUICK_REPLY_MAX_LENGTH = 500


class Conversation(BaseModel):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    # The family account's login: the one patient account that reads this conversation.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConversationStatus.choices,
        default=ConversationStatus.OPEN,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    last_seq = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    # The highest sequence number each side has read.
    patient_read_seq = models.PositiveIntegerField(default=0)
    staff_read_seq = models.PositiveIntegerField(default=0)
    # The clinic's message the patient was last reminded of (by SMS or WeChat).
    nudged_seq = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["patient", "clinic"], name="chat_one_per_patient"),
            models.CheckConstraint(
                condition=Q(patient_read_seq__lte=F("last_seq"))
                & Q(staff_read_seq__lte=F("last_seq"))
                & Q(nudged_seq__lte=F("last_seq")),
                name="chat_read_within_log",
            ),
            models.CheckConstraint(
                condition=Q(status=ConversationStatus.ASSIGNED, assignee__isnull=False)
                | ~Q(status=ConversationStatus.ASSIGNED),
                name="chat_assigned_has_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "status", "-last_message_at"], name="chat_inbox"),
            models.Index(fields=["owner", "-last_message_at"], name="chat_of_owner"),
        ]

    def __str__(self) -> str:
        return f"conversation {str(self.public_id)[:8]}"


class ChatMessage(BaseModel):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField()
    side = models.CharField(max_length=8, choices=Side.choices)
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Patients' and staff's words, encrypted like clinical notes (ADR 0018).
    text = EncryptedTextField(blank=True)
    # A picture, re-encoded without metadata and stored encrypted under a random name;
    # served only through the conversation's access check.
    image = models.FileField(upload_to="chat/", blank=True)
    image_content_type = models.CharField(max_length=16, blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.CharField(max_length=12, choices=Event.choices, blank=True)
    # Whom an event is about (the colleague a conversation was handed to).
    event_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="chat_message_seq"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="chat_message_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class QuickReply(BaseModel):
    """A clinic's ready answer the front desk sends with one click."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(pgettext_lazy("quick reply", "title"), max_length=40)
    text = models.TextField(pgettext_lazy("quick reply", "text"), max_length=QUICK_REPLY_MAX_LENGTH)

    class Meta:
        verbose_name = _("quick reply")
        verbose_name_plural = _("quick replies")
        ordering = ["clinic", "title"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "title"], name="chat_quick_reply_title")
        ]

    def __str__(self) -> str:
        return self.title

"""A video consultation's room and the log of who joined and left it (ADR 0045).

The appointment belongs to booking, which stands above messaging: the room names it by
its public id, as notifications name their objects, and learns about it through the
registered lookup (``rooms.py``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.messaging.video.choices import Party, RoomEventKind


class VideoRoom(BaseModel):
    """One appointment's room, made when someone first joins it.

    ``last_seq`` numbers the room's events: each is written after a conditional
    ``UPDATE … SET last_seq = last_seq + 1`` inside its transaction, so two joins at
    once are numbered one after the other and become visible in that order."""

    appointment = models.UUIDField(_("appointment"), unique=True)
    clinic = models.UUIDField(_("clinic"), db_index=True)
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("video room")
        verbose_name_plural = _("video rooms")

    def __str__(self) -> str:
        return f"video {self.appointment}"


class VideoRoomEvent(models.Model):
    """Someone joined or left a room: who (the account and as which party) and when."""

    room = models.ForeignKey(VideoRoom, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("what"), max_length=8, choices=RoomEventKind.choices)
    party = models.CharField(_("who"), max_length=8, choices=Party.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("video room event")
        verbose_name_plural = _("video room events")
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="video_room_event_seq_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=RoomEventKind.values), name="video_room_event_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(party__in=Party.values), name="video_room_event_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq} {self.party} {self.kind}"

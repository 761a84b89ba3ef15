"""Queues, tickets and the ordered per-clinic event log (ADR 0043).

A queue is one doctor's line at one clinic on one local day. A ticket is a patient's
place in it, from check-in to the end of their treatment. Every change to a ticket is
also written, in the same transaction, as an event of the clinic's log: numbered per
clinic by one counter row, so the numbers follow the order the changes committed and a
screen that comes back asks for everything after the last number it saw.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.queueing.choices import CheckInBy, EventType, TicketKind, TicketStatus


class Queue(BaseModel):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    # Appointment tickets called since the last walk-in was called: where the next
    # walk-in's turn comes (the interleaving ratio counts from here, not from the head
    # of the line, or a walk-in would slide back every time someone ahead was called).
    served_since_walk_in = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "doctor", "day"], name="queue_one_per_doctor_day"
            ),
        ]

    def __str__(self) -> str:
        return f"queue {self.clinic_id}/{self.doctor_id} {self.day}"


class TicketCounter(models.Model):
    """The last number given today at a clinic for one letter (A, B or E)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    prefix = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "day", "prefix"], name="ticket_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.last:03d} ({self.day})"


class Ticket(BaseModel):
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    number = models.CharField(_("number"), max_length=8)
    kind = models.CharField(_("kind"), max_length=12, choices=TicketKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    # Who may follow the ticket on their phone: the family account's owner.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("clinics.Service", on_delete=models.PROTECT, related_name="+")
    duration_minutes = models.PositiveSmallIntegerField(_("planned minutes"))
    # What a board shows of the patient (张*三), written once at check-in: boards never
    # open the encrypted name.
    masked_name = models.CharField(_("patient"), max_length=24)
    appointment_start = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_in_by = models.CharField(max_length=12, choices=CheckInBy.choices)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    room = models.CharField(_("room"), max_length=32, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    no_show_at = models.DateTimeField(null=True, blank=True)
    # A move by staff: the ticket waits just before ``moved_before`` (at the end when
    # moved without one); ``moved_at`` orders several moves.
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_before = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["checked_in_at"]
        indexes = [
            models.Index(fields=["queue", "status"], name="ticket_queue_status"),
            models.Index(fields=["owner", "day"], name="ticket_owner_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "day", "number"], name="ticket_number_unique"
            ),
            # One ticket per appointment: a second check-in is refused by the database too.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(appointment__isnull=False),
                name="ticket_one_per_appointment",
            ),
            models.CheckConstraint(
                condition=Q(call_count__lte=3), name="ticket_called_at_most_three_times"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.status})"


class ClinicLog(models.Model):
    """The head of a clinic's event log: the last sequence number given.

    Taking a number locks this row until the transaction ends, so numbers are given
    in the order the transactions commit and a reader never finds a gap filled later.
    """

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"log {self.clinic_id} @ {self.last_seq}"


class QueueEvent(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=16, choices=EventType.choices)
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    # The event as screens receive it (masked names only).
    body = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("queue event")
        verbose_name_plural = _("queue events")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "seq"], name="queue_event_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["ticket", "seq"], name="queue_event_ticket_seq"),
            models.Index(fields=["queue", "seq"], name="queue_event_queue_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.clinic_id}#{self.seq} {self.type}"


# The display's models live in its sub-package; imported here so that Django finds them.
from yachi.queueing.display.models import DisplayToken  # noqa: E402

__all__ = ["ClinicLog", "DisplayToken", "Queue", "QueueEvent", "Ticket", "TicketCounter"]

"""What the family reads of the clinical record: the part of each note its doctor shared."""

from dataclasses import dataclass
from datetime import datetime

from yachi.patients.models import ClinicalNote


@dataclass(frozen=True)
class SharedNote:
    """What a patient may read of a note: nothing of the chart's own text."""

    summary: str
    advice: str
    doctor: str
    written_at: datetime
    shared_at: datetime


def shared_notes_of_appointments(appointment_ids) -> dict[int, list[SharedNote]]:
    """For the family's own visit history: per appointment, the notes its doctor shared,
    oldest first, as ``SharedNote``s. The family reading its own record is not a staff
    read of the chart, so it is not in the audit trail."""
    found: dict[int, list] = {}
    notes = (
        ClinicalNote.objects.filter(
            appointment_id__in=list(appointment_ids), shared_at__isnull=False
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )
    for note in notes:
        found.setdefault(note.appointment_id, []).append(
            SharedNote(
                summary=note.patient_summary,
                advice=note.advice,
                doctor=note.author.name,
                written_at=note.created_at,
                shared_at=note.shared_at,
            )
        )
    return found

"""Satisfaction surveys after a visit and the complaint cases low scores open."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.core.text import has_control_characters
from yachi.crm.feedback.models import (
    DETRACTOR_MAX,
    MAX_SCORE,
    Complaint,
    ComplaintStatus,
    Survey,
)
from yachi.growth import facade as growth

# A survey may be answered this long after the visit.
SURVEY_DAYS = 30
MAX_COMMENT = 500
MAX_NOTE = 1000


def _score(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SCORE:
        raise InvalidInput(
            _("The score is a whole number from 0 to 10."), code="score_out_of_range"
        )
    return value


def _text(value, *, limit: int, code: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise InvalidInput(
            _("Keep it to %(n)d characters.") % {"n": limit}, code=f"{code}_too_long"
        )
    if has_control_characters(text, multiline=True):
        raise InvalidInput(
            _("The text has characters that cannot be kept."), code=f"{code}_invalid"
        )
    return text


def survey_answer(*, user, appointment, score, comment: str = "") -> Survey:
    """The account holder answers for a completed visit of someone on their account:
    once (409 ``already_answered``), within ``SURVEY_DAYS``; the answer earns the
    survey's points once (the ledger's key names the visit); a score of 6 or less opens
    a complaint case for the clinic's manager."""
    score = _score(score)
    comment = _text(comment, limit=MAX_COMMENT, code="comment")
    if appointment.status != "completed" or appointment.completed_at is None:
        raise Conflict(_("This visit is not finished yet."), code="visit_not_completed")
    if timezone.now() - appointment.completed_at > timedelta(days=SURVEY_DAYS):
        raise Conflict(_("This survey has closed."), code="survey_closed")
    if Survey.objects.filter(appointment=appointment).exists():
        raise Conflict(_("You have already answered for this visit."), code="already_answered")
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                appointment=appointment,
                patient=appointment.patient,
                clinic=appointment.clinic,
                answered_by=user,
                score=score,
                comment=comment,
            )
            if score <= DETRACTOR_MAX:
                Complaint.objects.create(
                    clinic=appointment.clinic,
                    patient=appointment.patient,
                    survey=survey,
                    summary=comment,
                )
            if settings.YACHI_POINTS_FOR_SURVEY > 0:
                growth.points_for_activity(
                    user=user, activity="survey", reference=f"visit:{appointment.public_id}"
                )
    except IntegrityError as exc:  # the same visit answered twice at once
        raise Conflict(
            _("You have already answered for this visit."), code="already_answered"
        ) from exc
    return survey


def survey_invite_params(appointment) -> dict:
    return {
        "clinic": appointment.clinic.display_name,
        "patient": appointment.patient.display_name,
        "service": appointment.service.display_name,
        "points": str(settings.YACHI_POINTS_FOR_SURVEY),
    }


_NEXT = {
    ComplaintStatus.OPEN: {ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED},
    ComplaintStatus.IN_PROGRESS: {ComplaintStatus.RESOLVED},
    ComplaintStatus.RESOLVED: {ComplaintStatus.IN_PROGRESS},
}


def complaint_update(*, actor, complaint: Complaint, status: str, note: str) -> Complaint:
    """The manager moves a case on (open → in progress → resolved, or reopens it) and
    writes what was done; resolving needs a note. Audited."""
    note = _text(note, limit=MAX_NOTE, code="note")
    if status not in ComplaintStatus.values:
        raise InvalidInput(_("Unknown status."), code="status_invalid")
    if status != complaint.status and status not in _NEXT[complaint.status]:
        raise Conflict(_("The case cannot go there from its status."), code="status_not_allowed")
    if status == ComplaintStatus.RESOLVED and not (note or complaint.resolution_note):
        raise InvalidInput(_("Say how the case was resolved."), code="note_required")
    previous = complaint.status
    with transaction.atomic():
        complaint.status = status
        if note:
            complaint.resolution_note = note
        complaint.handled_by = actor
        complaint.resolved_at = timezone.now() if status == ComplaintStatus.RESOLVED else None
        complaint.save()
        audit_record(
            action=AuditAction.COMPLAINT_CHANGED,
            actor=actor,
            object_type="crm.complaint",
            object_id=complaint.public_id,
            clinic=complaint.clinic,
            details={"from": previous, "to": status},
        )
    return complaint

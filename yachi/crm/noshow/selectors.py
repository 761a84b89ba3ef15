"""No-show risk's reads: scores as booking shows them, the call list, the model page."""

from datetime import datetime, timedelta

from yachi.booking import facade as booking
from yachi.crm.noshow.models import CallOutcome, ConfirmationCall, NoShowModel, NoShowScore
from yachi.crm.noshow.reasons import reasons_text


def risks_of(appointment_pks: list[int]) -> dict[int, booking.NoShowRisk]:
    """Registered with booking: the stored scores of these appointments, in one query."""
    rows = NoShowScore.objects.filter(appointment_id__in=appointment_pks).only(
        "appointment_id", "score", "level", "reasons", "call_flagged"
    )
    return {
        row.appointment_id: booking.NoShowRisk(
            score=row.score,
            level=row.level,
            reasons=reasons_text(row.reasons),
            call_flagged=row.call_flagged,
        )
        for row in rows
    }


def score_of(appointment_pk: int) -> NoShowScore | None:
    return NoShowScore.objects.select_related("model").filter(appointment_id=appointment_pk).first()


def calls_of_clinic(*, clinic, now: datetime, include_done: bool = False) -> list:
    """The clinic's confirmation calls for visits still to come, soonest first, with the
    appointment, its patient and its service in the same query."""
    calls = ConfirmationCall.objects.filter(clinic=clinic, start__gte=now - timedelta(hours=1))
    if not include_done:
        calls = calls.filter(outcome__in=(CallOutcome.OPEN, CallOutcome.NO_ANSWER))
    calls = list(
        calls.select_related(
            "appointment__patient__account__owner",
            "appointment__service",
            "appointment__doctor",
            "called_by",
        ).order_by("start")[:200]
    )
    risks = risks_of([c.appointment_id for c in calls])
    for call in calls:
        call.risk = risks.get(call.appointment_id)
    return calls


def call_by_id(*, clinic, call_id) -> ConfirmationCall | None:
    from yachi.core.models import as_public_id

    public_id = as_public_id(call_id)
    if public_id is None:
        return None
    return (
        ConfirmationCall.objects.select_related("appointment", "clinic")
        .filter(clinic=clinic, public_id=public_id)
        .first()
    )


def models_of_clinic(clinic) -> tuple[NoShowModel | None, NoShowModel | None]:
    """``(the clinic's newest own version, the chain's newest)``."""
    own = NoShowModel.objects.filter(clinic=clinic).order_by("-version").first()
    chain = NoShowModel.objects.filter(clinic__isnull=True).order_by("-version").first()
    return own, chain

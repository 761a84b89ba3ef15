"""Roster proposals in the JSON API (managers; ADR 0056)."""

from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.schemas import errors
from yachi.rostering.changes import OrphansAppointments, require_manager
from yachi.rostering.proposals import access, repair, services
from yachi.rostering.proposals.schemas import (
    ProposalIn,
    ProposalOut,
    PublishedOut,
    SickDayIn,
    SickDayOut,
    SickDayQuery,
)
from yachi.rostering.proposals.tasks import compute_proposal_job

router = Router(tags=["rosters"])


def option_out(option, names) -> dict:
    def public(kind, pk):
        return names[kind][pk][0] if pk in names[kind] else None

    return {
        "id": option.public_id,
        "objectives": option.objectives,
        "shifts": [
            {
                "doctor_id": public("doctor", shift["doctor_id"]),
                "clinic_id": public("clinic", shift["clinic_id"]),
                "chair_id": public("chair", shift["chair_id"]),
                "start": shift["start"],
                "end": shift["end"],
            }
            for shift in option.shifts
        ],
        "uncovered_appointments": option.uncovered,
    }


def names_of(options) -> dict:
    shifts = [shift for option in options for shift in option.shifts]
    return clinics.roster_names(
        doctor_ids={s["doctor_id"] for s in shifts},
        clinic_ids={s["clinic_id"] for s in shifts},
        chair_ids={s["chair_id"] for s in shifts if s["chair_id"]},
    )


def proposal_out(proposal) -> dict:
    options = list(proposal.options.all())
    names = names_of(options)
    return {
        "id": proposal.public_id,
        "status": proposal.status,
        "progress": services.progress_of(proposal),
        "error": proposal.error,
        "week_start": proposal.week_start.isoformat(),
        "weeks": proposal.weeks,
        "clinic_ids": [c.public_id for c in proposal.clinics.all()],
        "options": [option_out(option, names) for option in options],
    }


def _clinics_managed(actor, clinic_ids) -> list:
    result = []
    for clinic_id in dict.fromkeys(clinic_ids):
        try:
            clinic = clinics.staff_clinic_by_id(actor=actor, clinic_id=clinic_id)
        except NotFound:
            raise NotFound(_("Clinic not found."), code="clinic_not_found") from None
        require_manager(actor, clinic)
        result.append(clinic)
    return result


@router.post(
    "/clinic/rosters/proposals",
    response={201: ProposalOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def proposal_create(request, payload: ProposalIn):
    """Ask the optimizer for rosters of these clinics (managers). The options are computed
    by a job: the answer says the status and progress; read the proposal again until it is
    `ready` (its Pareto front in `options`) or `failed`."""
    clinic_list = _clinics_managed(request.user, payload.clinic_ids)
    with transaction.atomic():
        proposal = services.proposal_create(
            actor=request.user,
            clinic_list=clinic_list,
            week_start=payload.week_start,
            weeks=payload.weeks,
        )
        transaction.on_commit(lambda: compute_proposal_job(proposal.pk))
    proposal = access.access_proposal_by_id(actor=request.user, proposal_id=proposal.public_id)
    return Status(201, proposal_out(proposal))


@router.get(
    "/clinic/rosters/proposals/{proposal_id}",
    response={200: ProposalOut, **errors(401, 404)},
)
def proposal_read(request, proposal_id: str):
    """A proposal with its status, progress and, once ready, its options."""
    return proposal_out(access.access_proposal_by_id(actor=request.user, proposal_id=proposal_id))


@router.post(
    "/clinic/rosters/proposals/{proposal_id}/options/{option_id}/publish",
    response={200: PublishedOut, **errors(401, 403, 404, 409)},
)
def option_publish(request, proposal_id: str, option_id: str):
    """Publish an option: its shifts become the working hours patients and the front desk
    book in. `409 orphans_appointments` (with `appointments`) when it would leave a visit
    booked by now without its doctor; nothing is changed then."""
    option = access.access_option_by_id(
        actor=request.user, proposal_id=proposal_id, option_id=option_id
    )
    try:
        days = services.option_publish(actor=request.user, option=option)
    except OrphansAppointments as exc:
        return JsonResponse(
            {
                "code": exc.code,
                "message": str(exc.message),
                "appointments": [services.visit_out(v) for v in exc.visits],
            },
            status=409,
        )
    return {
        "id": option.public_id,
        "published_at": option.published_at.isoformat(),
        "days": len(days),
        "shifts": len(option.shifts),
    }


# --- a doctor calls in sick ----------------------------------------------------------------


def _sick_doctor(actor, clinic_id, doctor_id):
    [clinic] = _clinics_managed(actor, [clinic_id])
    doctor = next(
        (d for d in clinics.clinic_doctors(clinic=clinic) if d.public_id == doctor_id), None
    )
    if doctor is None:
        raise NotFound(_("Doctor not found."), code="doctor_not_found")
    return clinic, doctor


def sick_day_out(plan, *, applied: bool) -> dict:
    return {
        "doctor_id": plan.doctor.public_id,
        "date": plan.day.isoformat(),
        "applied": applied,
        "handovers": [
            {
                "appointment_id": h.visit.id,
                "start": h.visit.start.isoformat(),
                "end": h.visit.end.isoformat(),
                "doctor_id": h.doctor.public_id,
                "extra_shift": None
                if h.extra_shift is None
                else {"start": h.extra_shift[0].isoformat(), "end": h.extra_shift[1].isoformat()},
            }
            for h in plan.handovers
        ],
        "to_move": [
            {
                "appointment_id": visit.id,
                "start": visit.start.isoformat(),
                "end": visit.end.isoformat(),
                "message": text,
            }
            for visit, text in plan.to_move
        ],
    }


@router.get(
    "/clinic/rosters/sick-day",
    response={200: SickDayOut, **errors(401, 403, 404, 422)},
)
def sick_day_propose(request, query: Query[SickDayQuery]):
    """A doctor calls in sick (managers): the smallest change that covers their booked
    patients that day — each handed to a qualified colleague at the clinic, on shift or
    given a new shift — and the patients nobody can see, with the message drafted for them.
    Nothing is changed."""
    clinic, doctor = _sick_doctor(request.user, query.clinic_id, query.doctor_id)
    plan = repair.sick_day_plan(clinic=clinic, doctor=doctor, day=query.date)
    return sick_day_out(plan, applied=False)


@router.post(
    "/clinic/rosters/sick-day",
    response={200: SickDayOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def sick_day_record(request, payload: SickDayIn):
    """Apply the sick-day change in one transaction: the sick day and the colleagues' extra
    shifts recorded, the covered visits handed over (audited, each patient told), and the
    patients nobody can see sent the drafted message with a link to choose another time.
    `409 handover_refused` when a visit changed meanwhile; nothing is changed then."""
    clinic, doctor = _sick_doctor(request.user, payload.clinic_id, payload.doctor_id)
    plan = repair.sick_day_apply(actor=request.user, clinic=clinic, doctor=doctor, day=payload.date)
    return sick_day_out(plan, applied=True)

from ninja import Router, Status

from yachi.booking import facade as booking
from yachi.clinical import services
from yachi.clinical.access import (
    chart_access,
    chart_write_access,
    item_booking_access,
    plan_access,
)
from yachi.clinical.schemas import (
    ChartOut,
    FindingIn,
    FindingOut,
    ItemBookedOut,
    ItemBookIn,
    ItemTimesOut,
    PlanAcceptIn,
    PlanOut,
)
from yachi.clinical.selectors import ChartView, FindingRow, plan_with_parts
from yachi.core.schemas import errors

router = Router(tags=["clinical"])


def _finding(row: FindingRow) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "label": row.label,
        "explanation": row.explanation,
        "surfaces": row.surfaces,
        "seen_on": row.seen_on,
        "doctor": row.doctor,
        "clinic": row.clinic,
        "note": row.note,
        "withdrawn": row.withdrawn,
    }


def chart_body(chart: ChartView) -> dict:
    return {
        "teeth": [
            {
                "tooth": t.tooth,
                "present": t.present,
                "state": t.state,
                "conditions": t.conditions,
                "surfaces": t.surfaces,
                "risk": (
                    {"score": t.risk.score, "level": t.risk.level, "reasons": list(t.risk.reasons)}
                    if t.risk
                    else None
                ),
                "findings": [_finding(f) for f in t.findings],
            }
            for t in chart.teeth
        ],
        "dmft": chart.dmft.total,
        "dmft_primary": chart.dmft_primary.total,
        "age_months": chart.age_months,
    }


def plan_body(plan) -> dict:
    return {
        "id": plan.public_id,
        "title": plan.title,
        "status": plan.status,
        "revision": plan.revision,
        "total_fen": plan.total_fen,
        "clinic": plan.clinic.name,
        "doctor": plan.doctor.name,
        "note": plan.note,
        "proposed_at": plan.proposed_at,
        "accepted_at": plan.accepted_at,
        "phases": [
            {
                "position": phase.position,
                "title": phase.title,
                "items": [
                    {
                        "id": item.public_id,
                        "tooth": item.tooth,
                        "surfaces": item.surfaces,
                        "service_code": item.service_code,
                        "description": item.description,
                        "unit_fen": item.unit_fen,
                        "quantity": item.quantity,
                        "total_fen": item.total_fen,
                        "status": item.status,
                        "done_at": item.done_at,
                    }
                    for item in phase.items.all()
                ],
            }
            for phase in plan.phases.all()
        ],
    }


@router.get("/patients/{patient_id}/chart", response={200: ChartOut, **errors(401, 404)})
def chart(request, patient_id: str):
    """The tooth chart: every tooth drawn (FDI), its current findings per surface, its
    history and caries risk, and DMFT. The patient and their family's holder, and staff
    of a clinic the patient was seen at (audited); others 404."""
    access = chart_access(actor=request.user, patient_id=patient_id)
    return chart_body(services.chart_read(actor=request.user, access=access))


@router.post(
    "/patients/{patient_id}/chart/findings",
    response={201: FindingOut, **errors(400, 401, 403, 404, 413, 422)},
)
def record_finding(request, patient_id: str, payload: FindingIn):
    """Doctors of a clinic the patient was seen at: record one finding on one tooth."""
    patient, clinic_ids = chart_write_access(actor=request.user, patient_id=patient_id)
    entry = services.finding_record(
        actor=request.user,
        patient=patient,
        clinic_ids=clinic_ids,
        tooth=payload.tooth,
        kind=payload.kind,
        surfaces=payload.surfaces,
        seen_on=payload.seen_on,
        note=payload.note,
    )
    chart = services.chart_of_entry(entry)
    return Status(201, _finding(next(f for f in chart if f.id == str(entry.public_id))))


@router.get(
    "/patients/{patient_id}/treatment-plans",
    response={200: list[PlanOut], **errors(401, 404)},
)
def treatment_plans(request, patient_id: str):
    """The patient's treatment plans with their phases, procedures and estimate."""
    access = chart_access(actor=request.user, patient_id=patient_id)
    return [plan_body(plan) for plan in services.plans_read(actor=request.user, access=access)]


@router.post(
    "/treatment-plans/{plan_id}/accept",
    response={200: PlanOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def accept_plan(request, plan_id: str, payload: PlanAcceptIn):
    """The patient (or the family's holder) accepts the estimate of the plan's current
    revision, signing with their name and ticking the consent; 409 ``plan_changed`` if
    the plan changed since it was read."""
    plan = plan_access(actor=request.user, plan_id=plan_id)
    plan = services.plan_accept(
        actor=request.user,
        plan=plan,
        revision=payload.revision,
        signature=payload.signature,
        agree=payload.agree,
    )
    return plan_body(plan_with_parts(plan))


@router.get(
    "/treatment-plans/{plan_id}/items/{item_id}/times",
    response={200: ItemTimesOut, **errors(401, 404, 409)},
)
def item_times(request, plan_id: str, item_id: str):
    """Booking a procedure of an accepted plan: its service and the plan's doctor, preset,
    and their free starts of the next 7 days as the caller books them elsewhere (the
    app's for patients, the desk's for staff). 409 ``item_closed``, ``item_already_booked``
    or ``plan_not_accepted`` when it cannot be booked."""
    plan, item = item_booking_access(actor=request.user, plan_id=plan_id, item_id=item_id)
    service, doctor = services.plan_item_booking(plan=plan, item=item)
    days = booking.bookable_starts(actor=request.user, doctor=doctor, service=service)
    return {
        "item": item.public_id,
        "service": service.code,
        "doctor": doctor.public_id,
        "duration_minutes": service.duration_minutes,
        "days": [{"day": day, "starts": starts} for day, starts in days],
    }


@router.post(
    "/treatment-plans/{plan_id}/items/{item_id}/appointment",
    response={201: ItemBookedOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def book_item(request, plan_id: str, item_id: str, payload: ItemBookIn):
    """Book an appointment for the procedure at one of the starts ``…/times`` offered,
    by the rules of any booking (the patient's horizon and deposit); completing that
    appointment marks the procedure done, billed and on the chart. 409 ``slot_taken``
    when the time went meanwhile."""
    plan, item = item_booking_access(actor=request.user, plan_id=plan_id, item_id=item_id)
    appointment = services.plan_item_book(
        actor=request.user, plan=plan, item=item, start=payload.start, note=payload.note
    )
    item.refresh_from_db()
    return Status(
        201,
        {
            "item": item.public_id,
            "item_status": item.status,
            "appointment": appointment.public_id,
            "appointment_status": appointment.status,
            "start": appointment.start,
            "end": appointment.end,
        },
    )

"""The visit history in the mini-program: the family's completed visits, one visit."""

from types import SimpleNamespace
from uuid import UUID

from ninja import Query, Router, Schema
from pydantic import Field

from yachi.booking.history import selectors
from yachi.booking.history.schemas import VisitOut
from yachi.booking.history.views import completed_visit
from yachi.booking.schemas import local
from yachi.core.errors import NotFound, patients_only
from yachi.core.schemas import errors
from yachi.patients import facade as patients

router = Router(tags=["visits"])


class VisitListQuery(Schema):
    # One family member's visits; everyone's without it.
    patient_id: UUID | None = None
    # The next page: the visits after this one (the last of the page before).
    before: UUID | None = None
    limit: int = Field(100, ge=1, le=100)


def _out(visit, rebook=None) -> SimpleNamespace:
    a = visit.appointment
    answer = {
        "public_id": a.public_id,
        "start": local(a.start, a.clinic),
        "end": local(a.end, a.clinic),
        "clinic": {"id": a.clinic.public_id, "name": a.clinic.display_name},
        "doctor": {"id": a.doctor.public_id, "name": a.doctor.name},
        "service": {"id": a.service.public_id, "name": a.service.display_name},
        "patient": {"id": a.patient.public_id, "name": a.patient.display_name},
        "shared": visit.shared,
        "notes": [
            {
                "summary": n.summary,
                "advice": n.advice,
                "doctor": n.doctor,
                "written_at": n.written_at,
            }
            for n in visit.notes
        ],
        "bills": [
            {
                "bill_id": b.bill_id,
                "payment_id": b.payment_id,
                "description": b.description,
                "list_fen": b.list_fen,
                "discount_fen": b.discount_fen,
                "amount_fen": b.amount_fen,
                "refunded_fen": b.refunded_fen,
                "status": b.status,
                "status_display": b.status_label,
                "paid_at": b.paid_at,
                "has_receipt": b.has_receipt,
                "lines": list(b.lines),
            }
            for b in visit.bills
        ],
    }
    if visit.voucher is not None:
        answer["paid_by_voucher"] = {
            "code": visit.voucher.code,
            "title": visit.voucher.title,
            "service": a.service.display_name,
            "list_fen": a.price_fen,
            "paid_fen": visit.voucher.paid_fen,
            "status": visit.voucher.status,
        }
    if rebook is not None:
        answer["rebook"] = {
            "service_id": rebook.service.public_id if rebook.service else None,
            "doctor_id": rebook.doctor.public_id if rebook.doctor else None,
            "patient_id": a.patient.public_id,
            "clinic_id": a.clinic.public_id,
        }
    return SimpleNamespace(**answer)


@router.get("/me/visits", response={200: list[VisitOut], **errors(401, 403, 404, 422)})
def my_visits(request, query: Query[VisitListQuery]):
    """Patients: the family's completed visits, latest first (`limit` of them, at most and
    by default 100), each with the summary and 医嘱 its doctor shared and its bills; one
    member's with `patient_id`. The next page: `before` = the last visit's `id`
    (404 `visit_not_found` when it is not a completed visit of the family)."""
    patients_only(request.auth)
    account = patients.account_of(request.auth)
    person = None
    if query.patient_id is not None:
        person = patients.access_family_member_by_id(
            actor=request.auth, patient_id=query.patient_id
        )
    before = None
    if query.before is not None:
        before = selectors.visit_cursor(account=account, visit_id=query.before)
        if before is None:
            raise NotFound(code="visit_not_found")
    visits = selectors.visit_history(
        account=account, patient=person, limit=query.limit, before=before
    )
    return [_out(v) for v in visits]


@router.get("/me/visits/{appointment_id}", response={200: VisitOut, **errors(401, 404)})
def my_visit(request, appointment_id: str):
    """Patients: one completed visit of the family, and where "再约" starts a booking
    (`GET /doctors/{doctor_id}/availability?service_id=…`, then `POST /appointments`)."""
    appointment = completed_visit(actor=request.auth, appointment_id=appointment_id)
    return _out(selectors.visit_of(appointment), selectors.rebook_of(appointment))

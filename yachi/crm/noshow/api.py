"""No-show risk in the API: staff read one appointment's risk with its reasons."""

from django.utils.translation import gettext as _
from ninja import Router

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import PermissionDenied
from yachi.core.schemas import errors
from yachi.crm.noshow import selectors, services
from yachi.crm.noshow.reasons import reason_text
from yachi.crm.noshow.schemas import NoShowRiskOut

router = Router(tags=["no-show risk"])


@router.get(
    "/clinic/appointments/{appointment_id}/no-show-risk",
    response={200: NoShowRiskOut, **errors(401, 403, 404, 409)},
)
def no_show_risk(request, appointment_id: str):
    """Staff of the appointment's clinic: its no-show risk (scored now when the hourly
    job has not reached it yet), the main reasons, and what the clinic's policy did."""
    if request.user.is_patient:
        raise PermissionDenied(_("No-show risk is for the clinic's staff."), code="staff_only")
    appointment = booking.access_appointment_by_id(
        actor=request.user, appointment_id=appointment_id
    )
    clinics.require(request.user, appointment.clinic, clinics.Duty.SEE)
    row = selectors.score_of(appointment.pk)
    if row is None:
        row = services.score_appointment(appointment)
    policy = services.policy_of(appointment.clinic_id)
    audit_record(
        action=AuditAction.NO_SHOW_RISK_READ,
        actor=request.user,
        clinic=appointment.clinic,
        object_type="appointment",
        object_id=appointment.public_id,
    )
    model = row.model
    return {
        "appointment_id": appointment.public_id,
        "score": round(row.score, 4),
        "percent": round(row.score * 100),
        "level": row.level,
        "threshold_percent": policy.threshold_percent,
        "reasons": [
            {
                "code": r["code"],
                "value": r.get("value", 0),
                "text": reason_text(r["code"], r.get("value", 0)),
            }
            for r in row.reasons
        ],
        "model": None
        if model is None
        else {
            "version": model.version,
            "scope": "clinic" if model.clinic_id else "chain",
            "trained_at": model.trained_at,
        },
        "computed_at": row.computed_at,
        "extra_reminder_sent": row.reminded_at is not None,
        "call_flagged": row.call_flagged,
    }

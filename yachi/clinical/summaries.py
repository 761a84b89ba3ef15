"""A treatment plan as financing sees it: its total, its services, whose it is.

The caller is checked by ``plan_access`` (the patient's family, or staff of a clinic
where the patient was seen); a staff member's read is in the audit trail, as every staff
read of a plan is (ADR 0059).
"""

from dataclasses import dataclass

from yachi.clinical.access import plan_access
from yachi.clinical.models import PlanItem
from yachi.compliance.facade import AuditAction, audit_record


@dataclass(frozen=True)
class PlanSummary:
    pk: int
    id: object  # the public id
    title: str
    status: str
    revision: int
    total_fen: int
    clinic_id: int
    clinic_name: str
    patient_id: int
    patient_public_id: object
    patient_name: str
    # The family's account holder: who borrows for the plan.
    holder_id: int
    service_codes: tuple[str, ...]


def plan_summary(*, actor, plan_id) -> PlanSummary:
    plan = plan_access(actor=actor, plan_id=plan_id)
    if getattr(actor, "is_clinic_staff", False):
        audit_record(
            action=AuditAction.CLINICAL_READ,
            actor=actor,
            object_type="patient",
            object_id=plan.patient.public_id,
            details={"part": "treatment_plan", "plan": str(plan.public_id), "for": "instalments"},
        )
    codes = PlanItem.objects.filter(phase__plan=plan).values_list("service_code", flat=True)
    return PlanSummary(
        pk=plan.pk,
        id=plan.public_id,
        title=plan.title,
        status=plan.status,
        revision=plan.revision,
        total_fen=plan.total_fen,
        clinic_id=plan.clinic_id,
        clinic_name=plan.clinic.display_name,
        patient_id=plan.patient_id,
        patient_public_id=plan.patient.public_id,
        patient_name=plan.patient.display_name,
        holder_id=plan.patient.account.owner_id,
        service_codes=tuple(sorted(set(codes))),
    )

"""Who may open a tooth chart or a treatment plan (ADR 0059).

Patients: anyone on their own family account (the holder reads the children's). Staff:
patients seen at one of their clinics (``patients.desk_access``); only doctors of such a
clinic write. "Not yours" and "no such patient" are both 404.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from yachi.clinical.models import ChartEntry, PlanItem, TreatmentPlan
from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.patients import facade as patients


@dataclass(frozen=True)
class ChartAccess:
    patient: object
    staff: bool
    # The clinics whose plans and entries a staff reader sees (None: every clinic —
    # patients, and chain-wide staff).
    clinic_ids: set[int] | None


def chart_access(*, actor, patient_id) -> ChartAccess:
    if getattr(actor, "is_patient", False):
        patient = patients.access_family_member_by_id(actor=actor, patient_id=patient_id)
        return ChartAccess(patient=patient, staff=False, clinic_ids=None)
    if not getattr(actor, "is_clinic_staff", False):
        raise NotFound(_("Patient not found."), code="patient_not_found")
    patient, shared = patients.desk_access(actor=actor, patient_id=patient_id)
    return ChartAccess(patient=patient, staff=True, clinic_ids=shared)


def chart_write_access(*, actor, patient_id) -> tuple[object, set[int]]:
    """The patient, and the clinics where this doctor may record on their chart."""
    treats_at = clinics.clinics_where(actor, clinics.Duty.TREAT) or set()
    if not getattr(actor, "is_clinic_staff", False):
        raise NotFound(_("Patient not found."), code="patient_not_found")
    if not treats_at or clinics.doctor_of_user(actor) is None:
        raise PermissionDenied(
            _("Only doctors record on the tooth chart and write treatment plans."),
            code="doctors_only",
        )
    patient, shared = patients.desk_access(actor=actor, patient_id=patient_id)
    where = treats_at if shared is None else shared & treats_at
    if not where:
        raise NotFound(_("Patient not found."), code="patient_not_found")
    return patient, where


def entry_of_chart(*, patient, entry_id) -> ChartEntry:
    public_id = as_public_id(entry_id)
    entry = (
        ChartEntry.objects.filter(public_id=public_id, patient=patient).first()
        if public_id
        else None
    )
    if entry is None:
        raise NotFound(_("Finding not found."), code="finding_not_found")
    return entry


def plan_access(*, actor, plan_id) -> TreatmentPlan:
    """A plan the actor may read: the patient's family, or staff of a clinic the patient
    was seen at who may see the plan's clinic."""
    missing = NotFound(_("Treatment plan not found."), code="plan_not_found")
    public_id = as_public_id(plan_id)
    plan = (
        TreatmentPlan.objects.select_related("patient__account", "clinic", "doctor")
        .filter(public_id=public_id)
        .first()
        if public_id
        else None
    )
    if plan is None:
        raise missing
    try:
        access = chart_access(actor=actor, patient_id=plan.patient.public_id)
    except NotFound:
        raise missing from None
    if access.clinic_ids is not None and plan.clinic_id not in access.clinic_ids:
        raise missing
    return plan


def plan_write_access(*, actor, plan_id) -> TreatmentPlan:
    """A plan a doctor of its clinic may change."""
    plan = plan_access(actor=actor, plan_id=plan_id)
    if not getattr(actor, "is_clinic_staff", False):
        raise NotFound(_("Treatment plan not found."), code="plan_not_found")
    _patient, where = chart_write_access(actor=actor, patient_id=plan.patient.public_id)
    if plan.clinic_id not in where:
        raise PermissionDenied(
            _("Only doctors of the plan's clinic change it."), code="doctors_only"
        )
    return plan


def item_of_plan(*, plan, item_id) -> PlanItem:
    public_id = as_public_id(item_id)
    item = (
        PlanItem.objects.select_related("phase")
        .filter(public_id=public_id, phase__plan=plan)
        .first()
        if public_id
        else None
    )
    if item is None:
        raise NotFound(_("Procedure not found."), code="item_not_found")
    return item


def item_booking_access(*, actor, plan_id, item_id) -> tuple[TreatmentPlan, PlanItem]:
    """A plan's procedure the actor may book: the patient's family in the app, or staff
    who may book at the plan's clinic (Duty.SEE, as at the desk)."""
    plan = plan_access(actor=actor, plan_id=plan_id)
    if getattr(actor, "is_clinic_staff", False):
        allowed = clinics.clinics_where(actor, clinics.Duty.SEE)
        if allowed is not None and plan.clinic_id not in allowed:
            raise NotFound(_("Treatment plan not found."), code="plan_not_found")
    return plan, item_of_plan(plan=plan, item_id=item_id)

"""Who sees a patient's scans and 3D arch (ADR 0062): the same people as their X-rays
and their chart — the patient, their family account's holder, and staff of a clinic
where the patient was seen (the scans those clinics took). Anyone else, and anything
that does not exist, is "not found"; every staff read leaves an audit entry."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, NotFound
from yachi.core.models import as_public_id
from yachi.imaging.access import _patient_and_clinics
from yachi.imaging.scans.models import Scan
from yachi.patients import facade as patients


def _scans(patient, clinic_ids) -> list[Scan]:
    scans = Scan.objects.filter(patient=patient)
    if clinic_ids is not None:
        scans = scans.filter(clinic_id__in=clinic_ids)
    return list(scans.select_related("clinic").order_by("-taken_on", "jaw", "-id"))


def access_scans_of_patient(*, actor, patient_id):
    """A patient and the scans the actor may see of them."""
    patient, clinic_ids = _patient_and_clinics(actor=actor, patient_id=patient_id)
    scans = _scans(patient, clinic_ids)
    if not actor.is_patient:
        audit_record(
            action=AuditAction.SCAN_READ,
            actor=actor,
            object_type="patient",
            object_id=patient.public_id,
            details={"scans": len(scans)},
        )
    return patient, scans


def access_scan_by_id(*, actor, scan_id) -> Scan:
    missing = NotFound(_("Scan not found."), code="scan_not_found")
    public_id = as_public_id(scan_id)
    if public_id is None or not (actor.is_patient or actor.is_clinic_staff):
        raise missing
    scan = Scan.objects.select_related("clinic", "patient").filter(public_id=public_id).first()
    if scan is None:
        raise missing
    try:
        _patient, clinic_ids = _patient_and_clinics(actor=actor, patient_id=scan.patient.public_id)
    except NotFound:
        raise missing from None
    if clinic_ids is not None and scan.clinic_id not in clinic_ids:
        raise missing
    if not actor.is_patient:
        audit_record(
            action=AuditAction.SCAN_READ,
            actor=actor,
            object_type="scan",
            object_id=scan.public_id,
            clinic=scan.clinic,
            details={"patient": str(scan.patient.public_id), "jaw": scan.jaw},
        )
    return scan


def upload_access(*, actor, patient_id, clinic_id=None):
    """The patient and the clinic a staff member uploads a scan for: a clinic of theirs
    where the patient was seen (named when there is more than one)."""
    patient, shared = patients.desk_access(actor=actor, patient_id=patient_id)
    if clinic_id:
        clinic = clinics.staff_clinic_by_id(actor=actor, clinic_id=clinic_id)
        if not patients.seen_at(patient=patient, clinic_id=clinic.pk):
            raise NotFound(_("Patient not found."), code="patient_not_found")
        return patient, clinic
    if shared is not None and len(shared) == 1:
        # The one clinic the two share, as the scan's own foreign key loads it.
        clinic_model = Scan._meta.get_field("clinic").related_model
        return patient, clinic_model.objects.get(pk=next(iter(shared)))
    raise InvalidInput(_("Choose the clinic where the scan was taken."), code="clinic_required")

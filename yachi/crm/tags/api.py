from django.utils.translation import gettext as _
from ninja import Router, Schema

from yachi.core.errors import PermissionDenied
from yachi.core.schemas import errors
from yachi.crm.tags import selectors
from yachi.patients import facade as patients

router = Router(tags=["crm"])


class TagOut(Schema):
    code: str
    label: str
    reason: str
    source: str


def staff_patient(user, patient_id):
    """A patient for staff of a clinic where they were seen (every clinic for chain-wide
    staff); a patient's own token is 403, anybody else's patient 404."""
    if not user.is_clinic_staff:
        raise PermissionDenied(_("Only clinic staff see patients' tags."), code="staff_only")
    return patients.desk_access(actor=user, patient_id=patient_id)


@router.get(
    "/clinic/patients/{patient_id}/tags", response={200: list[TagOut], **errors(401, 403, 404)}
)
def patient_tags(request, patient_id: str):
    """The patient's tags, each with why it is there (`source`: `computed` by the nightly
    refresh, or `manual`, added by staff, its reason the staff member's note)."""
    patient, _clinics = staff_patient(request.user, patient_id)
    return [
        {"code": tag.code, "label": tag.label, "reason": tag.reason, "source": tag.source}
        for tag in selectors.tags_of_patient(patient.pk)
    ]

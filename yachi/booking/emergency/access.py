"""The only ways a request reaches an emergency case: checked against the caller.

"Not yours" and "does not exist" give the same answer, so ids cannot be probed.
"""

from django.utils.translation import gettext as _

from yachi.booking.emergency.models import EmergencyCase, EmergencyDispatch
from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id


def _not_found() -> NotFound:
    return NotFound(_("Emergency not found."), code="emergency_not_found")


def access_case(*, actor, case_id) -> EmergencyCase:
    """The patient's own family, a doctor who was asked, or staff of the clinic that took it."""
    public_id = as_public_id(case_id)
    case = (
        EmergencyCase.objects.filter(public_id=public_id).select_related("patient__account").first()
        if public_id
        else None
    )
    if case is None:
        raise _not_found()
    if actor.is_patient:
        if case.patient.account.owner_id == actor.pk:
            return case
        raise _not_found()
    doctor = clinics.doctor_of_user(actor)
    if doctor is not None and case.dispatches.filter(doctor=doctor).exists():
        return case
    allowed = clinics.staff_clinic_ids(actor)
    if case.accepted_clinic_id and (allowed is None or case.accepted_clinic_id in allowed):
        return case
    raise _not_found()


def emergency_for_doctor(*, actor, case_id) -> tuple[EmergencyCase, EmergencyDispatch]:
    """A case this doctor was asked to take (anything else is not found)."""
    doctor = clinics.doctor_of_user(actor)
    public_id = as_public_id(case_id)
    dispatch = (
        EmergencyDispatch.objects.select_related("case", "clinic")
        .filter(case__public_id=public_id, doctor=doctor)
        .first()
        if doctor and public_id
        else None
    )
    if dispatch is None:
        raise _not_found()
    return dispatch.case, dispatch

"""Reading emergency cases: the live status a patient follows, a doctor's cases."""

from django.utils.translation import gettext as _

from yachi.booking.choices import EmergencyStatus
from yachi.booking.emergency.models import EmergencyCase, EmergencyDispatch
from yachi.booking.schemas import local
from yachi.clinics import facade as clinics


def _place(clinic):
    if clinic is None:
        return None
    return {
        "id": clinic.public_id,
        "name": clinic.display_name,
        "address": clinic.address,
        "phone": clinic.phone,
        "latitude": float(clinic.latitude),
        "longitude": float(clinic.longitude),
    }


def _message(case: EmergencyCase) -> str:
    if case.status == EmergencyStatus.SEARCHING:
        return _("Looking for a doctor near you…")
    if case.status == EmergencyStatus.ACCEPTED:
        return _("%(doctor)s at %(clinic)s will see you at %(time)s.") % {
            "doctor": case.accepted_doctor.name,
            "clinic": case.accepted_clinic.display_name,
            "time": f"{local(case.appointment.start, case.accepted_clinic):%H:%M}"
            if case.appointment
            else "",
        }
    if case.status == EmergencyStatus.UNAVAILABLE:
        clinic = case.nearest_clinic
        return _(
            "No doctor can take your emergency right now. Please call %(clinic)s on "
            "%(phone)s, or go to the nearest hospital's stomatology emergency."
        ) % {
            "clinic": clinic.display_name if clinic else "",
            "phone": clinic.phone if clinic else "",
        }
    return case.get_status_display()


def present(case: EmergencyCase) -> dict:
    case = EmergencyCase.objects.select_related(
        "accepted_doctor", "accepted_clinic", "nearest_clinic", "appointment"
    ).get(pk=case.pk)
    return {
        "id": case.public_id,
        "status": case.status,
        "status_display": case.get_status_display(),
        "message": _message(case),
        "pain_level": case.pain_level,
        "notified_doctor_ids": [
            d.doctor.public_id for d in case.dispatches.select_related("doctor").order_by("pk")
        ],
        "doctor_id": case.accepted_doctor.public_id if case.accepted_doctor else None,
        "doctor_name": case.accepted_doctor.name if case.accepted_doctor else None,
        "clinic": _place(case.accepted_clinic),
        "nearest_clinic": _place(case.nearest_clinic),
        "appointment_start": local(case.appointment.start, case.accepted_clinic)
        if case.appointment
        else None,
        "eta_minutes": case.eta_minutes,
        "created_at": case.created_at,
    }


def cases_for_doctor(*, actor) -> list[EmergencyDispatch]:
    doctor = clinics.doctor_of_user(actor)
    if doctor is None:
        return []
    return list(
        EmergencyDispatch.objects.filter(doctor=doctor)
        .select_related("case__patient", "case__accepted_doctor", "clinic")
        .order_by("-notified_at")[:50]
    )

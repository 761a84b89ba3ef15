"""What a video room (``messaging.video``, which stands beneath booking) knows of its
appointment: read here and handed over as ``messaging.VideoAppointment`` (ADR 0045)."""

from uuid import UUID

from yachi.booking.choices import ACTIVE_STATUSES
from yachi.booking.models import Appointment
from yachi.messaging import facade as messaging


def video_appointment(public_id: UUID) -> messaging.VideoAppointment | None:
    appointment = (
        Appointment.objects.select_related(
            "clinic", "service", "doctor", "patient", "patient__account"
        )
        .filter(public_id=public_id)
        .first()
    )
    if appointment is None:
        return None
    return messaging.VideoAppointment(
        id=appointment.public_id,
        clinic_id=appointment.clinic.public_id,
        clinic_name=appointment.clinic.display_name,
        service_name=appointment.service.display_name,
        is_video=appointment.service.is_video,
        is_active=appointment.status in ACTIVE_STATUSES,
        start=appointment.start,
        end=appointment.end,
        timezone=appointment.clinic.timezone,
        patient_user_id=appointment.patient.account.owner_id,
        patient_name=appointment.patient.display_name,
        doctor_user_id=appointment.doctor.user_id,
        doctor_name=appointment.doctor.name,
    )

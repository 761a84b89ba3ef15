"""What patient–clinic chat (messaging, beneath booking) asks of appointments: a
family's appointment at a clinic, shown in a conversation as a card. Registered in
``BookingConfig.ready``."""

from django.utils import timezone

from yachi.booking.choices import ACTIVE_STATUSES, Status
from yachi.booking.models import Appointment


def _card(appointment: Appointment):
    from yachi.messaging.facade import ChatCard

    return ChatCard(
        pk=appointment.pk,
        public_id=appointment.public_id,
        patient_id=appointment.patient_id,
        clinic_id=appointment.clinic_id,
        patient=appointment.patient.display_name,
        service=appointment.service.display_name,
        doctor=appointment.doctor.name,
        start=timezone.localtime(appointment.start),
        status=appointment.status,
        status_label=str(Status(appointment.status).label),
    )


def _appointments():
    return Appointment.objects.select_related("patient", "service", "doctor")


def card_of(public_id, patient_pks, clinic_pk):
    appointment = (
        _appointments()
        .filter(public_id=public_id, patient_id__in=list(patient_pks), clinic_id=clinic_pk)
        .first()
    )
    return _card(appointment) if appointment else None


def cards(pks) -> dict:
    if not pks:
        return {}
    return {a.pk: _card(a) for a in _appointments().filter(pk__in=list(pks))}


def upcoming(patient_pks, clinic_pk) -> list:
    found = _appointments().filter(
        patient_id__in=list(patient_pks),
        clinic_id=clinic_pk,
        status__in=ACTIVE_STATUSES,
        end__gte=timezone.now(),
    )
    return [_card(a) for a in found.order_by("start")[:20]]

"""What patient–clinic chat (messaging, beneath patients) asks of families: who is on
a caller's family account and their names. Registered in ``PatientsConfig.ready``."""

from yachi.patients.models import Patient


def _member(patient: Patient):
    from yachi.messaging.facade import ChatMember

    return ChatMember(pk=patient.pk, public_id=patient.public_id, name=patient.display_name)


def member_of(user, public_id):
    """The person on ``user``'s family account (its holder when ``public_id`` is None)."""
    if not getattr(user, "is_patient", False):
        return None
    people = Patient.objects.filter(account__owner=user, removed_at__isnull=True)
    found = people.filter(seat=0) if public_id is None else people.filter(public_id=public_id)
    patient = found.first()
    return _member(patient) if patient else None


def members_of(user) -> list:
    people = Patient.objects.filter(account__owner=user, removed_at__isnull=True).order_by("seat")
    return [_member(patient) for patient in people]


def names(pks) -> dict[int, str]:
    return {patient.pk: patient.display_name for patient in Patient.objects.filter(pk__in=pks)}

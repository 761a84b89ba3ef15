from django.db import transaction

from yachi.clinics.events import ChairsChanged
from yachi.clinics.models import Chair
from yachi.core.events import publish


@transaction.atomic
def chair_save(*, chair: Chair) -> Chair:
    previous_clinic = Chair.objects.filter(pk=chair.pk).values_list("clinic_id", flat=True).first()
    chair.full_clean()
    chair.save()
    for clinic_id in {chair.clinic_id, previous_clinic} - {None}:
        publish(ChairsChanged(clinic_id=clinic_id))
    return chair


@transaction.atomic
def chair_delete(*, chair: Chair) -> None:
    clinic_id = chair.clinic_id
    chair.delete()
    publish(ChairsChanged(clinic_id=clinic_id))

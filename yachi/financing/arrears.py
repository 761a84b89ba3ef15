"""Overdue instalments, as CRM's arrears tag reads them (registered in ``ready``)."""

from datetime import datetime, time

from django.utils import timezone

from yachi.crm.facade import Owed
from yachi.financing.choices import InstalmentStatus
from yachi.financing.models import Instalment


def overdue_instalments(patient_ids=None) -> list[Owed]:
    rows = Instalment.objects.filter(status=InstalmentStatus.OVERDUE)
    if patient_ids is not None:
        rows = rows.filter(plan__patient_id__in=list(patient_ids))
    zone = timezone.get_current_timezone()
    return [
        Owed(
            patient_id=patient_id,
            clinic_id=clinic_id,
            due_at=datetime.combine(due, time(0), tzinfo=zone),
            amount_fen=principal + interest,
        )
        for patient_id, clinic_id, due, principal, interest in rows.values_list(
            "plan__patient_id", "plan__clinic_id", "due_date", "principal_fen", "interest_fen"
        )
    ]

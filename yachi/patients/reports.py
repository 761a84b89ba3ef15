"""What the managers' dashboards read of patients (CRM, ADR 0053): who pays for whom,
without opening any name, and the few people a list page shows, opened in one query."""

from collections.abc import Iterable
from dataclasses import dataclass

from yachi.patients.models import Patient


def owners_of(patient_ids: Iterable[int]) -> dict[int, int]:
    """{patient id: the user id of their family account's holder}: one query, nothing
    decrypted."""
    return dict(
        Patient.objects.filter(pk__in=list(set(patient_ids)))
        .order_by()
        .values_list("pk", "account__owner_id")
    )


@dataclass(frozen=True)
class PatientCard:
    pk: int
    public_id: str
    name: str
    phone: str  # the member's own number, or the account holder's


def patient_cards(patient_ids: Iterable[int]) -> dict[int, PatientCard]:
    """The people a list shows, names and numbers opened: one query. The caller audits
    the read (a list of patients is personal data)."""
    found = {}
    for patient in (
        Patient.objects.filter(pk__in=list(set(patient_ids)))
        .select_related("account__owner")
        .only("pk", "public_id", "name", "phone", "account__owner__phone")
        .order_by()
    ):
        found[patient.pk] = PatientCard(
            pk=patient.pk,
            public_id=str(patient.public_id),
            name=patient.name,
            phone=patient.phone or patient.account.owner.phone or "",
        )
    return found

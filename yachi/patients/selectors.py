from yachi.patients.models import FamilyAccount, Patient
from yachi.patients.services import account_open


def holder_of(account: FamilyAccount) -> Patient:
    return Patient.objects.get(account=account, seat=0)


def family_members(account: FamilyAccount) -> list[Patient]:
    """The family members of an account, without its holder, oldest first."""
    return list(
        Patient.objects.filter(account=account, seat__gt=0, removed_at__isnull=True).order_by(
            "created_at", "pk"
        )
    )


def everyone_on(account: FamilyAccount) -> list[Patient]:
    """Holder first, then the family members: whom the account can book for."""
    return list(Patient.objects.filter(account=account, removed_at__isnull=True).order_by("seat"))


def profile_part(user) -> dict:
    """The patient's own record in their ``/me`` profile."""
    if not user.is_patient:
        return {}
    return {"patient_id": holder_of(account_open(user=user)).public_id}

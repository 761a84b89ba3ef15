"""Reads of user accounts that other contexts need, without touching the user table."""

from yachi.accounts.models import User
from yachi.core.models import as_public_id
from yachi.core.roles import Role


def patient_user_by_phone(phone: str, *, active_only: bool = False) -> User | None:
    """The patient account with this mobile number, or None.

    A number that is not a mobile number raises the normalizer's ``DomainError``.
    """
    patients = User.objects.filter(role=Role.PATIENT)
    if active_only:
        patients = patients.filter(is_active=True)
    return patients.by_phone(phone).first()


def patient_user_by_id(user_id, *, active_only: bool = False) -> User | None:
    """The patient account with this public id, or None."""
    public_id = as_public_id(user_id) if user_id else None
    if public_id is None:
        return None
    patients = User.objects.filter(role=Role.PATIENT, public_id=public_id)
    if active_only:
        patients = patients.filter(is_active=True)
    return patients.first()

"""Reads of users for the contexts above accounts (through its facade)."""

from yachi.accounts.models import User
from yachi.core.roles import Role


def patient_user_by_phone(phone: str) -> User | None:
    """The patient user with this mobile number, or None; DomainError if the number is
    malformed."""
    return User.objects.by_phone(phone).filter(role=Role.PATIENT).first()

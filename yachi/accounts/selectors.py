"""Reads of users for the contexts above accounts (through its facade)."""

from collections.abc import Iterable

from yachi.accounts.models import User
from yachi.core.roles import Role


def patient_user_by_phone(phone: str) -> User | None:
    """The patient user with this mobile number, or None; DomainError if the number is
    malformed."""
    return User.objects.by_phone(phone).filter(role=Role.PATIENT).first()


def user_id_by_phone(phone: str) -> int | None:
    """The id of the user with this mobile number, or None; DomainError if the number is
    malformed."""
    return User.objects.by_phone(phone).values_list("pk", flat=True).first()


def user_names(ids: Iterable[int]) -> dict[int, str]:
    """{user id: name} for these users."""
    return dict(User.objects.filter(pk__in=set(ids)).values_list("pk", "name"))

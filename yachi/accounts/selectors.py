"""Reads of user accounts that the contexts above accounts need (through its facade), so that
none of them touches the user table."""

from collections.abc import Iterable

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


def user_id_by_phone(phone: str) -> int | None:
    """The id of the user with this mobile number, or None; DomainError if the number is
    malformed."""
    return User.objects.by_phone(phone).values_list("pk", flat=True).first()


def user_names(ids: Iterable[int]) -> dict[int, str]:
    """{user id: name} for these users."""
    return dict(User.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def staff_labels(viewer, ids) -> dict[str, str]:
    """Staff by their names, for staff (the audit trail names its actors the same way);
    patients' accounts are named by patients, which knows whom the viewer has seen."""
    if not viewer.is_clinic_staff:
        return {}
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    staff = User.objects.filter(public_id__in=public_ids).exclude(role=Role.PATIENT)
    return {
        str(public_id): name for public_id, name in staff.values_list("public_id", "name") if name
    }


def administrators() -> list[User]:
    """The installation's administrators, who are told when something of the whole
    installation needs them (a backup that failed)."""
    return list(User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"))


def tokens_of(user: User) -> list:
    """The user's live tokens, the newest first: where they are logged in."""
    from django.utils import timezone

    from yachi.accounts.models import ApiToken

    return list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .only("public_id", "digest", "label", "device", "created_at", "last_used_at", "expires_at")
        .order_by("-created_at")
    )


def users_by_ids(ids) -> dict:
    """Accounts by primary key, in one query (whom a campaign messages)."""
    return {user.pk: user for user in User.objects.filter(pk__in=list(ids))}

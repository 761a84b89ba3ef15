"""The account's part of a personal-data export and of an erasure (PIPL), registered
with compliance when the app loads."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import tokencache
from yachi.accounts.models import ApiToken, LoginFailure, SmsCode, User
from yachi.compliance.facade import ErasedPart, ExportedPart, PersonalDataPart, blind_index


def account_export(user: User) -> dict:
    return {
        "phone": user.phone,
        "name": user.name,
        "joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "active_tokens": ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).count(),
    }


@transaction.atomic
def account_erase(user: User) -> None:
    """Close the login for good: no number, no name, no tokens, no sessions.

    The row stays (appointments and records point at it) but can never log in again,
    and the number is free to register a new account.
    """
    index = blind_index("phone", user.phone)
    SmsCode.objects.filter(phone_index=index).delete()
    LoginFailure.objects.filter(phone_key=index).delete()
    tokencache.forget_user(user.pk)
    ApiToken.objects.filter(user=user).delete()
    # update() skips the blind indexes' pre_save: the number's is set to a value no
    # number can have, the name's emptied with the name, so neither finds the row again.
    User.objects.filter(pk=user.pk).update(
        phone="",
        phone_index=f"erased:{uuid.uuid4().hex}",
        name="",
        name_index="",
        is_active=False,
        totp_secret="",
        password="!erased",  # noqa: S106  (an unusable hash, not a password)
        session_epoch=user.session_epoch + 1,
    )


def _export(user: User) -> ExportedPart:
    return ExportedPart(data={"account": account_export(user)})


def _erase(user: User, *, reason: str) -> ErasedPart:
    account_erase(user)
    return ErasedPart(deleted=[_("mobile numbers, login and devices")])


# The login stands beneath every other part: exported first, erased last.
PERSONAL_DATA = PersonalDataPart(name="account", order=10, exporter=_export, eraser=_erase)

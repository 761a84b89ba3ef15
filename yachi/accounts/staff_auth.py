"""Staff authentication: password (with lockout and a configurable profile), a TOTP
second factor for the roles that need one (set up once, replaced only with the current
code, reset by an administrator), and password change and expiry."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import throttle, tokencache
from yachi.accounts.models import ApiToken, LoginFailure, PasswordHistory, User
from yachi.accounts.passwords import profile
from yachi.accounts.phones import normalize_phone
from yachi.accounts.registrations import roles_held
from yachi.accounts.services import audit_failed_login
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from yachi.core.roles import STAFF_ROLES, Role

ISSUER = "Yachi"
# Compared against when the number has no staff account, so that a wrong number
# takes as long as a wrong password. Made on first use, not on import: made there, it cost
# every process a password hash to start (each server worker, job worker and command).
_dummy_hash: list[str] = []


def _matches_no_account(password: str) -> bool:
    """Never true, at the cost of one password check: the first call makes the hash
    (as long as checking one takes), later ones check ``password`` against it."""
    if not _dummy_hash:
        _dummy_hash.append(make_password(secrets.token_urlsafe(16)))
        return False
    check_password(password, _dummy_hash[0])
    return False


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    status = 401


class SecondFactorRequired(DomainError):
    code = "totp_required"
    status = 401


@dataclass(frozen=True)
class Step:
    """What a staff member must still do after the password: ``done`` or a step name."""

    name: str


DONE, TOTP, TOTP_ENROLL = Step("done"), Step("totp"), Step("totp_enroll")


def _invalid() -> InvalidCredentials:
    return InvalidCredentials(
        _(
            "The mobile number or password is wrong. After %(count)s failed attempts the "
            "account is locked for %(minutes)s minutes."
        )
        % {"count": settings.YACHI_LOCKOUT_FAILURES, "minutes": settings.YACHI_LOCKOUT_MINUTES}
    )


def password_check(*, phone: str, password: str, ip: str | None) -> User:
    """The staff member with this number and password, or a refusal that says nothing
    about which of the two was wrong."""
    throttle.check_address(ip)
    try:
        phone = normalize_phone(phone)
    except DomainError:
        raise _invalid() from None
    user = User.objects.by_phone(phone).filter(role__in=STAFF_ROLES, is_active=True).first()
    try:
        throttle.check_not_locked(phone=phone, last_success=user.last_login if user else None)
    except throttle.AccountLocked:
        audit_failed_login(phone=phone, method="password", user=user, reason="locked")
        raise
    valid = check_password(password, user.password) if user else _matches_no_account(password)
    if not (user and valid):
        throttle.record_failure(kind=LoginFailure.Kind.PASSWORD, phone=phone, ip=ip)
        audit_failed_login(phone=phone, method="password", user=user)
        raise _invalid()
    return user


def login_succeeded(*, user: User, method: str) -> None:
    """Record a completed staff login (after every factor)."""
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    audit_record(action=AuditAction.LOGIN, actor=user, details={"method": method})


def next_step(user: User) -> Step:
    if user.has_totp:
        return TOTP
    # Whoever manages anything (a clinic, a region, the chain) or administers must use
    # the second factor, whatever their role at other clinics.
    if roles_held(user) & set(settings.YACHI_TOTP_REQUIRED_ROLES):
        return TOTP_ENROLL
    return DONE


def _current_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to (this one or a neighbour), or None."""
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    code = (code or "").strip().replace(" ", "")
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=offset * totp.interval)
        if secrets.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def totp_verify(*, user: User, code: str, ip: str | None) -> None:
    """Accept a code once: a code seen before (replayed) is refused like a wrong one."""
    throttle.check_address(ip)
    throttle.check_not_locked(phone=user.phone, last_success=user.last_login)
    step = _current_step(user.totp_secret, code) if user.has_totp else None
    accepted = (
        step is not None
        and User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
        == 1
    )
    if not accepted:
        throttle.record_failure(kind=LoginFailure.Kind.TOTP, phone=user.phone, ip=ip)
        audit_failed_login(phone=user.phone, method="totp", user=user)
        raise SecondFactorRequired(_("The authenticator code is wrong or was already used."))


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.phone, issuer_name=ISSUER)


def _proven_step(secret: str, code: str) -> int:
    """The time step of a code from the app being set up, or a refusal."""
    step = _current_step(secret, code)
    if step is None:
        raise InvalidInput(
            _("The code does not match. Check the time on your phone and try again."),
            code="totp_mismatch",
        )
    return step


def _factor_fields(secret: str, step: int) -> dict:
    return {"totp_secret": secret, "totp_confirmed_at": timezone.now(), "totp_last_step": step}


@transaction.atomic
def totp_enroll(*, user: User, secret: str, code: str) -> None:
    """Turn on the second factor of an account that has none, once the member proves
    their app shows the codes.

    Only an account without a factor can enrol: one that has a factor replaces it with
    ``totp_replace`` (the current code) or an administrator resets it. The condition is
    part of the update, so two enrolments racing each other cannot both win.
    """
    step = _proven_step(secret, code)
    switched_on = User.objects.filter(pk=user.pk, totp_confirmed_at__isnull=True).update(
        **_factor_fields(secret, step)
    )
    if not switched_on:
        raise Conflict(
            _("Two-step login is already on for this account."), code="totp_already_enrolled"
        )
    user.refresh_from_db(fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    tokencache.forget_user(user.pk)  # what a token's record says of the factor changed
    audit_record(
        action=AuditAction.SECOND_FACTOR_ENABLED,
        actor=user,
        object_type="user",
        object_id=user.public_id,
    )


def totp_replace(*, user: User, current_code: str, secret: str, code: str, ip: str | None) -> None:
    """Move a member's second factor to a new app: the code of the current one proves
    that the person asking holds it, not just a logged-in session.

    The current code is checked like a login code (counted towards the lockout,
    single-use) and before the transaction, so that a wrong guess stays counted.
    """
    step = _proven_step(secret, code)
    totp_verify(user=user, code=current_code, ip=ip)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(**_factor_fields(secret, step))
        user.refresh_from_db(fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
        tokencache.forget_user(user.pk)
        audit_record(
            action=AuditAction.SECOND_FACTOR_REPLACED,
            actor=user,
            object_type="user",
            object_id=user.public_id,
        )


@transaction.atomic
def totp_reset(*, actor: User, user: User) -> None:
    """An administrator switches off a member's second factor (a lost or changed phone).

    The member's sessions and tokens end too, since a lost phone may still hold one;
    at the next login a role that requires the factor sets up a new app.
    """
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator can reset two-step login."))
    User.objects.filter(pk=user.pk).update(
        totp_secret="", totp_confirmed_at=None, session_epoch=F("session_epoch") + 1
    )
    user.refresh_from_db(fields=["totp_secret", "totp_confirmed_at", "session_epoch"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    tokencache.forget_user(user.pk)
    audit_record(
        action=AuditAction.SECOND_FACTOR_RESET,
        actor=actor,
        object_type="user",
        object_id=user.public_id,
    )


def password_expired(user: User) -> bool:
    max_age = profile().max_age_days
    if max_age is None or not user.is_clinic_staff:
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > timedelta(days=max_age)


@transaction.atomic
def password_change(*, user: User, current: str | None, new: str) -> None:
    """Set a new password under the profile's rules; the old one joins the history.

    ``current`` is required except when an administrator sets it (None).
    """
    if current is not None and not user.check_password(current):
        raise InvalidInput(_("The current password is wrong."), code="wrong_password")
    try:
        validate_password(new, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password") from exc
    if user.password and user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    tokencache.forget_user(user.pk)
    audit_record(
        action=AuditAction.PASSWORD_CHANGED,
        actor=user,
        object_type="user",
        object_id=user.public_id,
    )


@transaction.atomic
def password_set_by_administrator(*, actor: User, user: User, previous_hash: str) -> None:
    """Record a password an administrator set in the admin (whose form already checked it
    against the profile): the old one joins the history, the change is audited."""
    if previous_hash and not previous_hash.startswith("!"):
        PasswordHistory.objects.create(user=user, password=previous_hash)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    tokencache.forget_user(user.pk)
    audit_record(
        action=AuditAction.PASSWORD_CHANGED,
        actor=actor,
        object_type="user",
        object_id=user.public_id,
        details={"by": "administrator"},
    )


@transaction.atomic
def sessions_end_everywhere(*, user: User) -> None:
    """Log out on every device: all sessions and all API tokens."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    tokencache.forget_user(user.pk)
    audit_record(action=AuditAction.LOGOUT_EVERYWHERE, actor=user)


def staff_token_login(*, phone: str, password: str, otp: str, ip: str | None) -> User:
    """The whole staff login in one call, for the API."""
    user = password_check(phone=phone, password=password, ip=ip)
    step = next_step(user)
    if step == TOTP_ENROLL:
        raise PermissionDenied(
            _("Set up your authenticator app in the clinic console first."),
            code="totp_enrollment_required",
        )
    if step == TOTP:
        if not otp:
            raise SecondFactorRequired(_("Enter the code from your authenticator app."))
        totp_verify(user=user, code=otp, ip=ip)
    if password_expired(user):
        raise PermissionDenied(
            _("Your password has expired. Change it in the clinic console."),
            code="password_expired",
        )
    login_succeeded(user=user, method="password+totp" if step == TOTP else "password")
    return user

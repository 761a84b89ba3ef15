"""Logging in: SMS codes for patients, API tokens for every client."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.accounts import throttle, tokencache, tokenformat
from yachi.accounts.claimeduser import ClaimedUser
from yachi.accounts.models import ApiToken, LoginFailure, SmsCode, User
from yachi.accounts.names import NAME_PURPOSE
from yachi.accounts.phones import normalize_phone
from yachi.accounts.registrations import patient_opened
from yachi.compliance.facade import AuditAction, audit_record, blind_index
from yachi.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied, RateLimited
from yachi.core.roles import Role
from yachi.messaging.facade import send_sms

# Tokens issued before ADR 0034 (random only); they keep working until they expire.
TOKEN_PREFIX = "yc_"  # noqa: S105  (a recognisable prefix, not a secret)


class TokenRevoked(DomainError):
    """A token believed at the start of a request was revoked before the request used it."""

    code = "unauthorized"
    status = 401
    default_message = gettext_lazy("Please log in first.")


class InvalidCode(DomainError):
    code = "invalid_code"
    status = 400


@dataclass(frozen=True)
class SmsCodeSent:
    phone: str
    expires_in: int
    resend_after: int
    echo_code: str | None = None


def _code_digest(phone: str, code: str) -> str:
    message = f"sms-login:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def sms_code_request(*, phone: str, ip: str | None = None) -> SmsCodeSent:
    """Send a login code, within the per-phone limits and the per-address backoff.

    A staff member's phone gets the same answer but no code: staff log in with a
    password, and the answer must not tell which numbers belong to staff.
    """
    phone = normalize_phone(phone)
    now = timezone.now()
    recent = SmsCode.objects.filter(
        phone_index=blind_index("phone", phone), created_at__gte=now - timedelta(days=1)
    )
    last = recent.order_by("-created_at").first()
    if last and (now - last.created_at).total_seconds() < settings.YACHI_SMS_RESEND_SECONDS:
        wait = settings.YACHI_SMS_RESEND_SECONDS - int((now - last.created_at).total_seconds())
        raise RateLimited(
            _("A code was just sent. Please wait %(seconds)s seconds.") % {"seconds": wait},
            code="sms_too_soon",
            retry_after=wait,
        )
    if recent.count() >= settings.YACHI_SMS_DAILY_LIMIT:
        raise RateLimited(
            _("Too many codes for this number today. Please try again tomorrow."),
            code="sms_daily_limit",
        )
    throttle.check_sms_address(ip)

    code = f"{secrets.randbelow(1_000_000):06d}"
    deliver = not User.objects.by_phone(phone).exclude(role=Role.PATIENT).exists()
    ttl = settings.YACHI_SMS_CODE_TTL_SECONDS
    sms_code = SmsCode.objects.create(
        phone=phone,
        digest=_code_digest(phone, code),
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
        sent=deliver,
        ip=ip,
    )
    if deliver:
        params = {"code": code, "minutes": str(ttl // 60)}
        text = (
            _(
                "[Yachi] Your login code is %(code)s, valid for %(minutes)s minutes. "
                "Never share it with anyone."
            )
            % params
        )
        transaction.on_commit(
            lambda: send_sms(
                phone=phone,
                template="login_code",
                params=params,
                text=text,
                out_id=f"sms-code-{sms_code.pk}",
            )
        )
    return SmsCodeSent(
        phone=phone,
        expires_in=ttl,
        resend_after=settings.YACHI_SMS_RESEND_SECONDS,
        echo_code=code if settings.YACHI_SMS_ECHO and deliver else None,
    )


def sms_code_verify(*, phone: str, code: str, ip: str | None = None) -> User:
    """The patient who owns ``phone``, registering them on first login.

    Each wrong guess is counted before the code is compared, in its own
    transaction, so that failed attempts stay counted; after the allowed number of
    attempts the code is dead.
    """
    return sms_code_sign_in(phone=phone, code=code, ip=ip)[0]


def sms_code_sign_in(*, phone: str, code: str, ip: str | None = None) -> tuple[User, bool]:
    """As ``sms_code_verify``, and whether this login registered the account."""
    phone = normalize_phone(phone)
    throttle.check_address(ip)
    code = (code or "").strip()
    invalid = InvalidCode(_("The code is wrong or has expired. Please request a new one."))
    try:
        user, created = _verify(phone=phone, code=code, invalid=invalid)
    except InvalidCode:
        throttle.record_failure(kind=LoginFailure.Kind.SMS_CODE, phone=phone, ip=ip)
        audit_failed_login(phone=phone, method="sms_code")
        raise
    audit_record(action=AuditAction.LOGIN, actor=user, details={"method": "sms_code"})
    return user, created


def audit_failed_login(*, phone: str, method: str, user=None, reason: str = "") -> None:
    """A failed login names the number only by its blind index."""
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=user,
        object_type="phone",
        object_id=blind_index("phone", phone),
        outcome="failure",
        details={"method": method, **({"reason": reason} if reason else {})},
    )


def _verify(*, phone: str, code: str, invalid: InvalidCode) -> tuple[User, bool]:
    if len(code) != 6 or not code.isdigit():
        raise invalid
    now = timezone.now()
    candidate = (
        SmsCode.objects.filter(
            phone_index=blind_index("phone", phone),
            sent=True,
            consumed_at__isnull=True,
            expires_at__gt=now,
        )
        .order_by("-created_at")
        .first()
    )
    if candidate is None:
        raise invalid
    counted = SmsCode.objects.filter(
        pk=candidate.pk, consumed_at__isnull=True, attempts__lt=settings.YACHI_SMS_CODE_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not counted or not hmac.compare_digest(candidate.digest, _code_digest(phone, code)):
        raise invalid

    with transaction.atomic():
        consumed = SmsCode.objects.filter(pk=candidate.pk, consumed_at__isnull=True).update(
            consumed_at=now
        )
        if not consumed:
            raise invalid
        user = User.objects.by_phone(phone).first()
        created = user is None
        if created:
            user = User.objects.create_user(phone=phone, role=Role.PATIENT)
            patient_opened(user=user)
        elif user.role != Role.PATIENT:
            raise invalid
        if not user.is_active:
            raise PermissionDenied(_("This account is disabled."), code="account_disabled")
    return user, created


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(
    *,
    user: User,
    label: str,
    ttl_days: int | None = None,
    ttl_hours: int | None = None,
    device: str = "",
) -> str:
    """A new bearer token for ``user``; the raw value is returned once and never stored."""
    if ttl_hours is None:
        ttl_days = settings.YACHI_TOKEN_TTL_DAYS if ttl_days is None else ttl_days
        if ttl_days < 1:
            raise InvalidInput(_("A token must be valid for at least one day."))
        ttl_hours = ttl_days * 24
    # Whole seconds, as the token's claims say it.
    expires_at = (timezone.now() + timedelta(hours=ttl_hours)).replace(microsecond=0)
    raw = tokenformat.make(
        user_id=user.pk, role=user.role, expires_at=expires_at, secret_key=settings.SECRET_KEY
    )
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(raw),
        label=label,
        device=device[:64],
        expires_at=expires_at,
    )
    audit_record(
        action=AuditAction.TOKEN_ISSUED,
        actor=user,
        object_type="api_token",
        object_id=token.pk,
        details={"label": label, "expires_at": token.expires_at.isoformat()},
    )
    tokencache.publish(token.digest, token=token, user=user)
    return raw


def token_user(raw: str) -> User | None:
    """The active user a live token belongs to, or None."""
    claims = tokenformat.claims_of(raw, settings.SECRET_KEY)
    if claims is None and not raw.startswith((TOKEN_PREFIX, tokenformat.PREFIX)):
        return None
    now = timezone.now()
    digest = token_digest(raw)
    if tokencache.enabled():
        found = tokencache.find(digest, now, claims)
        if isinstance(found, tokenformat.Claims):
            return ClaimedUser(found, lambda: _claimed_user(digest, now))
        return _checked_user(digest, now, found)
    return _checked_user(digest, now, None)


def token_user_loaded(raw: str) -> User | None:
    """``token_user``, with the user read now: a socket keeps its user for its whole life,
    and reads nothing later from its event loop."""
    user = token_user(raw)
    if isinstance(user, ClaimedUser):
        try:
            user._setup()
        except TokenRevoked:
            return None
        return user._wrapped
    return user


def _claimed_user(digest: str, now) -> User:
    # The token was believed when the request began; if it has been revoked since, the
    # request stops here rather than act for it.
    found = tokencache.find(digest, now) if tokencache.enabled() else None
    user = _checked_user(digest, now, found)
    if user is None:
        raise TokenRevoked()
    return user


def _checked_user(digest: str, now, found) -> User | None:
    miss = None
    if found is not None:
        if isinstance(found, tokencache.Entry):
            if tokencache.touch_due(found, now):
                ApiToken.objects.filter(pk=found.token_id).update(last_used_at=now)
                found.last_used_at = now
            return tokencache.user_of(found)
        miss = found
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if tokencache.touch_due(token, now):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    if miss is not None:
        tokencache.remember(digest, token=token, user=token.user, miss=miss)
    return token.user


def token_revoke(*, raw: str) -> None:
    digest = token_digest(raw)
    ApiToken.objects.filter(digest=digest, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    tokencache.forget([digest])


def token_revoke_by_owner(*, user: User, token_id) -> None:
    """The owner ends one of their tokens (a lost phone); "not found" for anyone else's."""
    now = timezone.now()
    digest = (
        ApiToken.objects.filter(
            public_id=token_id, user=user, revoked_at__isnull=True, expires_at__gt=now
        )
        .values_list("digest", flat=True)
        .first()
    )
    if digest is None:
        raise NotFound(_("No such device is logged in."), code="token_not_found")
    ApiToken.objects.filter(digest=digest).update(revoked_at=now)
    tokencache.forget([digest])


def patient_user_ensure(*, phone: str, name: str = "") -> User:
    """The patient user with this phone, registered now if new (front-desk walk-ins)."""
    phone = normalize_phone(phone)
    name = (name or "").strip()[:64]
    with transaction.atomic():
        user = User.objects.select_for_update().by_phone(phone).first()
        if user is None:
            user = User.objects.create_user(phone=phone, role=Role.PATIENT, name=name)
        elif user.role != Role.PATIENT:
            raise InvalidInput(
                _("This number belongs to a staff account, not a patient."), code="not_a_patient"
            )
        rename = bool(name and not user.name)
        if rename:
            user_rename(user_id=user.pk, name=name)
        patient_opened(user=user, name=name, rename=rename)
    return user


def user_rename(*, user_id: int, name: str) -> None:
    """Give a user a new name (the patient's own record changes it with theirs)."""
    # update() skips the blind index's pre_save: it is set here with the name.
    User.objects.filter(pk=user_id).update(name=name, name_index=blind_index(NAME_PURPOSE, name))
    tokencache.forget_user(user_id)

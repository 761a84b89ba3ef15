"""Consent under PIPL: the privacy notice, and a separate consent for each kind of
sensitive personal information (medical data beyond treatment, facial photos).

Consent is given per family account by its holder, for a version of the texts;
withdrawing is as easy as giving, and stops the processing it covered: withdrawing
the facial-photo consent deletes the photos.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput, PermissionDenied
from yachi.patients.models import Consent, FamilyAccount

Kind = Consent.Kind


@dataclass(frozen=True)
class ConsentState:
    kind: str
    label: str
    current_version: str
    granted: bool
    version: str | None
    granted_at: datetime | None


def current_version() -> str:
    return settings.YACHI_CONSENT_VERSION


def _active(account: FamilyAccount) -> dict[str, Consent]:
    return {c.kind: c for c in account.consents.filter(withdrawn_at__isnull=True)}


def consent_states(*, account: FamilyAccount) -> list[ConsentState]:
    active = _active(account)
    return [
        ConsentState(
            kind=kind.value,
            label=str(kind.label),
            current_version=current_version(),
            granted=kind in active and active[kind].version == current_version(),
            version=active[kind].version if kind in active else None,
            granted_at=active[kind].granted_at if kind in active else None,
        )
        for kind in Kind
    ]


def has_consent(*, account: FamilyAccount, kind: str) -> bool:
    return account.consents.filter(
        kind=kind, withdrawn_at__isnull=True, version=current_version()
    ).exists()


def require_consent(*, account: FamilyAccount, kind: str) -> None:
    if not has_consent(account=account, kind=kind):
        raise PermissionDenied(
            _("This needs your consent to “%(kind)s” first.") % {"kind": Kind(kind).label},
            code="consent_required",
        )


@transaction.atomic
def consent_grant(*, actor, account: FamilyAccount, kind: str, version: str) -> Consent:
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown kind of consent."), code="invalid_consent")
    if version != current_version():
        raise Conflict(
            _("These texts have been updated. Please read version %(version)s and accept it.")
            % {"version": current_version()},
            code="consent_version_outdated",
        )
    now = timezone.now()
    active = account.consents.filter(kind=kind, withdrawn_at__isnull=True).first()
    if active and active.version == version:
        return active
    if active:
        Consent.objects.filter(pk=active.pk).update(withdrawn_at=now)
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                account=account, kind=kind, version=version, granted_at=now
            )
    except IntegrityError:
        # Two taps at once: the other one recorded it.
        return account.consents.get(kind=kind, withdrawn_at__isnull=True)
    audit_record(
        action=AuditAction.CONSENT_GRANTED,
        actor=actor,
        object_type="consent",
        object_id=consent.public_id,
        details={"kind": kind, "version": version},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor, account: FamilyAccount, kind: str) -> int:
    """Withdraw; returns how many facial photos were deleted as a result."""
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown kind of consent."), code="invalid_consent")
    withdrawn = account.consents.filter(kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    deleted = 0
    if kind == Kind.FACIAL_IMAGES:
        from yachi.patients.faces import face_photos_delete_all

        deleted = face_photos_delete_all(account=account)
    if withdrawn:
        audit_record(
            action=AuditAction.CONSENT_WITHDRAWN,
            actor=actor,
            object_type="family_account",
            object_id=account.public_id,
            details={"kind": kind, "facial_photos_deleted": deleted},
        )
    return deleted


def privacy_policy_gate(request):
    """Before any gated patient page: the current privacy policy accepted (PIPL), or the
    consent page that asks for it."""
    from yachi.patients.access import account_of

    if has_consent(account=account_of(request.user), kind=Kind.PRIVACY_POLICY):
        return None
    return redirect(f"{reverse('web:consent')}?{urlencode({'next': request.get_full_path()})}")

"""Managers create and revoke a clinic's display tokens; both are audited."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.core.realtime import broadcast
from yachi.queueing.display import groups
from yachi.queueing.display.access import PREFIX, digest_of, forget_believed
from yachi.queueing.display.models import DisplayToken

NAME_LENGTH = 48


def require_manager(actor, clinic) -> None:
    if not clinics.may(actor, clinic, clinics.Duty.MANAGE):
        raise PermissionDenied(_("Only this clinic's managers may manage its displays."))


def display_token_create(*, actor, clinic, name: str) -> tuple[DisplayToken, str]:
    """A new display token for ``clinic``; returns it with its secret, which is shown
    this once (only its digest is kept)."""
    require_manager(actor, clinic)
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("Name the screen, e.g. Waiting-room TV."), code="invalid_name")
    if len(name) > NAME_LENGTH:
        raise InvalidInput(
            _("A screen's name has at most %(count)d characters.") % {"count": NAME_LENGTH},
            code="invalid_name",
        )
    secret = PREFIX + secrets.token_urlsafe(24)
    with transaction.atomic():
        token = DisplayToken.objects.create(
            clinic=clinic, name=name, digest=digest_of(secret), hint=secret[-4:], created_by=actor
        )
        audit_record(
            action=AuditAction.TOKEN_ISSUED,
            actor=actor,
            object_type="display_token",
            object_id=token.public_id,
            clinic=clinic,
            details={"step": "display_token_created", "name": name},
        )
    return token, secret


def display_token_revoke(*, actor, token: DisplayToken) -> DisplayToken:
    """Revoke ``token``: its link opens nothing any more, a socket it opened is told to
    close, and it cannot open one again."""
    require_manager(actor, token.clinic)
    now = timezone.now()
    with transaction.atomic():
        changed = DisplayToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor, updated_at=now
        )
        token.refresh_from_db()
        if changed:
            audit_record(
                action=AuditAction.PERMISSION_CHANGED,
                actor=actor,
                object_type="display_token",
                object_id=token.public_id,
                clinic=token.clinic,
                details={"step": "display_token_revoked", "name": token.name},
            )
            group = groups.display_group(token.public_id)
            transaction.on_commit(forget_believed)  # this process's; others' within seconds
            transaction.on_commit(lambda: broadcast(group, {"type": "display_revoked"}))
    return token


def display_opened(token: DisplayToken) -> None:
    """Note when a screen last opened its board (at most once a minute a screen)."""
    now = timezone.now()
    if token.last_opened_at is None or (now - token.last_opened_at).total_seconds() > 60:
        DisplayToken.objects.filter(pk=token.pk).update(last_opened_at=now)

"""What growth does when a patient signs up or logs in (accounts' sign-in step): keep the
device's fingerprint, and accept the invitation the sign-up came with."""

from django.utils.translation import gettext as _

from yachi.core.errors import DomainError
from yachi.growth.fraud.choices import SightingKind
from yachi.growth.fraud.fingerprint import signals_from
from yachi.growth.fraud.services import sighting_record
from yachi.growth.referrals.services import referral_accept


def on_sign_in(sign_in) -> dict:
    user = sign_in.user
    if not getattr(user, "is_patient", False):
        return {}
    signals = signals_from(
        sign_in.device, user_agent=sign_in.user_agent, accept_language=sign_in.accept_language
    )
    device = sighting_record(
        user=user,
        kind=SightingKind.SIGN_UP if sign_in.new_account else SightingKind.LOGIN,
        signals=signals,
        ip=sign_in.ip,
    )
    if not (sign_in.invite_code or "").strip():
        return {}
    try:
        referral = referral_accept(
            invitee=user,
            code=sign_in.invite_code,
            new_account=sign_in.new_account,
            device_hash=device.device_hash,
            ip_hash=device.ip_hash,
        )
    except DomainError as exc:
        return {"invite": {"status": "refused", "code": exc.code, "message": str(exc.message)}}
    return {
        "invite": {
            "status": "accepted",
            "code": "",
            "message": _(
                "Welcome! You joined through %(name)s's invitation; after your first visit "
                "they are thanked with a reward."
            )
            % {"name": _inviter_name(referral.inviter)},
        }
    }


def _inviter_name(inviter) -> str:
    """The inviter as the invitee may see them: the family name and a masked number."""
    name = (inviter.name or "").strip()
    phone = inviter.phone or ""
    masked = f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else _("a friend")
    return f"{name[:1]}*（{masked}）" if name else masked

"""Channel attribution (ADR 0049): tracked links and their touches, conversions with
their first and last touch in the window, and the spend per channel and month.

Conversions come from other contexts through ``growth.facade.attribution_conversion``
(booking for bookings and completed visits, payments for money received and refunded)
and from the sign-up this module sees when a visitor who touched a link first opens the
app signed in. Each is written once per reference."""

import secrets
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.growth.attribution.models import (
    AdSpend,
    Channel,
    ChannelKind,
    Conversion,
    ConversionKind,
    Touch,
    TrackedLink,
)
from yachi.growth.codes import ALPHABET
from yachi.growth.inputs import text_input
from yachi.growth.promotion import promotion_require

CODE_LENGTH = 7
VISITOR_COOKIE = "yachi_visitor"


def window() -> timedelta:
    return timedelta(days=settings.YACHI_ATTRIBUTION_WINDOW_DAYS)


def channel_save(*, actor, channel: Channel | None = None, name: str, kind: str, active=True):
    name = text_input(name, label=_("Name"), limit=40)
    if kind not in ChannelKind.values:
        raise InvalidInput(_("Choose the kind of channel."), code="invalid_kind")
    try:
        with transaction.atomic():
            channel = channel or Channel()
            channel.name, channel.kind, channel.active = name, kind, bool(active)
            channel.save()
    except IntegrityError:
        raise InvalidInput(_("A channel of this name exists."), code="duplicate_channel") from None
    return channel


def _target(value: str) -> str:
    """A page of this site: a path, never another host (no open redirect)."""
    target = text_input(value or "/", label=_("Lands on"), limit=200)
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or target.startswith(("/t/", "/api/", "/console/", "/admin/"))
    ):
        raise InvalidInput(
            _("A tracked link lands on a page of the app, such as /articles/ or /shop/."),
            code="invalid_target",
        )
    return target


def link_create(*, actor, channel: Channel, campaign: str, target: str) -> TrackedLink:
    """A tracked link of ``channel`` and ``campaign`` (e.g. 699 元新人礼包); the campaign's
    name is shown on posters and QR cards, so it is checked like any promotional text."""
    campaign = text_input(campaign, label=_("Campaign"), limit=60)
    promotion_require({_("Campaign"): campaign})
    target = _target(target)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    channel=channel,
                    campaign=campaign,
                    target=target,
                    code="".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)),
                )
        except IntegrityError:
            continue
    raise InvalidInput(_("Try again."), code="code_clash")  # pragma: no cover


def device_of(user_agent: str) -> str:
    agent = (user_agent or "").lower()
    if "micromessenger" in agent:
        return "wechat"
    if "iphone" in agent or "ipad" in agent:
        return "ios"
    if "android" in agent:
        return "android"
    if agent and ("windows" in agent or "macintosh" in agent or "linux" in agent):
        return "desktop"
    return "other"


def new_visitor() -> str:
    return secrets.token_hex(16)


def touch_record(*, link: TrackedLink, visitor: str, user=None, user_agent: str = "", at=None):
    return Touch.objects.create(
        link=link,
        visitor=visitor[:32],
        user=user if getattr(user, "is_patient", False) else None,
        device=device_of(user_agent),
        at=at or timezone.now(),
    )


def _touches_before(user, at: datetime):
    return Touch.objects.filter(user=user, at__lte=at, at__gte=at - window()).order_by("at", "pk")


def conversion_record(
    *, user, kind: str, reference: str, at: datetime | None = None, amount_fen: int = 0
) -> Conversion | None:
    """Record a conversion once per ``reference`` with its first and last touch in the
    window; ``None`` when it was recorded before or no touch leads to it."""
    if kind not in ConversionKind.values or user is None:
        raise InvalidInput(_("Unknown conversion."), code="invalid_conversion")
    at = at or timezone.now()
    touches = list(_touches_before(user, at).values_list("link_id", flat=True))
    if not touches:
        return None  # no tracked link led to it: nothing to attribute
    try:
        with transaction.atomic():
            return Conversion.objects.create(
                user=user,
                kind=kind,
                at=at,
                amount_fen=amount_fen if kind == ConversionKind.REVENUE else 0,
                reference=reference[:120],
                first_link_id=touches[0],
                last_link_id=touches[-1],
            )
    except IntegrityError:
        return None


def visitor_identify(*, visitor: str, user) -> int:
    """The signed-in patient was this browser's visitor: their touches become theirs, and
    if they signed up after their first touch, that sign-up is a conversion. Returns the
    number of touches linked."""
    if not visitor or not getattr(user, "is_patient", False):
        return 0
    linked = Touch.objects.filter(visitor=visitor[:32], user__isnull=True).update(user=user)
    joined = getattr(user, "date_joined", None)
    if linked and joined is not None:
        first = Touch.objects.filter(user=user).order_by("at").values_list("at", flat=True).first()
        if first is not None and first <= joined <= first + window():
            conversion_record(
                user=user, kind=ConversionKind.SIGNUP, reference=f"signup:{user.pk}", at=joined
            )
    return linked


def month_start(value: date) -> date:
    return value.replace(day=1)


def spend_set(*, actor, channel: Channel, month: date, amount_fen: int) -> AdSpend:
    """What was spent on ``channel`` in ``month`` (replacing what was entered before)."""
    if not 0 <= amount_fen <= 10**12:
        raise InvalidInput(_("Enter the amount spent in yuan."), code="invalid_amount")
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise InvalidInput(_("Spend is entered for this month or earlier."), code="future_month")
    with transaction.atomic():
        spend, _created = AdSpend.objects.update_or_create(
            channel=channel,
            month=month,
            defaults={"amount_fen": amount_fen, "entered_by": actor},
        )
        audit_record(
            action=AuditAction.AD_SPEND_RECORDED,
            actor=actor,
            object_type="growth.channel",
            object_id=str(channel.public_id),
            details={"month": month.isoformat(), "amount_fen": amount_fen},
        )
    return spend

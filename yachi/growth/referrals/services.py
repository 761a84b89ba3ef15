"""Referrals' writes: invite codes, accepting an invitation, qualifying on the first
completed paid visit and deciding the rewards of both levels."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.growth.choices import PointsReason
from yachi.growth.fraud.services import register_reward_payer, reward_paid_mark, screen_reward
from yachi.growth.ledger import points_earn
from yachi.growth.referrals import codes, stats
from yachi.growth.referrals.choices import (
    VALID_STATUSES,
    ReferralStatus,
    RewardKind,
    RewardStatus,
)
from yachi.growth.referrals.errors import (
    InviteAlreadyInvited,
    InviteAlreadyPatient,
    InviteCodeUnknown,
    InviteExpired,
    InviteOwnCode,
)
from yachi.growth.referrals.models import InviteCode, Referral, ReferralCampaign, ReferralReward
from yachi.growth.services import coupon_issue

CODE_ATTEMPTS = 5


def invite_code_for(user, *, now: datetime | None = None) -> str:
    """The patient's live invite code, a new one when the last has expired.

    Two first calls at once may both write a code; both are the patient's and both
    work until they expire, so nothing is lost by it."""
    return invite_code_row(user, now=now).code


def invite_code_row(user, *, now: datetime | None = None) -> InviteCode:
    now = now or timezone.now()
    live = InviteCode.objects.filter(owner=user, expires_at__gt=now).order_by("-expires_at").first()
    if live is not None:
        return live
    expires_at = now + timedelta(days=settings.YACHI_INVITE_LINK_DAYS)
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return InviteCode.objects.create(
                    owner=user, code=codes.new_code(), expires_at=expires_at
                )
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def invite_link_for(user, *, now: datetime | None = None) -> str:
    """The link a patient shares: the invite landing page with their live code."""
    return settings.YACHI_PUBLIC_URL + reverse(
        "web:invite_landing", args=[invite_code_for(user, now=now)]
    )


def campaign_running(*, at: datetime) -> ReferralCampaign | None:
    """The campaign an invitation accepted at ``at`` follows: the latest started that
    runs then."""
    return (
        ReferralCampaign.objects.filter(active=True, starts_at__lte=at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .order_by("-starts_at")
        .first()
    )


def referral_accept(
    *,
    invitee,
    code: str,
    new_account: bool,
    device_hash: str = "",
    ip_hash: str = "",
    at: datetime | None = None,
) -> Referral:
    """``invitee`` accepts the invitation of ``code`` (at sign-up).

    Refused, with the attempt kept in the graph for fraud review: one's own code
    (``invite_own_code``), an expired one (``invite_expired``), an account that existed
    before (``invite_already_patient``). An unknown code (``invite_code_unknown``) and an
    invitee who already has an inviter (``invite_already_invited``: the first valid link
    won, by the database's constraint) write nothing."""
    at = at or timezone.now()
    row = InviteCode.objects.select_related("owner").filter(code=codes.normalize(code)).first()
    if row is None:
        raise InviteCodeUnknown()
    refusal = None
    if row.owner_id == invitee.pk:
        refusal = (ReferralStatus.REFUSED_SELF, InviteOwnCode)
    elif Referral.objects.filter(invitee=invitee, status__in=VALID_STATUSES).exists():
        raise InviteAlreadyInvited()
    elif row.expires_at <= at:
        refusal = (ReferralStatus.REFUSED_EXPIRED, InviteExpired)
    elif not new_account:
        refusal = (ReferralStatus.REFUSED_EXISTING, InviteAlreadyPatient)
    fields = {
        "inviter_id": row.owner_id,
        "invitee": invitee,
        "code": row,
        "device_hash": device_hash,
        "ip_hash": ip_hash,
    }
    if refusal is not None:
        status, error = refusal
        Referral.objects.create(status=status, campaign=campaign_running(at=at), **fields)
        raise error()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                status=ReferralStatus.PENDING, campaign=campaign_running(at=at), **fields
            )
    except IntegrityError:
        raise InviteAlreadyInvited() from None
    transaction.on_commit(lambda: stats.reach_add(referral_id=referral.pk))
    return referral


def referral_visit_completed(
    *, user, reference: str, at: datetime | None = None
) -> Referral | None:
    """``user``'s account completed a paid visit (``reference`` names it). The first one
    qualifies their referral, once: each level's reward is screened and paid at once, or
    held for review. Later visits, and accounts nobody invited, change nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        referral = (
            Referral.objects.select_related("campaign", "inviter")
            .filter(invitee=user, status=ReferralStatus.PENDING)
            .first()
        )
        if referral is None:
            return None
        moved = Referral.objects.filter(pk=referral.pk, status=ReferralStatus.PENDING).update(
            status=ReferralStatus.QUALIFIED, qualified_at=at, visit_reference=reference[:120]
        )
        if not moved:
            return None  # another process qualified it first
        campaign = referral.campaign
        if campaign is not None:
            _reward(referral=referral, level=1, beneficiary=referral.inviter, campaign=campaign)
            upline = (
                Referral.objects.select_related("inviter")
                .filter(invitee_id=referral.inviter_id, status__in=VALID_STATUSES)
                .first()
            )
            if upline is not None:
                _reward(referral=referral, level=2, beneficiary=upline.inviter, campaign=campaign)
    referral.refresh_from_db()
    return referral


def _reward(*, referral: Referral, level: int, beneficiary, campaign: ReferralCampaign) -> None:
    kind = getattr(campaign, f"level{level}_kind")
    if kind == RewardKind.NONE:
        return
    key = f"referral:{referral.public_id}:level{level}"
    review = screen_reward(
        key=key,
        kind=REWARD_KIND,
        beneficiary=beneficiary,
        subject=referral.invitee,
    )
    held = not review.payable
    reward = ReferralReward.objects.create(
        referral=referral,
        level=level,
        beneficiary=beneficiary,
        kind=kind,
        points=getattr(campaign, f"level{level}_points") if kind == RewardKind.POINTS else 0,
        coupon_template_id=getattr(campaign, f"level{level}_coupon_id")
        if kind == RewardKind.COUPON
        else None,
        status=RewardStatus.HELD if held else RewardStatus.PAID,
        idempotency_key=key,
    )
    if not held:
        _pay(reward)
        reward_paid_mark(key=key)


def _pay(reward: ReferralReward) -> None:
    """Into the points ledger or as a coupon, under the reward's key: once, whatever
    calls it twice."""
    reason = _("Invitation reward (level %(level)s)") % {"level": reward.level}
    if reward.kind == RewardKind.POINTS:
        points_earn(
            user=reward.beneficiary,
            points=reward.points,
            reason=PointsReason.ACTIVITY,
            idempotency_key=reward.idempotency_key,
            reference=f"referral:{reward.referral.public_id}",
            note=str(reason),
        )
    elif reward.kind == RewardKind.COUPON:
        coupon_issue(
            template_id=reward.coupon_template.public_id,
            user=reward.beneficiary,
            reason=str(reason),
            idempotency_key=reward.idempotency_key,
        )
    ReferralReward.objects.filter(pk=reward.pk).exclude(paid_at__isnull=False).update(
        status=RewardStatus.PAID, paid_at=timezone.now()
    )


def _pay_approved(key: str) -> None:
    reward = (
        ReferralReward.objects.select_related("beneficiary", "coupon_template", "referral")
        .filter(idempotency_key=key, status=RewardStatus.HELD)
        .first()
    )
    if reward is not None:
        _pay(reward)


def _reject(key: str) -> None:
    ReferralReward.objects.filter(idempotency_key=key, status=RewardStatus.HELD).update(
        status=RewardStatus.REJECTED
    )


def _describe(key: str) -> str:
    level = key.rsplit(":level", 1)[-1]
    return (
        _("first level: a friend invited directly")
        if level == "1"
        else _("second level: a friend of a friend")
    )


REWARD_KIND = "referral"
register_reward_payer(
    REWARD_KIND,
    pay=_pay_approved,
    reject=_reject,
    label=gettext_lazy("Invitation reward"),
    describe=_describe,
)


CAMPAIGN_CHANGED = AuditAction.REFERRAL_CAMPAIGN_CHANGED
CAMPAIGN_FIELDS = (
    "name",
    "name_en",
    "starts_at",
    "ends_at",
    "active",
    "level1_kind",
    "level1_points",
    "level1_coupon",
    "level2_kind",
    "level2_points",
    "level2_coupon",
)


def campaign_save(*, actor, campaign: ReferralCampaign | None = None, **values) -> ReferralCampaign:
    """Create or change a referral campaign (what each level earns), audited. A level
    paid in points needs a positive number of them, one paid in coupons a coupon."""
    unknown = set(values) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_("Give the campaign a name."), code="name_required")
    values["name"] = name[:64]
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at is None:
        raise InvalidInput(_("Say when the campaign starts."), code="starts_required")
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput(_("The campaign must end after it starts."), code="ends_before_start")
    for level in (1, 2):
        kind = values.get(f"level{level}_kind")
        if kind not in RewardKind.values:
            raise InvalidInput(_("Choose what each level earns."), code="reward_kind")
        if kind == RewardKind.POINTS and not (values.get(f"level{level}_points") or 0) > 0:
            raise InvalidInput(
                _("Level %(level)s earns points: say how many.") % {"level": level},
                code="points_required",
            )
        if kind == RewardKind.COUPON and values.get(f"level{level}_coupon") is None:
            raise InvalidInput(
                _("Level %(level)s earns a coupon: choose which.") % {"level": level},
                code="coupon_required",
            )
        if kind != RewardKind.POINTS:
            values[f"level{level}_points"] = 0
        if kind != RewardKind.COUPON:
            values[f"level{level}_coupon"] = None
    with transaction.atomic():
        created = campaign is None
        campaign = campaign or ReferralCampaign()
        for name_, value in values.items():
            setattr(campaign, name_, value)
        campaign.save()
        audit_record(
            action=CAMPAIGN_CHANGED,
            actor=actor,
            object_type="referral_campaign",
            object_id=campaign.public_id,
            details={
                "created": created,
                "name": campaign.name,
                "active": campaign.active,
                "level1": [campaign.level1_kind, campaign.level1_points],
                "level2": [campaign.level2_kind, campaign.level2_points],
            },
        )
    return campaign

"""Check-ins and their rewards, and managers' challenges (ADR 0048).

``check_in`` is the one way a day is counted, whatever sends it (the patient app now,
a toothbrush's brushing data later): the day is the clinic's, a unique constraint keeps
one check-in a day, the streak moves under its entry's row lock, and reaching the days
required issues the reward once (a unique row per person and challenge, and the coupon's
own idempotency key).
"""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.models import as_public_id
from yachi.growth.challenges.choices import ChallengeStatus, CheckInSource
from yachi.growth.challenges.errors import AlreadyCheckedIn, ChallengeNotRunning
from yachi.growth.challenges.models import Challenge, ChallengeEntry, ChallengeReward, CheckIn
from yachi.growth.challenges.streaks import streak_after
from yachi.growth.fraud.services import register_reward_payer, reward_paid_mark, screen_reward
from yachi.growth.models import CouponTemplate
from yachi.messaging import facade as messaging

logger = logging.getLogger(__name__)


def clinic_today(challenge: Challenge, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), ZoneInfo(challenge.clinic.timezone)).date()


def challenge_create(
    *,
    actor,
    clinic,
    title: str,
    days_required: int,
    reward_template: CouponTemplate,
    starts_on: date,
    ends_on: date,
    description: str = "",
    status: str = ChallengeStatus.RUNNING,
) -> Challenge:
    clinics.require(actor, clinic, clinics.Duty.MANAGE)
    title = (title or "").strip()
    if not 1 <= len(title) <= 64:
        raise InvalidInput(_("Give the challenge a name of at most 64 characters."))
    if not 2 <= days_required <= 100:
        raise InvalidInput(_("A challenge asks for 2 to 100 days in a row."))
    if ends_on < starts_on:
        raise InvalidInput(_("The last day must not be before the first."))
    if (ends_on - starts_on).days + 1 < days_required:
        raise InvalidInput(_("The challenge must last at least as many days as it asks for."))
    if reward_template is None or not reward_template.active:
        raise InvalidInput(_("Choose a coupon that is being given out as the reward."))
    if status not in ChallengeStatus.values:
        raise InvalidInput(_("Unknown status."))
    with transaction.atomic():
        challenge = Challenge.objects.create(
            clinic=clinic,
            title=title,
            description=(description or "").strip()[:1000],
            days_required=days_required,
            reward_template=reward_template,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            created_by=actor,
        )
        audit_record(
            action=AuditAction.CHALLENGE_CHANGED,
            actor=actor,
            object_type="growth.challenge",
            object_id=challenge.public_id,
            clinic=clinic,
            details={"created": True, "title": title, "days_required": days_required},
        )
    return challenge


def challenge_set_status(*, actor, challenge: Challenge, status: str) -> Challenge:
    clinics.require(actor, challenge.clinic, clinics.Duty.MANAGE)
    if status not in (ChallengeStatus.RUNNING, ChallengeStatus.STOPPED):
        raise InvalidInput(_("A challenge is running or stopped."))
    with transaction.atomic():
        changed = Challenge.objects.filter(pk=challenge.pk).exclude(status=status)
        if changed.update(status=status, updated_at=timezone.now()):
            audit_record(
                action=AuditAction.CHALLENGE_CHANGED,
                actor=actor,
                object_type="growth.challenge",
                object_id=challenge.public_id,
                clinic=challenge.clinic,
                details={"status": status},
            )
    challenge.refresh_from_db()
    return challenge


def reward_key(challenge: Challenge, user) -> str:
    return f"growth.challenge:{challenge.public_id}:{user.public_id}"


def check_in(
    *,
    user,
    challenge: Challenge,
    source: str = CheckInSource.APP,
    now: datetime | None = None,
) -> ChallengeEntry:
    """Count today (the clinic's day) for ``user``; returns their entry with its streak.

    409 ``already_checked_in`` for a second check-in the same day (nothing changes),
    ``challenge_not_running`` outside its days or when stopped.
    """
    now = now or timezone.now()
    day = clinic_today(challenge, now)
    if source not in CheckInSource.values:
        raise InvalidInput(_("Unknown source of a check-in."))
    if challenge.status != ChallengeStatus.RUNNING or not (
        challenge.starts_on <= day <= challenge.ends_on
    ):
        raise ChallengeNotRunning()
    with transaction.atomic():
        try:
            with transaction.atomic():
                # The moment is kept: the check-in pattern is what anti-fraud reads.
                CheckIn.objects.create(
                    challenge=challenge, user=user, day=day, source=source, created_at=now
                )
        except IntegrityError:
            raise AlreadyCheckedIn() from None
        entry, _created = ChallengeEntry.objects.get_or_create(challenge=challenge, user=user)
        entry = ChallengeEntry.objects.select_for_update().get(pk=entry.pk)
        current = streak_after(last_day=entry.last_day, current=entry.current_streak, day=day)
        entry.current_streak = current
        entry.best_streak = max(entry.best_streak, current)
        entry.last_day = day
        entry.check_in_count += 1
        entry.save(
            update_fields=[
                "current_streak",
                "best_streak",
                "last_day",
                "check_in_count",
                "updated_at",
            ]
        )
        if current >= challenge.days_required:
            _reward(challenge=challenge, user=user, streak=current, now=now)
    return entry


REWARD_KIND = "challenge"


def _reward(*, challenge: Challenge, user, streak: int, now: datetime) -> None:
    """The challenge's coupon, once per person, unless anti-fraud holds it: check-ins
    made by a script (the same minute day after day) or in the small hours wait for staff
    in the review queue (ADR 0047), and are paid once approved."""
    if ChallengeReward.objects.filter(challenge=challenge, user=user).exists():
        return
    zone = ZoneInfo(challenge.clinic.timezone)
    times = [
        timezone.localtime(moment, zone)
        for moment in CheckIn.objects.filter(challenge=challenge, user=user).values_list(
            "created_at", flat=True
        )
    ]
    review = screen_reward(
        key=reward_key(challenge, user),
        kind=REWARD_KIND,
        beneficiary=user,
        description=challenge.title,
        check_ins=times,
        now=now,
    )
    if not review.payable:
        return  # held for review (paid once approved), or rejected
    _issue(challenge=challenge, user=user, streak=streak)


def _issue(*, challenge: Challenge, user, streak: int) -> None:
    """The coupon itself: a row that exists at most once, and a coupon keyed by the same
    pair."""
    from yachi.growth.services import coupon_issue

    try:
        with transaction.atomic():
            coupon_id = coupon_issue(
                template_id=challenge.reward_template.public_id,
                user=user,
                reason=_("Check-in challenge: %(title)s") % {"title": challenge.title},
                idempotency_key=reward_key(challenge, user),
            )
            ChallengeReward.objects.create(
                challenge=challenge, user=user, coupon_id=coupon_id, streak=streak
            )
    except IntegrityError:
        return  # rewarded by a check-in that committed first
    except DomainError:
        # The coupon is not given out any more: the check-in counts, the reward waits
        # for the next check-in (and a manager who gives the challenge another coupon).
        logger.warning("challenge %s: reward coupon unavailable", challenge.pk)
        return
    params = {
        "challenge": challenge.title,
        "days": str(challenge.days_required),
        "coupon": challenge.reward_template.name,
        "link": reverse("web:coupons"),
    }
    transaction.on_commit(
        lambda: messaging.notify(
            recipient=user,
            kind="challenge_rewarded",
            params=params,
            key=f"challenge_rewarded:{challenge.public_id}:{user.public_id}",
            object_type="growth.challenge",
            object_id=str(challenge.public_id),
        )
    )
    reward_paid_mark(key=reward_key(challenge, user))


def _entry_of_key(key: str) -> ChallengeEntry | None:
    _, challenge_id, user_id = [*key.split(":"), "", ""][:3]
    challenge_id, user_id = as_public_id(challenge_id), as_public_id(user_id)
    if challenge_id is None or user_id is None:
        return None
    return (
        ChallengeEntry.objects.select_related(
            "challenge__clinic", "challenge__reward_template", "user"
        )
        .filter(challenge__public_id=challenge_id, user__public_id=user_id)
        .first()
    )


def _pay_approved(key: str) -> None:
    entry = _entry_of_key(key)
    if entry is not None:
        _issue(challenge=entry.challenge, user=entry.user, streak=entry.best_streak)


def _describe(key: str) -> str:
    entry = _entry_of_key(key)
    if entry is None:
        return ""
    return _("%(title)s: %(days)s days in a row") % {
        "title": entry.challenge.title,
        "days": entry.best_streak,
    }


register_reward_payer(
    REWARD_KIND,
    pay=_pay_approved,
    reject=lambda key: None,  # a rejected reward is simply never issued
    label=gettext_lazy("Check-in challenge reward"),
    describe=_describe,
)

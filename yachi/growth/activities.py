"""Points for activities — a survey answered, a share — through the same ledger.

Each earning has an idempotency key that names what was done, so a retried request, a
double tap or two requests at once earn once: a survey once per survey
(``activity:survey:<user>:<survey>``), a share once a day whatever is shared
(``activity:share:<user>:<day>``). Anti-fraud screens each earning under the same key
before it is paid (a farm of accounts sharing for points waits for review, ADR 0047).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.accounts.facade import patient_user_by_id
from yachi.core.errors import InvalidInput
from yachi.growth.choices import PointsReason
from yachi.growth.fraud.services import register_reward_payer, reward_paid_mark, screen_reward
from yachi.growth.ledger import Posting, post

ACTIVITIES = ("survey", "share")
REWARD_KIND = "activity"


@dataclass(frozen=True)
class Earning:
    """What an activity earned: its ledger entry, or none while anti-fraud holds it."""

    posting: Posting | None

    @property
    def held(self) -> bool:
        return self.posting is None


def activity_points(activity: str) -> int:
    return {
        "survey": settings.YACHI_POINTS_FOR_SURVEY,
        "share": settings.YACHI_POINTS_FOR_SHARE,
    }[activity]


def points_for_activity(*, user, activity: str, reference: str) -> Earning:
    """Earn the activity's points once; a repeat returns the first entry (``replayed``).
    A held earning is paid once staff approve it, and never when they reject it."""
    if not user.is_patient:
        raise InvalidInput(_("Only patients collect points."), code="not_a_patient")
    if activity not in ACTIVITIES:
        raise InvalidInput(_("Unknown activity."), code="unknown_activity")
    reference = (reference or "").strip()
    if not 1 <= len(reference) <= 80:
        raise InvalidInput(
            _("Name what was answered or shared (1 to 80 characters)."), code="reference_required"
        )
    points = activity_points(activity)
    if points <= 0:
        raise InvalidInput(_("This activity earns no points at the moment."), code="no_points")
    if activity == "survey":
        key = f"activity:survey:{user.public_id}:{reference}"
    else:
        key = f"activity:share:{user.public_id}:{timezone.localdate().isoformat()}"
    review = screen_reward(key=key, kind=REWARD_KIND, beneficiary=user, description=reference)
    if not review.payable:
        return Earning(posting=None)
    return Earning(posting=_post(user=user, activity=activity, key=key, reference=reference))


def _post(*, user, activity: str, key: str, reference: str) -> Posting:
    posting = post(
        user=user,
        delta=activity_points(activity),
        reason=PointsReason.ACTIVITY,
        idempotency_key=key,
        reference=f"{activity}:{reference}"[:120],
        note={"survey": _("Survey answered"), "share": _("Shared")}[activity],
    )
    reward_paid_mark(key=key)
    return posting


def _parts(key: str) -> tuple[str, str, str]:
    """``activity:<what>:<user>:<reference or day>`` → what, the user's public id, the rest."""
    _prefix, activity, user_id, rest = [*key.split(":", 3), "", "", ""][:4]
    return activity, user_id, rest


def _pay_approved(key: str) -> None:
    activity, user_id, rest = _parts(key)
    user = patient_user_by_id(user_id)
    if user is not None and activity in ACTIVITIES:
        _post(user=user, activity=activity, key=key, reference=rest)


def _describe(key: str) -> str:
    activity, _user_id, rest = _parts(key)
    if activity == "survey":
        return _("Survey answered: %(survey)s") % {"survey": rest}
    return _("Shared on %(day)s") % {"day": rest}


register_reward_payer(
    REWARD_KIND,
    pay=_pay_approved,
    reject=lambda key: None,  # a rejected earning is simply never posted
    label=gettext_lazy("Points for an activity"),
    describe=_describe,
)

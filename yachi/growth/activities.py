"""Points for activities — a survey answered, a share — through the same ledger.

Each earning has an idempotency key that names what was done, so a retried request, a
double tap or two requests at once earn once: a survey once per survey
(``activity:survey:<user>:<survey>``), a share once a day whatever is shared
(``activity:share:<user>:<day>``).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.core.errors import InvalidInput
from yachi.growth.choices import PointsReason
from yachi.growth.ledger import Posting, post

ACTIVITIES = ("survey", "share")


def activity_points(activity: str) -> int:
    return {
        "survey": settings.YACHI_POINTS_FOR_SURVEY,
        "share": settings.YACHI_POINTS_FOR_SHARE,
    }[activity]


def points_for_activity(*, user, activity: str, reference: str) -> Posting:
    """Earn the activity's points once; a repeat returns the first entry (``replayed``)."""
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
    return post(
        user=user,
        delta=points,
        reason=PointsReason.ACTIVITY,
        idempotency_key=key,
        reference=f"{activity}:{reference}",
        note={"survey": _("Survey answered"), "share": _("Shared")}[activity],
    )

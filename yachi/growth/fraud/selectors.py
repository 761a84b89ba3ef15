"""Anti-fraud's reads: the review queue."""

from yachi.growth.fraud.choices import ReviewStatus
from yachi.growth.fraud.models import RiskReview

PAGE = 100


def reviews(*, decided: bool, limit: int = PAGE) -> list[RiskReview]:
    """Held rewards, highest risk first; or the latest decided ones."""
    queryset = RiskReview.objects.select_related("beneficiary", "subject", "decided_by")
    if decided:
        queryset = queryset.filter(
            status__in=(ReviewStatus.APPROVED, ReviewStatus.REJECTED)
        ).order_by("-decided_at")
    else:
        queryset = queryset.filter(status=ReviewStatus.HELD).order_by("-score", "created_at")
    return list(queryset[:limit])


def held_count() -> int:
    return RiskReview.objects.filter(status=ReviewStatus.HELD).count()


def review_by_id(review_id) -> RiskReview | None:
    return (
        RiskReview.objects.select_related("beneficiary", "subject", "decided_by")
        .filter(public_id=review_id)
        .first()
    )

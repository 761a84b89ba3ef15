"""Points expire per earning lot, through the ledger.

Every positive entry is a lot that expires at the end of the year
``YACHI_POINTS_VALID_YEARS`` after the one it was earned in (by default the end of the
next year). Points used go from the oldest lots first. The daily job writes, for each
expired lot with points left, one ``expiry`` entry keyed ``points.expire:<lot>``: a
second run, or two at once, writes nothing more, and the balance never goes below zero.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from yachi.growth.choices import PointsReason
from yachi.growth.ledger import post
from yachi.growth.models import PointsAccount, PointsEntry

EXPIRY_KEY = "points.expire:"


def valid_years() -> int:
    return int(getattr(settings, "YACHI_POINTS_VALID_YEARS", 1))


def lot_expires_on(earned_at: datetime) -> date:
    return date(timezone.localdate(earned_at).year + valid_years(), 12, 31)


@dataclass(frozen=True)
class Lot:
    entry: PointsEntry
    remaining: int

    @property
    def expires_on(self) -> date:
        return lot_expires_on(self.entry.created_at)


def lots_of(*, user) -> list[Lot]:
    """The user's lots with what is left of each, oldest first."""
    entries = list(PointsEntry.objects.filter(user=user).order_by("created_at", "pk"))
    remaining: dict[str, int] = {}
    lots: list[PointsEntry] = []
    for entry in entries:
        lot_id = str(entry.public_id)
        if entry.delta > 0:
            remaining[lot_id] = entry.delta
            lots.append(entry)
        elif entry.idempotency_key.startswith(EXPIRY_KEY):
            expired = entry.idempotency_key.removeprefix(EXPIRY_KEY)
            remaining[expired] = max(0, remaining.get(expired, 0) + entry.delta)
        else:
            used = -entry.delta
            for lot in lots:
                if used == 0:
                    break
                key = str(lot.public_id)
                taken = min(used, remaining[key])
                remaining[key] -= taken
                used -= taken
    return [Lot(lot, remaining[str(lot.public_id)]) for lot in lots]


def points_expiring(*, user, today: date | None = None) -> tuple[int, date] | None:
    """The points that expire next and when: "N 积分将于 YYYY-MM-DD 过期"."""
    today = today or timezone.localdate()
    coming: dict[date, int] = {}
    for lot in lots_of(user=user):
        if lot.remaining > 0 and lot.expires_on >= today:
            coming[lot.expires_on] = coming.get(lot.expires_on, 0) + lot.remaining
    if not coming:
        return None
    first = min(coming)
    return coming[first], first


def points_expire(*, today: date | None = None) -> int:
    """Expire what is left of every lot whose last day is past; returns the points taken."""
    today = today or timezone.localdate()
    # A lot earned before 1 January of this year minus the valid years has expired.
    cutoff = timezone.make_aware(datetime.combine(date(today.year - valid_years(), 1, 1), time()))
    users = (
        PointsEntry.objects.filter(delta__gt=0, created_at__lt=cutoff)
        .values_list("user_id", flat=True)
        .distinct()
    )
    taken = 0
    for account in PointsAccount.objects.filter(user_id__in=users, balance__gt=0).select_related(
        "user"
    ):
        for lot in lots_of(user=account.user):
            if lot.remaining <= 0 or lot.expires_on >= today:
                continue
            balance = PointsAccount.objects.values_list("balance", flat=True).get(pk=account.pk)
            points = min(lot.remaining, balance)
            if points <= 0:
                break
            posting = post(
                user=account.user,
                delta=-points,
                reason=PointsReason.EXPIRY,
                idempotency_key=f"{EXPIRY_KEY}{lot.entry.public_id}",
                reference=lot.entry.reference,
                note=lot.expires_on.isoformat(),
            )
            if not posting.replayed:
                taken += points
    return taken

"""What the managers' dashboards read of growth (CRM, ADR 0053): the channel each
person came through, how tracked-link campaigns converted and how coupons were used.
Each in one or two aggregate queries whatever the number of people."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from yachi.growth.attribution.models import Conversion, ConversionKind, Touch
from yachi.growth.models import Coupon


def acquisition_channels(user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: the name of the channel of their earliest tracked first touch}; people
    who came by no tracked link are absent. One query."""
    found: dict[int, str] = {}
    for user_id, name in (
        Conversion.objects.filter(user_id__in=list(set(user_ids)), first_link__isnull=False)
        .order_by("at", "pk")
        .values_list("user_id", "first_link__channel__name")
    ):
        found.setdefault(user_id, name)
    return found


@dataclass(frozen=True)
class CampaignRow:
    channel: str
    campaign: str
    visitors: int  # distinct visitors who followed its links in the range
    signups: int  # sign-ups in the range whose first touch was the campaign
    bookings: int  # bookings in the range whose first touch was the campaign

    @property
    def rate(self) -> float | None:
        return self.bookings / self.visitors if self.visitors else None


def campaign_conversion(*, start: datetime, end: datetime) -> list[CampaignRow]:
    """Tracked-link campaigns (chain-wide: a link belongs to no clinic), most visited
    first. Two queries."""
    visitors = {
        (row["link__channel__name"], row["link__campaign"]): row["n"]
        for row in Touch.objects.filter(at__gte=start, at__lt=end)
        .values("link__channel__name", "link__campaign")
        .annotate(n=Count("visitor", distinct=True))
        .order_by()
    }
    converted = {
        (row["first_link__channel__name"], row["first_link__campaign"]): row
        for row in Conversion.objects.filter(at__gte=start, at__lt=end, first_link__isnull=False)
        .values("first_link__channel__name", "first_link__campaign")
        .annotate(
            signups=Count("pk", filter=Q(kind=ConversionKind.SIGNUP)),
            bookings=Count("pk", filter=Q(kind=ConversionKind.BOOKING)),
        )
        .order_by()
    }
    rows = [
        CampaignRow(
            channel=key[0],
            campaign=key[1],
            visitors=visitors.get(key, 0),
            signups=converted.get(key, {}).get("signups", 0),
            bookings=converted.get(key, {}).get("bookings", 0),
        )
        for key in set(visitors) | set(converted)
    ]
    return sorted(rows, key=lambda r: (-r.visitors, -r.bookings, r.channel, r.campaign))


@dataclass(frozen=True)
class CampaignConversion:
    """A sign-up or booking in the range whose first touch was a campaign's link: who
    (the account), and for a booking which appointment (``booking_public_id``), so that
    the dashboards count it at the clinic where it was booked and list the patients."""

    channel: str
    campaign: str
    kind: str  # "signup" | "booking"
    user_id: int
    at: datetime
    booking_public_id: str = ""


BOOKING_PREFIX = "booking:booking.appointment:"


def campaign_conversions(*, start: datetime, end: datetime) -> list[CampaignConversion]:
    """The sign-ups and bookings behind ``campaign_conversion``'s counts, one by one,
    in time order. One query."""
    rows = (
        Conversion.objects.filter(
            at__gte=start,
            at__lt=end,
            first_link__isnull=False,
            kind__in=(ConversionKind.SIGNUP, ConversionKind.BOOKING),
        )
        .order_by("at", "pk")
        .values_list(
            "first_link__channel__name",
            "first_link__campaign",
            "kind",
            "user_id",
            "at",
            "reference",
        )
    )
    return [
        CampaignConversion(
            channel=channel,
            campaign=campaign,
            kind=kind,
            user_id=user_id,
            at=at,
            booking_public_id=reference.removeprefix(BOOKING_PREFIX)
            if reference.startswith(BOOKING_PREFIX)
            else "",
        )
        for channel, campaign, kind, user_id, at, reference in rows
    ]


@dataclass(frozen=True)
class CouponIssued:
    """A coupon issued in the range, and whether it was used by now."""

    owner_id: int
    template: str
    status: str
    issued_at: datetime
    redeemed_at: datetime | None


def coupons_issued(
    *, start: datetime, end: datetime, owner_ids: Iterable[int] | None = None
) -> list[CouponIssued]:
    """Coupons issued in ``[start, end)``; with ``owner_ids``, only those issued to these
    people. One query."""
    coupons = Coupon.objects.filter(created_at__gte=start, created_at__lt=end)
    if owner_ids is not None:
        coupons = coupons.filter(owner_id__in=list(set(owner_ids)))
    return [
        CouponIssued(*row)
        for row in coupons.order_by("created_at", "pk").values_list(
            "owner_id", "template__name", "status", "created_at", "redeemed_at"
        )
    ]

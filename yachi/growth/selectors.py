"""Reads of coupons and points, with their related rows fetched up front."""

from django.db.models import Count, Q
from django.utils import timezone

from yachi.core.models import as_public_id
from yachi.growth.choices import CouponStatus
from yachi.growth.models import Coupon, CouponTemplate, PointsAccount, PointsEntry

# The patient's tabs: what can be used, what was used, what can no longer be.
TABS = {
    "available": (CouponStatus.AVAILABLE, CouponStatus.HELD),
    "used": (CouponStatus.REDEEMED,),
    "expired": (CouponStatus.EXPIRED, CouponStatus.VOID),
}


def coupons_of(*, user, status: str | None = None, tab: str | None = None, limit: int = 200):
    coupons = Coupon.objects.filter(owner=user).select_related("template")
    if status:
        coupons = coupons.filter(status=status)
    if tab:
        # Until the expiry job has run, an available coupon past its time is expired.
        now = timezone.now()
        lapsed = Q(status=CouponStatus.AVAILABLE, expires_at__lte=now)
        if tab == "available":
            coupons = coupons.filter(status__in=TABS[tab]).exclude(lapsed)
        elif tab == "expired":
            coupons = coupons.filter(Q(status__in=TABS[tab]) | lapsed)
        else:
            coupons = coupons.filter(status__in=TABS[tab])
    order = ("expires_at",) if tab in (None, "available") else ("-updated_at",)
    return list(coupons.order_by(*order, "pk")[:limit])


def points_entries_of(*, user, limit: int = 50):
    return list(PointsEntry.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])


def rewards():
    """Templates anyone may take for points, cheapest first."""
    return list(
        CouponTemplate.objects.filter(active=True, points_cost__gt=0).order_by("points_cost", "pk")
    )


def templates_with_counts():
    return list(
        CouponTemplate.objects.annotate(
            redeemed=Count("coupons", filter=Q(coupons__status=CouponStatus.REDEEMED)),
        ).order_by("-active", "-created_at")
    )


def template_counts(template: CouponTemplate) -> dict[str, int]:
    counts = dict(
        template.coupons.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in CouponStatus.values}


def recent_coupons_of_template(template: CouponTemplate, limit: int = 50):
    return list(template.coupons.select_related("owner").order_by("-created_at")[:limit])


def coupons_available_count(*, user) -> int:
    return Coupon.objects.filter(
        owner=user, status=CouponStatus.AVAILABLE, expires_at__gt=timezone.now()
    ).count()


def active_templates():
    """Templates a manager may issue from, by name."""
    return CouponTemplate.objects.filter(active=True).order_by("name")


def coupon_issued(coupon_id) -> Coupon:
    """A coupon just issued, by its public id, with its template (the answer to issuing)."""
    return Coupon.objects.select_related("template").get(public_id=coupon_id)


def template_labels(viewer, ids) -> dict[str, str]:
    """Coupon templates by their names, for staff (the ledger's ``growth.template:<id>``)."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    if not viewer.is_clinic_staff or not public_ids:
        return {}
    found = CouponTemplate.objects.filter(public_id__in=public_ids)
    return {str(public_id): name for public_id, name in found.values_list("public_id", "name")}


def points_balances(*, user_ids) -> dict[int, int]:
    """Each person's points balance in one query; whoever has no account is absent (0)."""
    return dict(
        PointsAccount.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "balance")
    )


def coupon_templates_offered() -> list[tuple[str, str]]:
    """(public id, name) of the templates a campaign may give, by name."""
    return [(str(t.public_id), t.name) for t in active_templates().only("public_id", "name")]

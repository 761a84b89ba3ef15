"""The patient's coupon and points pages (我的优惠券, 我的积分)."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.growth import describe, expiry, ledger, rewards, selectors

TABS = ("available", "used", "expired")


@patient_required
def coupons_page(request):
    tab = request.GET.get("tab", "available")
    if tab not in TABS:
        tab = "available"
    coupons = selectors.coupons_of(user=request.user, tab=tab)
    rows = [
        (
            c,
            describe.coupon_title(c.template),
            describe.benefit(c.template),
            describe.condition(c.template),
        )
        for c in coupons
    ]
    return render(
        request,
        "growth/coupons.html",
        {"rows": rows, "current": tab, "tab": "me"},
    )


@patient_required
def points_page(request):
    balance = ledger.points_balance(user=request.user)
    offers = [
        (t, describe.coupon_title(t), describe.benefit(t), describe.condition(t))
        for t in selectors.rewards()
    ]
    return render(
        request,
        "growth/points.html",
        {
            "balance": balance,
            "value_fen": ledger.points_value_fen(balance),
            "expiring": expiry.points_expiring(user=request.user),
            "entries": selectors.points_entries_of(user=request.user, limit=50),
            "offers": offers,
            "tab": "me",
        },
    )


@patient_required
def reward_confirm(request, template_id):
    """The confirm step of an exchange. The key is made when the page is shown, so a
    double tap on the button spends the points once."""
    reward = rewards.reward_of(template_id)
    if request.method == "POST":
        try:
            rewards.reward_redeem(
                user=request.user,
                template_id=reward.public_id,
                idempotency_key=request.POST.get("key") or None,
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("web:points")
        messages.success(request, _("Done: the coupon is in your coupons."))
        return redirect("web:coupons")
    balance = ledger.points_balance(user=request.user)
    return render(
        request,
        "growth/reward_confirm.html",
        {
            "reward": reward,
            "title": describe.coupon_title(reward),
            "benefit": describe.benefit(reward),
            "condition": describe.condition(reward),
            "balance": balance,
            "enough": balance >= reward.points_cost,
            "key": uuid.uuid4().hex,
            "tab": "me",
        },
    )


@patient_required
def activities_page(request):
    """The 活动 tab: each section of ``growth.tab.SECTIONS`` in turn."""
    from yachi.growth.tab import sections_for

    return render(
        request,
        "growth/activities.html",
        {"sections": sections_for(request), "tab": "activities"},
    )

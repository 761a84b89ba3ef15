"""Referral campaigns in the console (邀请活动): what each level earns, and how far each
campaign reached."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.growth.access import require_manager
from yachi.growth.referrals import describe, selectors, services, stats
from yachi.growth.referrals.access import access_campaign_by_id
from yachi.growth.referrals.forms import CampaignForm


@staff_required
def campaigns_page(request):
    require_manager(request.user)
    campaigns = selectors.campaigns()
    counts = selectors.campaign_counts([c.pk for c in campaigns])
    rows = [
        {
            "campaign": c,
            "level1": describe.level_reward(c, 1),
            "level2": describe.level_reward(c, 2),
            "reach": stats.reach_of_campaign(c.pk),
            "qualified": counts.get(c.pk, {}).get("qualified", 0),
            "held": counts.get(c.pk, {}).get("held", 0),
        }
        for c in campaigns
    ]
    return render(
        request,
        "growth/console/referral_campaigns.html",
        {"rows": rows, "section": "referrals", "hll": stats.enabled()},
    )


@staff_required
def campaign_edit(request, referral_campaign_id=None):
    require_manager(request.user)
    campaign = (
        access_campaign_by_id(actor=request.user, campaign_id=referral_campaign_id)
        if referral_campaign_id
        else None
    )
    initial = CampaignForm.initial_from(campaign) if campaign else {"active": True}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_save(actor=request.user, campaign=campaign, **form.values())
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("console:referral_campaigns")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "growth/console/referral_campaign_form.html",
        {"form": form, "campaign": campaign, "section": "referrals"},
        status=status,
    )

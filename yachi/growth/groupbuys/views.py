"""The patient's group-buys: the 活动 tab's section, a group's page (its share link),
starting a group and joining one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.growth.groupbuys import access, selectors, services
from yachi.growth.groupbuys.choices import GroupStatus, MemberStatus


def tab_section(request) -> dict | None:
    """What the 活动 tab shows of group-buys: campaigns on offer with groups to join,
    and the patient's own groups."""
    campaigns = selectors.campaigns_on_offer()
    mine = selectors.groups_of_user(user=request.user)
    leading = {
        g.campaign_id: g
        for g in mine
        if g.leader_id == request.user.pk and g.status in (GroupStatus.PENDING, GroupStatus.OPEN)
    }
    rows = [
        {
            "campaign": campaign,
            "leading": leading.get(campaign.pk),
            "phase": selectors.campaign_phase(campaign),
            "open_groups": [
                (group, _leader_name(group))
                for group in selectors.open_groups_of_campaign(campaign, limit=3)
                if group.leader_id != request.user.pk
            ],
        }
        for campaign in campaigns
    ]
    return {"rows": rows, "mine": mine}


def _leader_name(group) -> str:
    leaders = [m.user for m in group.holding if m.is_leader]
    return selectors.masked_name(leaders[0]) if leaders else ""


@patient_required
def group_page(request, group_id):
    group = selectors.group_with_members(access.group_by_id(group_id))
    member = selectors.member_of(group=group, user=request.user)
    holding = member is not None and member.status in (MemberStatus.PENDING, MemberStatus.PAID)
    share_link = request.build_absolute_uri(reverse("web:group", args=[group.public_id]))
    members = [(selectors.masked_name(m.user), m) for m in group.holding]
    context = {
        "group": group,
        "campaign": group.campaign,
        "member": member if holding else None,
        "members": members,
        "empty_places": range(max(0, group.size - len(members))),
        "share_link": share_link,
        "may_join": group.status == GroupStatus.OPEN and not holding,
        "tab": "activities",
    }
    return render(request, "growth/groupbuys/group.html", context)


def _to_payment(intent):
    return redirect(reverse("web:pay", args=[intent.public_id]))


@require_POST
@patient_required
def group_start_view(request, campaign_id):
    try:
        campaign = access.campaign_on_offer_by_id(campaign_id)
        _group, _member, intent = services.group_start(user=request.user, campaign=campaign)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("web:activities")
    return _to_payment(intent)


@require_POST
@patient_required
def group_join_view(request, group_id):
    try:
        group = access.group_by_id(group_id)
        _member, intent = services.group_join(user=request.user, group=group)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("web:group", group_id=group_id)
    return _to_payment(intent)

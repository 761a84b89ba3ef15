"""Reads of group-buys: campaigns on offer, a group with its members, a clinic's campaigns."""

from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.growth.groupbuys.choices import HOLDING, CampaignStatus, GroupStatus, MemberStatus
from yachi.growth.groupbuys.models import Group, GroupBuyCampaign, GroupMember


def masked_name(user) -> str:
    """How others see a member: the first character of the name (张**), or the
    number's first three and last four digits."""
    name = (user.name or "").strip()
    if name:
        return name[0] + "*" * max(1, min(len(name) - 1, 2))
    phone = user.phone or ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else _("Member")


def campaigns_on_offer(*, now: datetime | None = None) -> list[GroupBuyCampaign]:
    """Running campaigns not yet ended (starting later ones too), soonest ending first."""
    now = now or timezone.now()
    return list(
        GroupBuyCampaign.objects.select_related("clinic", "service")
        .filter(status=CampaignStatus.RUNNING, ends_at__gt=now)
        .order_by("ends_at", "pk")
    )


def campaign_phase(campaign: GroupBuyCampaign, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if campaign.status != CampaignStatus.RUNNING or campaign.ends_at <= now:
        return "ended"
    if campaign.starts_at > now:
        return "upcoming"
    if campaign.groups_left == 0:
        return "sold_out"
    return "on_sale"


def _members_prefetch():
    return Prefetch(
        "members",
        queryset=GroupMember.objects.select_related("user")
        .filter(status__in=HOLDING)
        .order_by("-is_leader", "created_at", "pk"),
        to_attr="holding",
    )


def group_with_members(group: Group) -> Group:
    return (
        Group.objects.select_related("campaign__clinic", "campaign__service")
        .prefetch_related(_members_prefetch())
        .get(pk=group.pk)
    )


def groups_of_user(*, user, campaign_ids=None) -> list[Group]:
    """The groups the patient holds or held a place in, newest first."""
    groups = (
        Group.objects.select_related("campaign")
        .filter(
            members__user=user,
            members__status__in=(MemberStatus.PENDING, MemberStatus.PAID, MemberStatus.REFUNDED),
        )
        .distinct()
        .order_by("-created_at")
    )
    if campaign_ids is not None:
        groups = groups.filter(campaign_id__in=campaign_ids)
    return list(groups[:20])


def member_of(*, group: Group, user) -> GroupMember | None:
    return GroupMember.objects.filter(group=group, user=user).order_by("-created_at", "-pk").first()


def open_groups_of_campaign(campaign: GroupBuyCampaign, *, now=None, limit: int = 5) -> list[Group]:
    """Groups still forming with places left, fullest first: someone may join them."""
    now = now or timezone.now()
    return list(
        Group.objects.filter(campaign=campaign, status=GroupStatus.OPEN, expires_at__gt=now)
        .prefetch_related(_members_prefetch())
        .order_by("-seats_taken", "expires_at")[:limit]
    )


def campaigns_of_clinic(*, clinic) -> list[GroupBuyCampaign]:
    return list(
        GroupBuyCampaign.objects.select_related("service")
        .filter(clinic=clinic)
        .annotate(
            forming=Count("groups", filter=Q(groups__status__in=("pending", "open"))),
            confirmed=Count("groups", filter=Q(groups__status="full")),
            dissolved=Count("groups", filter=Q(groups__status="dissolved")),
        )
        .order_by("-starts_at")
    )


def groups_of_campaign(campaign: GroupBuyCampaign, *, limit: int = 200) -> list[Group]:
    return list(
        Group.objects.filter(campaign=campaign)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.select_related("user").order_by("created_at", "pk"),
                to_attr="everyone",
            )
        )
        .order_by("-created_at")[:limit]
    )

"""Fetching group-buy objects by the public ids that come from outside.

A campaign on offer and a group are addressed by their links (a group's is its share
link: whoever has it may see the group, members' names masked, and join it). A
console campaign is a campaign of a clinic the staff member works at.
"""

from yachi.clinics import facade as clinics
from yachi.core.models import as_public_id
from yachi.growth.groupbuys.choices import CampaignStatus
from yachi.growth.groupbuys.errors import CampaignNotFound, GroupNotFound
from yachi.growth.groupbuys.models import Group, GroupBuyCampaign


def campaign_on_offer_by_id(campaign_id) -> GroupBuyCampaign:
    public_id = as_public_id(campaign_id)
    campaign = (
        GroupBuyCampaign.objects.select_related("clinic", "service")
        .filter(public_id=public_id, status=CampaignStatus.RUNNING)
        .first()
        if public_id
        else None
    )
    if campaign is None:
        raise CampaignNotFound()
    return campaign


def group_by_id(group_id) -> Group:
    public_id = as_public_id(group_id)
    group = (
        Group.objects.select_related("campaign__clinic", "campaign__service")
        .filter(public_id=public_id)
        .first()
        if public_id
        else None
    )
    if group is None:
        raise GroupNotFound()
    return group


def staff_campaign_by_id(*, actor, clinic, campaign_id) -> GroupBuyCampaign:
    """A campaign of ``clinic`` (itself fetched for the staff member); any other: not found."""
    public_id = as_public_id(campaign_id)
    campaign = (
        GroupBuyCampaign.objects.select_related("clinic", "service")
        .filter(public_id=public_id, clinic=clinic)
        .first()
        if public_id
        else None
    )
    if campaign is None:
        raise CampaignNotFound()
    return campaign


def staff_clinic(*, actor, clinic_id):
    return clinics.staff_clinic_by_id(actor=actor, clinic_id=clinic_id)

"""The only way a request reaches a referral campaign: managers of the chain's clinics."""

from django.utils.translation import gettext as _

from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.growth.access import require_manager
from yachi.growth.referrals.models import ReferralCampaign


def access_campaign_by_id(*, actor, campaign_id) -> ReferralCampaign:
    require_manager(actor)
    public_id = as_public_id(campaign_id)
    campaign = ReferralCampaign.objects.filter(public_id=public_id).first() if public_id else None
    if campaign is None:
        raise NotFound(_("There is no such campaign."), code="campaign_not_found")
    return campaign

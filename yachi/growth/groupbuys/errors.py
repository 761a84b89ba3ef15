from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, DomainError, NotFound


class CampaignNotFound(NotFound):
    code = "campaign_not_found"
    default_message = _("Group-buy not found.")


class GroupNotFound(NotFound):
    code = "group_not_found"
    default_message = _("Group not found.")


class CampaignNotRunning(Conflict):
    code = "campaign_not_running"
    default_message = _("This group-buy is not running now.")


class CampaignSoldOut(Conflict):
    code = "campaign_sold_out"
    default_message = _("This group-buy has formed all the groups it offers.")


class AlreadyLeading(Conflict):
    code = "already_leading"
    default_message = _("You already lead a group of this group-buy: share it instead.")


class GroupFull(Conflict):
    code = "group_full"
    default_message = _("This group is full.")


class GroupClosed(Conflict):
    code = "group_closed"
    default_message = _("This group no longer takes members.")


class AlreadyMember(Conflict):
    code = "already_member"
    default_message = _("You are already in this group.")


class PaymentsUnavailable(DomainError):
    code = "payments_unavailable"
    status = 503
    default_message = _("Payments cannot be taken at the moment.")

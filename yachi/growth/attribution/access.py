"""Channels, links, spend and the report are the chain's, kept by managers."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.growth.attribution.models import Channel, TrackedLink


class ChannelNotFound(NotFound):
    code = "channel_not_found"

    def __init__(self):
        super().__init__(_("No such channel or link."))


def require_marketer(actor) -> None:
    if not clinics.anywhere(actor, clinics.Duty.MANAGE):
        raise PermissionDenied(
            _("Channels and their spend are kept by clinic managers."), code="managers_only"
        )


def _get(queryset, value):
    public_id = as_public_id(value)
    found = queryset.filter(public_id=public_id).first() if public_id else None
    if found is None:
        raise ChannelNotFound()
    return found


def access_channel(*, actor, channel_id) -> Channel:
    require_marketer(actor)
    return _get(Channel.objects.all(), channel_id)


def access_link(*, actor, link_id) -> TrackedLink:
    require_marketer(actor)
    return _get(TrackedLink.objects.select_related("channel"), link_id)

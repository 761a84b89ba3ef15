from django.utils.translation import gettext as _

from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.messaging.models import Notification


def access_notification_by_id(*, actor, notification_id) -> Notification:
    """One of the caller's own messages; "not yours" and "no such message" look the same."""
    missing = NotFound(_("Message not found."), code="notification_not_found")
    public_id = as_public_id(notification_id)
    if public_id is None:
        raise missing
    notification = Notification.objects.filter(public_id=public_id, recipient=actor).first()
    if notification is None:
        raise missing
    return notification

from ninja import Query, Router, Status

from yachi.core.schemas import errors
from yachi.messaging import selectors, services
from yachi.messaging.access import access_notification_by_id
from yachi.messaging.schemas import NotificationOut, NotificationQuery, PreferenceIO

router = Router(tags=["notifications"])


@router.get("/notifications", response={200: list[NotificationOut], **errors(401, 422)})
def list_notifications(request, query: Query[NotificationQuery]):
    """The caller's messages that reached them: the in-app inbox and what was sent by
    SMS or WeChat. Messages still to be sent are not listed."""
    return selectors.notifications_of(user=request.user, scope=query.scope, limit=query.limit)


@router.post("/notifications/{notification_id}/read", response={204: None, **errors(401, 404)})
def mark_read(request, notification_id: str):
    notification = access_notification_by_id(actor=request.user, notification_id=notification_id)
    services.inbox_mark_read(notification=notification)
    return Status(204, None)


@router.get("/notification-preferences", response={200: PreferenceIO, **errors(401)})
def get_preferences(request):
    return services.preference_of(request.user)


@router.put("/notification-preferences", response={200: PreferenceIO, **errors(400, 401, 413, 422)})
def set_preferences(request, payload: PreferenceIO):
    """Turn SMS, WeChat and offers on or off. Service messages always reach the in-app inbox."""
    return services.preference_update(
        user=request.user, sms=payload.sms, wechat=payload.wechat, marketing=payload.marketing
    )

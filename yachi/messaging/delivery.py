"""Handing a rendered message to the channel that carries it (providers/)."""

from yachi.messaging.choices import Channel
from yachi.messaging.providers import SendResult, get_wechat, wechat_configured
from yachi.messaging.sms import send_sms


def send(notification, *, title: str, text: str) -> SendResult:
    if notification.channel == Channel.INBOX:
        return SendResult(accepted=True)  # the row is the message
    params = dict(notification.params)
    if notification.channel == Channel.SMS:
        return send_sms(
            phone=notification.recipient.phone,
            template=notification.kind,
            params=params,
            text=text,
            out_id=str(notification.public_id),
        )
    openid = getattr(notification.recipient, "wechat_openid", "")
    if not (wechat_configured() and openid):
        return SendResult(accepted=False, error_code="wechat_not_configured")
    return get_wechat().send_template(
        template=notification.kind, openid=openid, params=params, page="pages/index/index"
    )

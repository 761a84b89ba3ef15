"""Binding a mini-program user (openid) to a patient account, and logging in with it.

A patient first logs in with an SMS code and binds their WeChat from the mini-program
(``wx.login`` gives a one-time code; WeChat's ``code2session`` turns it into the
openid). From then on the mini-program logs in with ``wx.login`` alone, and WeChat
subscribe messages can reach them.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yachi.accounts import tokencache
from yachi.accounts.models import User
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, DomainError, NotFound
from yachi.messaging.facade import get_wechat, wechat_configured


class WeChatNotSetUp(DomainError):
    """The clinic has not configured a mini-program: a state, not a server failure."""

    code = "wechat_not_enabled"
    status = 409


def _openid(code: str) -> str:
    if not wechat_configured():
        raise WeChatNotSetUp(_("Logging in with WeChat is not set up for this clinic."))
    return get_wechat().code2session(code=code).openid


@transaction.atomic
def wechat_bind(*, user: User, code: str) -> User:
    openid = _openid(code)
    owner = User.objects.filter(wechat_openid=openid).exclude(pk=user.pk).first()
    if owner is not None:
        raise Conflict(
            _("This WeChat is already bound to another account."), code="wechat_bound_elsewhere"
        )
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(wechat_openid=openid)
            tokencache.forget_user(user.pk)
    except IntegrityError:
        raise Conflict(
            _("This WeChat is already bound to another account."), code="wechat_bound_elsewhere"
        ) from None
    user.wechat_openid = openid
    audit_record(
        action=AuditAction.PERMISSION_CHANGED,
        actor=user,
        object_type="wechat_binding",
        object_id=user.public_id,
        details={"bound": True},
    )
    return user


def wechat_unbind(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(wechat_openid=None)
    tokencache.forget_user(user.pk)
    audit_record(
        action=AuditAction.PERMISSION_CHANGED,
        actor=user,
        object_type="wechat_binding",
        object_id=user.public_id,
        details={"bound": False},
    )


def wechat_login(*, code: str) -> User:
    openid = _openid(code)
    user = User.objects.filter(wechat_openid=openid, is_active=True).first()
    if user is None:
        raise NotFound(
            _("This WeChat is not bound to an account yet: log in with your mobile number first."),
            code="wechat_not_bound",
        )
    audit_record(action=AuditAction.LOGIN, actor=user, details={"method": "wechat"})
    return user

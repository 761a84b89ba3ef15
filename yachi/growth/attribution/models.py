from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel


class ChannelKind(models.TextChoices):
    DOUYIN = "douyin", _("Douyin")
    BAIDU = "baidu", _("Baidu")
    WECHAT_MOMENTS = "wechat_moments", _("WeChat Moments")
    XIAOHONGSHU = "xiaohongshu", _("Xiaohongshu")
    OFFLINE_FLYER = "offline_flyer", _("Offline flyers")
    OTHER = "other", _("Other")


class ConversionKind(models.TextChoices):
    SIGNUP = "signup", _("Sign-up")
    BOOKING = "booking", _("Booking")
    VISIT = "visit", _("Completed visit")
    REVENUE = "revenue", _("Revenue")


class Channel(BaseModel):
    """Where people come from (抖音, 百度, 朋友圈, 小红书, 地推传单…), with the spend on it."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrackedLink(BaseModel):
    """A link (and its QR code) of one channel and campaign: ``/t/<code>`` records a touch
    and lands on ``target``, a page of this site."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="links")
    campaign = models.CharField(_("campaign"), max_length=60)
    code = models.CharField(_("code"), max_length=16, unique=True)
    target = models.CharField(_("lands on"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        ordering = ["channel__name", "campaign"]

    def __str__(self) -> str:
        return self.code


class Touch(models.Model):
    """Someone opened a tracked link: the browser's visitor key (a cookie), the device
    kind and the time; ``user`` once the visitor signs in."""

    link = models.ForeignKey(TrackedLink, on_delete=models.PROTECT, related_name="touches")
    visitor = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    device = models.CharField(_("device"), max_length=16)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("touch")
        verbose_name_plural = _("touches")
        indexes = [
            models.Index(fields=["visitor", "at"], name="touch_visitor_time"),
            models.Index(fields=["user", "at"], name="touch_user_time"),
            models.Index(fields=["at"], name="touch_time"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id}@{self.at:%Y-%m-%d %H:%M}"


class Conversion(models.Model):
    """A sign-up, booking, completed visit or payment (revenue; a refund negative), with
    the first and last touch of its person in the window before it. Written once per
    reference (``signup:<user>``, ``booking:<appointment>``, ``payment:<intent>``…)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ConversionKind.choices)
    at = models.DateTimeField(_("time"))
    amount_fen = models.BigIntegerField(_("amount (fen)"), default=0)
    reference = models.CharField(max_length=120, unique=True)
    first_link = models.ForeignKey(
        TrackedLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_link = models.ForeignKey(
        TrackedLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")
        indexes = [models.Index(fields=["kind", "at"], name="conversion_kind_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="revenue") | Q(amount_fen=0), name="conversion_amount_revenue"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class AdSpend(models.Model):
    """What was spent on a channel in a month (the first of the month), in fen."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="spend")
    month = models.DateField(_("month"))
    amount_fen = models.PositiveBigIntegerField(_("spend (fen)"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ad spend")
        verbose_name_plural = _("ad spend")
        constraints = [
            models.UniqueConstraint(fields=["channel", "month"], name="ad_spend_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.month:%Y-%m}"

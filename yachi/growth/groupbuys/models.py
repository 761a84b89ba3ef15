"""Group-buys (拼团): a campaign, the groups it forms and their members (ADR 0048).

They belong to the growth app (label ``growth``); ``yachi.growth.models`` imports them.
The database keeps the invariants whatever the concurrency: a group's places taken
never exceed its size, a person holds one place in a group, a leader leads one forming
group of a campaign, and a campaign never forms more groups than its stock.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.growth.groupbuys.choices import (
    FORMING,
    HOLDING,
    CampaignStatus,
    GroupStatus,
    MemberStatus,
)

MIN_SIZE, MAX_SIZE = 2, 10


class GroupBuyCampaign(BaseModel):
    """ "3 人成团种植牙": ``size`` people each pay ``price_fen`` (the leader less
    ``leader_discount_fen``, e.g. the anaesthesia fee waived) for one visit of ``service``;
    a group has ``fill_hours`` to fill. ``groups_left`` only moves by conditional updates."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("clinics.Service", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("campaign name"), max_length=64)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    size = models.PositiveSmallIntegerField(_("group size"))
    price_fen = models.PositiveIntegerField(_("price per member (fen)"))
    leader_discount_fen = models.PositiveIntegerField(_("leader's discount (fen)"), default=0)
    leader_benefit = models.CharField(_("leader's benefit"), max_length=64, blank=True)
    fill_hours = models.PositiveSmallIntegerField(_("hours to fill a group"), default=48)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    stock = models.PositiveIntegerField(_("groups it may form"))
    groups_left = models.PositiveIntegerField(_("groups left"))
    voucher_valid_days = models.PositiveSmallIntegerField(_("voucher valid for (days)"), default=90)
    status = models.CharField(
        _("status"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.RUNNING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("group-buy campaign")
        verbose_name_plural = _("group-buy campaigns")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=MIN_SIZE, size__lte=MAX_SIZE), name="group_buy_size_range"
            ),
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="group_buy_price_positive"),
            models.CheckConstraint(
                condition=Q(leader_discount_fen__lt=F("price_fen")),
                name="group_buy_leader_pays_something",
            ),
            models.CheckConstraint(
                condition=Q(groups_left__lte=F("stock")), name="group_buy_groups_left_in_stock"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="group_buy_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(fill_hours__gte=1, fill_hours__lte=168), name="group_buy_fill_hours"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def leader_price_fen(self) -> int:
        return self.price_fen - self.leader_discount_fen


class Group(BaseModel):
    """One group of a campaign. ``seats_taken`` counts the places held (paying or paid),
    ``paid_count`` those paid; both move only by conditional updates, and the checks
    below refuse a group with more places taken than its size."""

    campaign = models.ForeignKey(GroupBuyCampaign, on_delete=models.PROTECT, related_name="groups")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    size = models.PositiveSmallIntegerField(_("group size"))
    seats_taken = models.PositiveSmallIntegerField(_("places taken"), default=0)
    paid_count = models.PositiveSmallIntegerField(_("members paid"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=GroupStatus.choices, default=GroupStatus.PENDING
    )
    expires_at = models.DateTimeField(_("fill by"))
    confirmed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="group_buy_group_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("size")), name="group_buy_group_not_over_size"
            ),
            models.CheckConstraint(
                condition=Q(paid_count__lte=F("seats_taken")), name="group_buy_group_paid_seated"
            ),
            models.CheckConstraint(
                condition=~Q(status=GroupStatus.FULL) | Q(paid_count=F("size")),
                name="group_buy_group_full_is_paid",
            ),
            # A leader leads one forming group of a campaign at a time.
            models.UniqueConstraint(
                fields=["campaign", "leader"],
                condition=Q(status__in=FORMING),
                name="group_buy_one_forming_group_per_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"group {str(self.public_id)[:8]}"


class GroupMember(BaseModel):
    """A person's place in a group, and what they pay for it (``amount_fen``)."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_leader = models.BooleanField(default=False)
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    status = models.CharField(
        _("status"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status__in=HOLDING),
                name="group_buy_one_place_per_person",
            ),
            models.CheckConstraint(
                condition=Q(amount_fen__gt=0), name="group_buy_member_pays_something"
            ),
        ]

    def __str__(self) -> str:
        return f"member {str(self.public_id)[:8]}"

    @property
    def reference(self) -> str:
        """What the member's payment intent names."""
        return f"growth.group_member:{self.public_id}"

"""Every change to group-buys: campaigns (managers), starting and joining groups
(patients), what a member's payment does, and dissolving groups that did not fill.

Places are counted where the data lives: ``Group.seats_taken`` rises only by
``UPDATE … SET seats_taken = seats_taken + 1 WHERE status = 'open' AND seats_taken < size``
(row count 0 → ``group_full`` / ``group_closed``), a check constraint refuses more
places than the size, and a partial unique constraint one person twice in a group. The
join, its place and its payment intent are one transaction (ADR 0048).
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.core.money import format_yuan
from yachi.growth.groupbuys import ports
from yachi.growth.groupbuys.choices import (
    FORMING,
    CampaignStatus,
    GroupStatus,
    MemberStatus,
)
from yachi.growth.groupbuys.errors import (
    AlreadyLeading,
    AlreadyMember,
    CampaignNotRunning,
    CampaignSoldOut,
    GroupClosed,
    GroupFull,
)
from yachi.growth.groupbuys.models import (
    MAX_SIZE,
    MIN_SIZE,
    Group,
    GroupBuyCampaign,
    GroupMember,
)
from yachi.messaging import facade as messaging

logger = logging.getLogger(__name__)


# --- campaigns (managers) ---------------------------------------------------------------


def campaign_create(
    *,
    actor,
    clinic,
    service,
    title: str,
    size: int,
    price_fen: int,
    starts_at: datetime,
    ends_at: datetime,
    stock: int,
    description: str = "",
    leader_discount_fen: int = 0,
    leader_benefit: str = "",
    fill_hours: int = 48,
    voucher_valid_days: int = 90,
    status: str = CampaignStatus.RUNNING,
) -> GroupBuyCampaign:
    """A clinic manager's new campaign of one of the clinic's services (audited)."""
    clinics.require(actor, clinic, clinics.Duty.MANAGE)
    title = (title or "").strip()
    if not 1 <= len(title) <= 64:
        raise InvalidInput(_("Give the campaign a name of at most 64 characters."))
    if service is None or service.clinic_id != clinic.pk:
        raise InvalidInput(_("Choose a treatment of this clinic."))
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise InvalidInput(
            _("A group has %(low)d to %(high)d members.") % {"low": MIN_SIZE, "high": MAX_SIZE}
        )
    if price_fen <= 0:
        raise InvalidInput(_("The price per member must be above zero."))
    if not 0 <= leader_discount_fen < price_fen:
        raise InvalidInput(_("The leader's discount must be less than the price."))
    if not 1 <= fill_hours <= 168:
        raise InvalidInput(_("A group has 1 to 168 hours to fill."))
    if not 1 <= stock <= 10000:
        raise InvalidInput(_("A campaign forms 1 to 10000 groups."))
    if not 1 <= voucher_valid_days <= 366:
        raise InvalidInput(_("A voucher is valid for 1 to 366 days."))
    if ends_at <= starts_at:
        raise InvalidInput(_("The campaign must end after it starts."))
    if status not in CampaignStatus.values:
        raise InvalidInput(_("Unknown status."))
    with transaction.atomic():
        campaign = GroupBuyCampaign.objects.create(
            clinic=clinic,
            service=service,
            title=title,
            description=(description or "").strip()[:1000],
            size=size,
            price_fen=price_fen,
            leader_discount_fen=leader_discount_fen,
            leader_benefit=(leader_benefit or "").strip()[:64],
            fill_hours=fill_hours,
            starts_at=starts_at,
            ends_at=ends_at,
            stock=stock,
            groups_left=stock,
            voucher_valid_days=voucher_valid_days,
            status=status,
            created_by=actor,
        )
        audit_record(
            action=AuditAction.GROUP_BUY_CHANGED,
            actor=actor,
            object_type="growth.group_buy",
            object_id=campaign.public_id,
            clinic=clinic,
            details={"created": True, "title": title, "size": size, "price_fen": price_fen},
        )
    return campaign


def campaign_set_status(*, actor, campaign: GroupBuyCampaign, status: str) -> GroupBuyCampaign:
    """Run or stop a campaign. Stopping starts no new groups; forming ones go on."""
    clinics.require(actor, campaign.clinic, clinics.Duty.MANAGE)
    if status not in (CampaignStatus.RUNNING, CampaignStatus.STOPPED):
        raise InvalidInput(_("A campaign is running or stopped."))
    with transaction.atomic():
        changed = GroupBuyCampaign.objects.filter(pk=campaign.pk).exclude(status=status)
        if changed.update(status=status, updated_at=timezone.now()):
            audit_record(
                action=AuditAction.GROUP_BUY_CHANGED,
                actor=actor,
                object_type="growth.group_buy",
                object_id=campaign.public_id,
                clinic=campaign.clinic,
                details={"status": status},
            )
    campaign.refresh_from_db()
    return campaign


# --- starting and joining (patients) -----------------------------------------------------


def _pay_within(group: Group, now: datetime) -> timedelta | None:
    # A place unpaid when the group's time runs out is of no use: never ask for longer.
    left = group.expires_at - now
    return left if left < timedelta(minutes=15) else None


def _ask_payment(*, member: GroupMember, campaign: GroupBuyCampaign, now: datetime):
    return ports.payments().intent_create(
        reference=member.reference,
        amount_fen=member.amount_fen,
        description=campaign.title,
        payer=member.user,
        clinic=campaign.clinic,
        pay_within=_pay_within(member.group, now),
    )


def group_start(*, user, campaign: GroupBuyCampaign, now: datetime | None = None):
    """The patient starts a group as its leader: returns ``(group, member, intent)``.

    The group opens to others once the leader has paid; it takes one of the campaign's
    groups at once (given back if it never fills or the leader does not pay).
    """
    now = now or timezone.now()
    ports.payments()  # refuse before writing anything when payments cannot be taken
    if (
        campaign.status != CampaignStatus.RUNNING
        or not campaign.starts_at <= now < campaign.ends_at
    ):
        raise CampaignNotRunning()
    with transaction.atomic():
        taken = GroupBuyCampaign.objects.filter(
            pk=campaign.pk,
            status=CampaignStatus.RUNNING,
            starts_at__lte=now,
            ends_at__gt=now,
            groups_left__gt=0,
        ).update(groups_left=F("groups_left") - 1, updated_at=now)
        if not taken:
            campaign.refresh_from_db()
            if campaign.groups_left == 0:
                raise CampaignSoldOut()
            raise CampaignNotRunning()
        try:
            with transaction.atomic():
                group = Group.objects.create(
                    campaign=campaign,
                    leader=user,
                    size=campaign.size,
                    seats_taken=1,
                    status=GroupStatus.PENDING,
                    expires_at=now + timedelta(hours=campaign.fill_hours),
                )
        except IntegrityError:
            raise AlreadyLeading() from None
        member = GroupMember.objects.create(
            group=group, user=user, is_leader=True, amount_fen=campaign.leader_price_fen
        )
        intent = _ask_payment(member=member, campaign=campaign, now=now)
    return group, member, intent


def group_join(*, user, group: Group, now: datetime | None = None):
    """Take a place in ``group`` and ask for its payment: returns ``(member, intent)``.

    409 ``already_member`` for a second place, ``group_full`` when every place is held,
    ``group_closed`` when the group does not take members (not open yet, confirmed,
    dissolved, or its time is up).
    """
    now = now or timezone.now()
    ports.payments()
    campaign = group.campaign
    with transaction.atomic():
        if GroupMember.objects.filter(
            group_id=group.pk, user_id=user.pk, status__in=(MemberStatus.PENDING, MemberStatus.PAID)
        ).exists():
            raise AlreadyMember()
        try:
            with transaction.atomic():
                member = GroupMember.objects.create(
                    group=group, user=user, amount_fen=campaign.price_fen
                )
        except IntegrityError:
            raise AlreadyMember() from None
        # The one statement that decides who gets a place: concurrent joins queue on the
        # group's row and each sees the count the one before it left.
        seated = Group.objects.filter(
            pk=group.pk,
            status=GroupStatus.OPEN,
            expires_at__gt=now,
            seats_taken__lt=F("size"),
        ).update(seats_taken=F("seats_taken") + 1, updated_at=now)
        if not seated:
            current = Group.objects.get(pk=group.pk)
            if current.status != GroupStatus.OPEN or current.expires_at <= now:
                raise GroupClosed(_closed_message(current))
            raise GroupFull()
        group.refresh_from_db()
        member.group = group
        intent = _ask_payment(member=member, campaign=campaign, now=now)
    return member, intent


def _closed_message(group: Group) -> str:
    if group.status == GroupStatus.PENDING:
        return _("This group opens once its leader has paid.")
    if group.status == GroupStatus.FULL:
        return _("This group is already confirmed.")
    return _("This group no longer takes members.")


# --- a member's payment (payments' owner handlers call these) ---------------------------


def _locked_member(reference: str) -> GroupMember | None:
    from yachi.core.models import as_public_id

    prefix = "growth.group_member:"
    if not reference.startswith(prefix):
        return None
    public_id = as_public_id(reference[len(prefix) :])
    if public_id is None:
        return None
    return GroupMember.objects.select_for_update().filter(public_id=public_id).first()


class PlaceLost(Exception):
    """The payment is for a place the member no longer holds: it must go back."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def member_paid(*, reference: str, paid_at: datetime | None = None) -> None:
    """A member's payment arrived (inside payments' transaction; idempotent).

    The leader's payment opens the group; the payment that makes every place paid
    confirms it at once, issuing each member's service voucher. A payment for a place
    no longer held (the group dissolved, the place was given back and taken by someone
    else) raises ``PlaceLost``: payments refunds it.
    """
    now = timezone.now()
    paid_at = paid_at or now
    member = _locked_member(reference)
    if member is None:
        raise PlaceLost(_("the group-buy place no longer exists"))
    # The group's row first: the member's payment, another's and the dissolving job
    # take their turns on it.
    group = Group.objects.select_for_update().select_related("campaign").get(pk=member.group_id)
    if member.status == MemberStatus.PAID:
        return
    if group.status not in FORMING:
        if member.status == MemberStatus.PENDING:
            _release(member, group, now=now)
        raise PlaceLost(_("the group closed before the payment arrived"))
    if member.status == MemberStatus.RELEASED:
        # Paid after its place went back: take one again if one is free.
        if group.status != GroupStatus.OPEN or group.expires_at <= now:
            raise PlaceLost(_("the group closed before the payment arrived"))
        seated = Group.objects.filter(
            pk=group.pk, status=GroupStatus.OPEN, seats_taken__lt=F("size")
        ).update(seats_taken=F("seats_taken") + 1, updated_at=now)
        if not seated:
            raise PlaceLost(_("the group filled before the payment arrived"))
        try:
            with transaction.atomic():
                GroupMember.objects.filter(pk=member.pk).update(
                    status=MemberStatus.PENDING, closed_at=None, updated_at=now
                )
        except IntegrityError:
            raise PlaceLost(_("you already hold a place in this group")) from None
    elif member.status != MemberStatus.PENDING:
        raise PlaceLost(_("the group-buy place was refunded"))
    GroupMember.objects.filter(pk=member.pk).update(
        status=MemberStatus.PAID, paid_at=paid_at, updated_at=now
    )
    opened = GroupStatus.OPEN if member.is_leader else group.status
    Group.objects.filter(pk=group.pk).update(
        paid_count=F("paid_count") + 1, status=opened, updated_at=now
    )
    group.refresh_from_db()
    if group.paid_count == group.size:
        _confirm(group, now=now)


def _confirm(group: Group, *, now: datetime) -> None:
    confirmed = Group.objects.filter(pk=group.pk, status=GroupStatus.OPEN).update(
        status=GroupStatus.FULL, confirmed_at=now, updated_at=now
    )
    if not confirmed:
        return
    campaign = group.campaign
    zone = ZoneInfo(campaign.clinic.timezone)
    last_day = timezone.localtime(now, zone).date() + timedelta(
        days=campaign.voucher_valid_days - 1
    )
    valid_until = datetime.combine(last_day, time(23, 59, 59), tzinfo=zone)
    issuer = ports.vouchers()
    members = list(
        GroupMember.objects.select_related("user").filter(
            group_id=group.pk, status=MemberStatus.PAID
        )
    )
    for member in members:
        code = ""
        if issuer is not None:
            voucher = issuer.issue(
                source=member.reference,
                owner=member.user,
                service=campaign.service,
                title=campaign.title,
                paid_fen=member.amount_fen,
                valid_until=valid_until,
            )
            code = voucher.code
        _tell(
            member,
            kind="group_buy_confirmed",
            params={"campaign": campaign.title, "code": code, "link": reverse("web:vouchers")},
            key=f"group_buy_confirmed:{member.public_id}",
        )


def _tell(member: GroupMember, *, kind: str, params: dict, key: str) -> None:
    user = member.user
    transaction.on_commit(
        lambda: messaging.notify(
            recipient=user,
            kind=kind,
            params=params,
            key=key,
            object_type="growth.group",
            object_id=str(member.group.public_id),
        )
    )


def _release(member: GroupMember, group: Group, *, now: datetime) -> bool:
    """Give a pending member's place back (their payment closed unpaid)."""
    released = GroupMember.objects.filter(pk=member.pk, status=MemberStatus.PENDING).update(
        status=MemberStatus.RELEASED, closed_at=now, updated_at=now
    )
    if not released:
        return False
    if group.status in FORMING:
        Group.objects.filter(pk=group.pk, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1, updated_at=now
        )
    if member.is_leader and group.status == GroupStatus.PENDING:
        # The leader never paid: the group never opened and its campaign gets it back.
        cancelled = Group.objects.filter(pk=group.pk, status=GroupStatus.PENDING).update(
            status=GroupStatus.CANCELLED, closed_at=now, updated_at=now
        )
        if cancelled:
            _give_back_stock(group)
    return True


def _give_back_stock(group: Group) -> None:
    GroupBuyCampaign.objects.filter(pk=group.campaign_id, groups_left__lt=F("stock")).update(
        groups_left=F("groups_left") + 1, updated_at=timezone.now()
    )


def member_payment_closed(*, reference: str) -> None:
    """The member's payment closed unpaid: their place goes back to the group."""
    member = _locked_member(reference)
    if member is None:
        return
    group = Group.objects.select_for_update().get(pk=member.group_id)
    _release(member, group, now=timezone.now())


def member_refunded(*, reference: str) -> None:
    """All of a member's money went back (the desk refunded a confirmed place): the
    place is refunded and its unused voucher with it."""
    member = _locked_member(reference)
    if member is None:
        return
    now = timezone.now()
    was_paid = member.status == MemberStatus.PAID
    # A late payment for a lost place, refunded, leaves its place refunded too.
    moved = GroupMember.objects.filter(
        pk=member.pk,
        status__in=(MemberStatus.PAID, MemberStatus.PENDING, MemberStatus.RELEASED),
    ).update(status=MemberStatus.REFUNDED, closed_at=now, updated_at=now)
    issuer = ports.vouchers()
    if moved and was_paid and issuer is not None:
        issuer.withdraw(source=member.reference)


# --- groups that did not fill ------------------------------------------------------------


def group_dissolve(*, group: Group, now: datetime | None = None) -> bool:
    """Dissolve a forming group whose time is up: every paid member is refunded in full
    and told, every unpaid place's payment closed. Returns whether this call dissolved it;
    a second call (or a group confirmed meanwhile) changes nothing."""
    now = now or timezone.now()
    money = ports.payments()
    with transaction.atomic():
        locked = Group.objects.select_for_update().select_related("campaign").get(pk=group.pk)
        if locked.status not in FORMING or locked.expires_at > now:
            return False
        Group.objects.filter(pk=locked.pk).update(
            status=GroupStatus.DISSOLVED, closed_at=now, updated_at=now
        )
        _give_back_stock(locked)
        campaign = locked.campaign
        pending = []
        for member in (
            GroupMember.objects.select_for_update()
            .select_related("user")
            .filter(group_id=locked.pk, status__in=(MemberStatus.PAID, MemberStatus.PENDING))
        ):
            member.group = locked
            if member.status == MemberStatus.PENDING:
                pending.append(member.reference)
                continue
            GroupMember.objects.filter(pk=member.pk).update(
                status=MemberStatus.REFUNDED, closed_at=now, updated_at=now
            )
            intent = money.intent_of(member.reference)
            if intent is not None:
                money.refund(
                    intent=intent,
                    reason=_("Group-buy did not fill in time"),
                    key=f"GB{member.public_id.hex[:28]}",
                )
            _tell(
                member,
                kind="group_buy_dissolved",
                params={"campaign": campaign.title, "amount": format_yuan(member.amount_fen)},
                key=f"group_buy_dissolved:{member.public_id}",
            )
    # Unpaid places: close their payments (a payment arriving now is refunded, the group
    # being dissolved). Outside the transaction: closing may ask the provider.
    for reference in pending:
        intent = money.intent_of(reference)
        try:
            if intent is not None:
                money.close(intent=intent, reason="group dissolved")
        except Exception:
            logger.exception("closing the payment of %s failed; it expires on its own", reference)
    return True


def groups_dissolve_expired(*, now: datetime | None = None) -> int:
    """The periodic job: dissolve every forming group whose time is up."""
    now = now or timezone.now()
    due = Group.objects.filter(status__in=FORMING, expires_at__lte=now).order_by("expires_at")
    dissolved = 0
    for group in due[:500]:
        try:
            dissolved += group_dissolve(group=group, now=now)
        except Exception:
            logger.exception("dissolving group %s failed; the next run tries again", group.pk)
    return dissolved

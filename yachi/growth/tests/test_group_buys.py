"""Group-buys (拼团): a group fills, is confirmed and gives each member a voucher; a group
that does not fill is dissolved and refunded; a place is never sold twice, and a payment
for a place lost goes back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from yachi.booking.models import ServiceVoucher
from yachi.compliance.models import AuditEntry
from yachi.core.errors import DomainError, PermissionDenied
from yachi.growth.groupbuys import services
from yachi.growth.groupbuys.choices import GroupStatus, MemberStatus
from yachi.growth.groupbuys.models import Group, GroupBuyCampaign, GroupMember
from yachi.growth.groupbuys.selectors import masked_name
from yachi.messaging.models import Notification
from yachi.payments import gateway
from yachi.payments.choices import IntentStatus, Method
from yachi.payments.models import PaymentIntent
from yachi.payments.providers.simulator import SIGNATURE_HEADER, SimulatorProvider, sign
from yachi.payments.services import intent_close
from yachi.shop.tests.conftest import pay

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def implant(world):
    return f.ServiceFactory(
        clinic=world.clinic_a,
        code="implant",
        name="种植牙",
        name_en="Dental implant",
        duration_minutes=60,
        price_fen=800000,
    )


def campaign_of(world, service, **extra) -> GroupBuyCampaign:
    now = timezone.now()
    values = {
        "actor": world.clinic_a_manager,
        "clinic": world.clinic_a,
        "service": service,
        "title": "3 人成团种植牙",
        "size": 3,
        "price_fen": 500000,
        "leader_discount_fen": 30000,
        "leader_benefit": "团长免麻醉费",
        "fill_hours": 48,
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(days=30),
        "stock": 5,
    }
    values.update(extra)
    return services.campaign_create(**values)


def patients(count: int, start: int = 10):
    return [f.patient_user(f"139000000{start + i:02d}", name=f"王{i}号") for i in range(count)]


def closed_while_paying(intent):
    """The payer opened the simulator; our side closed the intent (its window passed)."""
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    intent.refresh_from_db()
    intent_close(intent=intent, reason="expired", at_provider=False)


def pay_late(intent):
    """The provider's notification of that payment arrives after all."""
    body = SimulatorProvider().pay(intent.out_trade_no)
    gateway.callback_receive(
        method=Method.SIMULATOR, headers={SIGNATURE_HEADER: sign(body)}, body=body
    )
    intent.refresh_from_db()


def opened(world, campaign, leader=None):
    """A group whose leader has paid."""
    group, _member, intent = services.group_start(
        user=leader or world.patient_parent, campaign=campaign
    )
    pay(intent)
    group.refresh_from_db()
    return group


def test_a_manager_creates_a_campaign_audited_and_others_may_not(world, implant):
    campaign = campaign_of(world, implant)
    assert campaign.groups_left == 5 and campaign.leader_price_fen == 470000
    assert AuditEntry.objects.filter(
        action="group_buy_changed", object_id=str(campaign.public_id)
    ).exists()
    with pytest.raises(PermissionDenied):
        campaign_of(world, implant, actor=world.clinic_a_front_desk)
    with pytest.raises(DomainError):
        campaign_of(world, world.cleaning_b)  # another clinic's service
    with pytest.raises(DomainError):
        campaign_of(world, implant, size=1)
    with pytest.raises(DomainError):
        campaign_of(world, implant, leader_discount_fen=500000)
    assert GroupBuyCampaign.objects.count() == 1


def test_a_full_group_is_confirmed_at_once_and_each_member_gets_a_voucher(world, implant):
    campaign = campaign_of(world, implant)
    group, _leader, intent = services.group_start(user=world.patient_parent, campaign=campaign)
    assert group.status == GroupStatus.PENDING and intent.amount_fen == 470000
    # Nobody joins before the leader has paid.
    friend, other = patients(2)
    with pytest.raises(DomainError) as refused:
        services.group_join(user=friend, group=group)
    assert refused.value.code == "group_closed"
    pay(intent)
    group.refresh_from_db()
    assert group.status == GroupStatus.OPEN and group.paid_count == 1
    for user in (friend, other):
        _member, member_intent = services.group_join(user=user, group=group)
        assert member_intent.amount_fen == 500000
        pay(member_intent)
    group.refresh_from_db()
    assert group.status == GroupStatus.FULL and group.paid_count == 3 == group.size
    assert group.confirmed_at is not None
    vouchers = ServiceVoucher.objects.filter(source__startswith="growth.group_member:")
    assert sorted(v.owner_id for v in vouchers) == sorted(
        [world.patient_parent.pk, friend.pk, other.pk]
    )
    assert {v.service_id for v in vouchers} == {implant.pk}
    assert sorted(v.paid_fen for v in vouchers) == [470000, 500000, 500000]
    assert Notification.objects.filter(kind="group_buy_confirmed", channel="inbox").count() == 3
    # A confirmed group takes nobody else.
    (late,) = patients(1, start=30)
    with pytest.raises(DomainError) as refused:
        services.group_join(user=late, group=group)
    assert refused.value.code == "group_closed"


def test_a_second_place_a_full_group_and_a_closed_group_are_refused(world, implant):
    campaign = campaign_of(world, implant, size=2)
    group = opened(world, campaign)
    with pytest.raises(DomainError) as refused:
        services.group_join(user=world.patient_parent, group=group)
    assert refused.value.code == "already_member"
    (friend, stranger) = patients(2)
    services.group_join(user=friend, group=group)  # holds the last place while paying
    with pytest.raises(DomainError) as refused:
        services.group_join(user=stranger, group=group)
    assert refused.value.code == "group_full"
    assert GroupMember.objects.filter(group=group).count() == 2
    assert not PaymentIntent.objects.filter(payer=stranger).exists()
    # A leader leads one forming group of a campaign at a time.
    with pytest.raises(DomainError) as refused:
        services.group_start(user=world.patient_parent, campaign=campaign)
    assert refused.value.code == "already_leading"


def test_a_group_not_full_in_time_is_dissolved_and_everyone_refunded_once(world, implant):
    campaign = campaign_of(world, implant)
    group = opened(world, campaign)
    friend, slow = patients(2)
    _member, friend_intent = services.group_join(user=friend, group=group)
    pay(friend_intent)
    _, slow_intent = services.group_join(user=slow, group=group)  # never pays
    campaign.refresh_from_db()
    assert campaign.groups_left == 4
    later = timezone.now() + timedelta(hours=49)
    assert services.groups_dissolve_expired(now=later) == 1
    group.refresh_from_db()
    assert group.status == GroupStatus.DISSOLVED
    paid = PaymentIntent.objects.filter(
        reference__startswith="growth.group_member:", paid_at__isnull=False
    )
    assert paid.count() == 2
    assert set(paid.values_list("status", flat=True)) == {IntentStatus.REFUNDED}
    slow_intent.refresh_from_db()
    assert slow_intent.status == IntentStatus.CLOSED
    statuses = dict(GroupMember.objects.filter(group=group).values_list("user_id", "status"))
    assert statuses[world.patient_parent.pk] == MemberStatus.REFUNDED
    assert statuses[friend.pk] == MemberStatus.REFUNDED
    assert statuses[slow.pk] == MemberStatus.RELEASED
    assert Notification.objects.filter(kind="group_buy_dissolved", channel="inbox").count() == 2
    campaign.refresh_from_db()
    assert campaign.groups_left == 5  # the group's place in the stock came back
    assert not ServiceVoucher.objects.filter(source__startswith="growth.group_member:").exists()
    # The job again: nothing more happens.
    refunds = sum(i.refunds.count() for i in paid)
    assert services.groups_dissolve_expired(now=later) == 0
    assert services.group_dissolve(group=group, now=later) is False
    assert sum(i.refunds.count() for i in paid) == refunds == 2
    assert Notification.objects.filter(kind="group_buy_dissolved", channel="inbox").count() == 2


def test_a_payment_for_a_place_lost_is_refunded(world, implant):
    campaign = campaign_of(world, implant, size=2)
    group = opened(world, campaign)
    slow, quick = patients(2)
    _, slow_intent = services.group_join(user=slow, group=group)
    closed_while_paying(slow_intent)
    group.refresh_from_db()
    assert group.seats_taken == 1  # the place went back
    _, quick_intent = services.group_join(user=quick, group=group)
    pay(quick_intent)
    group.refresh_from_db()
    assert group.status == GroupStatus.FULL
    # The slow payer's money arrives after all: no place for it, so it goes back.
    pay_late(slow_intent)
    assert slow_intent.status == IntentStatus.REFUNDED
    assert group.members.filter(status=MemberStatus.PAID).count() == 2
    assert not ServiceVoucher.objects.filter(owner=slow).exists()


def test_a_late_payment_takes_a_place_still_free(world, implant):
    campaign = campaign_of(world, implant, size=3)
    group = opened(world, campaign)
    (slow,) = patients(1)
    _, slow_intent = services.group_join(user=slow, group=group)
    closed_while_paying(slow_intent)
    pay_late(slow_intent)
    group.refresh_from_db()
    assert group.paid_count == 2 and group.seats_taken == 2
    assert GroupMember.objects.get(user=slow).status == MemberStatus.PAID


def test_a_leader_who_does_not_pay_cancels_the_group_and_gives_its_stock_back(world, implant):
    campaign = campaign_of(world, implant, stock=1)
    group, _, intent = services.group_start(user=world.patient_parent, campaign=campaign)
    (other,) = patients(1)
    with pytest.raises(DomainError) as refused:
        services.group_start(user=other, campaign=campaign)
    assert refused.value.code == "campaign_sold_out"
    intent_close(intent=intent, reason="expired", at_provider=False)
    group.refresh_from_db()
    assert group.status == GroupStatus.CANCELLED
    campaign.refresh_from_db()
    assert campaign.groups_left == 1
    services.group_start(user=other, campaign=campaign)


def test_a_stopped_campaign_starts_no_group(world, implant):
    campaign = campaign_of(world, implant)
    services.campaign_set_status(actor=world.clinic_a_manager, campaign=campaign, status="stopped")
    with pytest.raises(DomainError) as refused:
        services.group_start(user=world.patient_parent, campaign=campaign)
    assert refused.value.code == "campaign_not_running"
    assert not Group.objects.exists()


def test_members_are_shown_masked(world):
    assert masked_name(world.patient_parent) == "张**"
    user = f.patient_user("13912345678", name="")
    user.name = ""
    assert masked_name(user) == "139****5678"

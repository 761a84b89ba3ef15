"""Campaigns: a saved segment's patients get a message or a coupon once, by a job whose
progress the page shows, within consent and the advertising rules."""

import pytest
from django.urls import reverse

from yachi.core.errors import Conflict
from yachi.crm.campaigns import services
from yachi.crm.campaigns.models import Campaign, Recipient
from yachi.crm.campaigns.tasks import campaign_send_job
from yachi.crm.segments.services import segment_save
from yachi.crm.tests.history import visit
from yachi.growth.models import Coupon, CouponTemplate
from yachi.growth.promotion import ContentRefused
from yachi.messaging.models import Notification
from yachi.messaging.services import preference_update


@pytest.fixture
def segment(world):
    visit(world, world.parent, world.cleaning_a, 200)
    visit(world, world.patient_child, world.cleaning_a, 20)
    visit(world, world.other, world.cleaning_a, 250)
    preference_update(user=world.other_patient, sms=True, wechat=True, marketing=False)
    return segment_save(
        actor=world.clinic_a_manager,
        clinic=world.clinic_a,
        name="洁牙老客",
        definition={
            "match": "all",
            "groups": [
                {
                    "match": "all",
                    "criteria": [{"code": "service", "value": {"codes": ["cleaning"]}}],
                }
            ],
        },
    )


def test_a_message_reaches_who_accepts_offers_once(
    world, segment, django_capture_on_commit_callbacks
):
    campaign = services.campaign_create(
        actor=world.clinic_a_manager,
        segment=segment,
        name="冬季护齿",
        kind="message",
        text="冬季护齿季，预约洁牙可享专业口腔检查。",
        channels=["sms", "inbox"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_start(actor=world.clinic_a_manager, campaign=campaign)
    outcomes = dict(
        Recipient.objects.filter(campaign=campaign).values_list("patient_id", "outcome")
    )
    assert outcomes == {
        world.parent.pk: "sent",
        world.patient_child.pk: "sent",
        world.other.pk: "no_consent",
    }
    sent = Notification.objects.filter(kind="crm_campaign")
    assert set(sent.values_list("recipient_id", flat=True)) == {world.patient_parent.pk}
    # Two family members: two messages to the holder, one per channel each.
    assert sent.count() == 4
    campaign.refresh_from_db()
    assert campaign.status == "sent" and campaign.audience == 3
    # The job again (a retry, a second consumer) reaches nobody twice.
    campaign_send_job.call_local(campaign.pk)
    assert Notification.objects.filter(kind="crm_campaign").count() == 4
    with pytest.raises(Conflict):
        services.campaign_start(actor=world.clinic_a_manager, campaign=campaign)
    progress = services.campaign_progress(campaign)
    assert progress == {
        "audience": 3,
        "done": 3,
        "percent": 100,
        "reached": 2,
        "no_consent": 1,
        "removed": 0,
        "failed": 0,
    }


def test_a_coupon_campaign_gives_each_patient_one_coupon(
    world, segment, django_capture_on_commit_callbacks
):
    template = CouponTemplate.objects.create(
        name="洁牙立减30元", kind="fixed_amount", amount_off_fen=3000, valid_days=30
    )
    campaign = services.campaign_create(
        actor=world.clinic_a_manager,
        segment=segment,
        name="回馈老客",
        kind="coupon",
        coupon_template=str(template.public_id),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_start(actor=world.clinic_a_manager, campaign=campaign)
    # A retry of the batch after a crash: recipients set back to waiting are given nothing twice.
    Recipient.objects.filter(campaign=campaign).update(outcome="pending")
    campaign_send_job.call_local(campaign.pk)
    coupons = Coupon.objects.filter(template=template)
    assert coupons.count() == 2 and set(coupons.values_list("owner_id", flat=True)) == {
        world.patient_parent.pk
    }


def test_words_that_break_the_advertising_rules_are_refused(world, segment):
    with pytest.raises(ContentRefused):
        services.campaign_create(
            actor=world.clinic_a_manager,
            segment=segment,
            name="最好的洁牙",
            kind="message",
            text="全国最好的牙医，100%无痛根治",
            channels=["sms"],
        )
    assert not Campaign.objects.exists()


def test_the_console_creates_sends_and_follows_a_campaign(
    client, world, segment, django_capture_on_commit_callbacks
):
    client.force_login(world.clinic_a_manager)
    url = reverse("console:crm_campaigns", args=[world.clinic_a.public_id])
    response = client.post(
        url,
        {
            "name": "复诊提醒",
            "segment": str(segment.public_id),
            "kind": "message",
            "text": "您好，欢迎回店复查。",
            "channels": ["inbox"],
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="复诊提醒")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse(
                "console:crm_campaign_send", args=[world.clinic_a.public_id, campaign.public_id]
            )
        )
    assert sent.status_code == 302
    page = client.get(
        reverse("console:crm_campaign", args=[world.clinic_a.public_id, campaign.public_id]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="progress",
    )
    assert page.status_code == 200
    assert "3 / 3" in page.content.decode() and 'id="progress"' in page.content.decode()

"""The 活动 tab, a group's page with its share link, the streak calendar, and the console's
group-buys and challenges."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from yachi.growth.challenges.models import CheckIn
from yachi.growth.groupbuys.models import Group, GroupBuyCampaign
from yachi.growth.tests.test_challenges import brushing
from yachi.growth.tests.test_group_buys import campaign_of
from yachi.payments.models import PaymentIntent

pytestmark = pytest.mark.django_db


def test_the_activities_tab_shows_group_buys_and_challenges(client, world):
    service = f.ServiceFactory(clinic=world.clinic_a, code="implant", name="种植牙")
    campaign = campaign_of(world, service)
    challenge = brushing(world)
    client.force_login(world.patient_parent)
    page = client.get(reverse("web:activities")).content.decode()
    assert "拼团" in page and campaign.title in page and "团长免麻醉费" in page
    assert "打卡" in page and challenge.title in page
    assert 'aria-current="page"' in page and "活动" in page
    # Starting a group goes to its payment.
    answer = client.post(reverse("web:group_buy_start", args=[campaign.public_id]))
    intent = PaymentIntent.objects.get(payer=world.patient_parent)
    assert answer.status_code == 302 and answer["Location"] == f"/pay/{intent.public_id}/"
    group = Group.objects.get()
    page = client.get(reverse("web:group", args=[group.public_id])).content.decode()
    assert "张**" in page and "张妈妈" not in page
    assert f"/groups/{group.public_id}/" in page  # the share link


def test_a_group_page_offers_to_join_and_shows_refusals(client, world):
    service = f.ServiceFactory(clinic=world.clinic_a, code="implant", name="种植牙")
    campaign = campaign_of(world, service)
    from yachi.growth.groupbuys import services

    group, _, _ = services.group_start(user=world.patient_parent, campaign=campaign)
    client.force_login(world.other_patient)
    page = client.get(reverse("web:group", args=[group.public_id])).content.decode()
    assert "团长付款后" in page  # not open yet
    answer = client.post(reverse("web:group_join", args=[group.public_id]), follow=True)
    assert "团长付款后" in answer.content.decode()
    assert not PaymentIntent.objects.filter(payer=world.other_patient).exists()
    assert client.get(reverse("web:group", args=["nope"])).status_code == 404


def test_checking_in_from_the_calendar_page_with_htmx(client, world):
    challenge = brushing(world)
    client.force_login(world.patient_parent)
    url = reverse("web:challenge", args=[challenge.public_id])
    page = client.get(url).content.decode()
    assert "今日打卡" in page and "streak-calendar" in page
    check_in = reverse("web:challenge_check_in", args=[challenge.public_id])
    fragment = client.post(check_in, headers={"HX-Request": "true"}).content.decode()
    assert "连续 1 天" in fragment and 'class="checked' in fragment
    assert "<html" not in fragment
    again = client.post(check_in, headers={"HX-Request": "true"}).content.decode()
    assert "今天已经打过卡" in again
    assert CheckIn.objects.count() == 1


def test_managers_create_and_stop_campaigns_and_challenges_in_the_console(client, world):
    service = f.ServiceFactory(clinic=world.clinic_a, code="implant", name="种植牙")
    client.force_login(world.clinic_a_manager)
    url = reverse("console:group_buys", args=[world.clinic_a.public_id])
    assert client.get(url).status_code == 200
    now = timezone.localtime(timezone.now())
    answer = client.post(
        url,
        {
            "title": "3 人成团种植牙",
            "service": str(service.public_id),
            "size": 3,
            "price": "5000",
            "leader_discount": "300",
            "leader_benefit": "团长免麻醉费",
            "fill_hours": 48,
            "stock": 10,
            "voucher_valid_days": 90,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    campaign = GroupBuyCampaign.objects.get()
    assert answer.status_code == 302 and campaign.leader_discount_fen == 30000
    detail = client.get(answer["Location"]).content.decode()
    assert "3 人成团种植牙" in detail
    client.post(
        reverse("console:group_buy_status", args=[world.clinic_a.public_id, campaign.public_id]),
        {"status": "stopped"},
    )
    campaign.refresh_from_db()
    assert campaign.status == "stopped"
    # A front desk sees the list but creates nothing.
    client.force_login(world.clinic_a_front_desk)
    page = client.get(url).content.decode()
    assert "新建拼团" not in page
    bad = client.post(url, {"title": "x"})
    assert bad.status_code == 302 and GroupBuyCampaign.objects.count() == 1
    # Challenges.
    from yachi.growth.tests.conftest import template

    reward = template(name="免费刷头", kind="free_item")
    client.force_login(world.clinic_a_manager)
    url = reverse("console:challenges", args=[world.clinic_a.public_id])
    today = timezone.localdate()
    answer = client.post(
        url,
        {
            "title": "连续 7 天刷牙打卡",
            "days_required": 7,
            "reward": str(reward.public_id),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert answer.status_code == 302
    assert "连续 7 天刷牙打卡" in client.get(answer["Location"]).content.decode()


def test_the_activities_tab_shows_the_newest_articles_and_the_open_case_contests(client, world):
    from yachi.growth.tests.test_articles import draft, published
    from yachi.growth.tests.test_cases import contest, enter

    article = published(world, title="智齿要不要拔？3 个自测方法")
    hidden = draft(world, title="还没发布的文章")
    running = contest(world)
    entry = enter(world.patient_parent, running)
    client.force_login(world.patient_parent)
    page = client.get(reverse("web:activities")).content.decode()
    assert article.title in page and hidden.title not in page
    assert reverse("web:article", args=[article.public_id]) in page
    assert running.title in page and reverse("web:case_contest", args=[running.public_id]) in page
    # The tab names contests, never an entry (ADR 0049).
    assert str(entry.public_id) not in page

"""The 活动 tab on a phone (a group-buy's group with its share link, a challenge's streak
calendar, checking in) and the console's group-buys and challenges on a desk's screen."""

import time
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from tests.browser.test_patient_books import log_in
from yachi.accounts import staff_auth
from yachi.growth.challenges import services as challenges
from yachi.growth.groupbuys import services as groupbuys
from yachi.growth.tests.test_challenges import brushing
from yachi.growth.tests.test_group_buys import campaign_of
from yachi.shop.tests.conftest import pay

pytestmark = pytest.mark.browser


def _activities(world):
    implant = f.ServiceFactory(
        clinic=world.clinic_a, code="implant", name="种植牙", duration_minutes=60
    )
    campaign = campaign_of(world, implant)
    group, _, intent = groupbuys.group_start(user=world.patient_parent, campaign=campaign)
    pay(intent)
    friend = f.patient_user("13900000077", name="李晓红")
    _, intent = groupbuys.group_join(user=friend, group=group)
    pay(intent)
    challenge = brushing(world)
    for ago in (3, 2, 1):
        challenges.check_in(
            user=world.patient_parent,
            challenge=challenge,
            now=timezone.now() - timedelta(days=ago),
        )
    return campaign, group, challenge


def test_the_activities_tab_a_group_and_a_streak_on_a_phone(live_server, world, phone_page):
    _campaign, group, challenge = _activities(world)
    page, base = phone_page, live_server.url
    log_in(page, base, world.patient_parent.phone)
    page.get_by_role("link", name="活动").click()
    expect(page.get_by_role("heading", name="拼团", exact=True)).to_be_visible()
    expect(page.get_by_text("3 人成团种植牙").first).to_be_visible()
    expect(page.get_by_text("连续 7 天刷牙打卡").first).to_be_visible()
    screenshot(page, "activities-tab-390")

    page.locator(f"a[href='/groups/{group.public_id}/']").first.click()
    expect(page.get_by_test_id("group-status")).to_have_text("拼团中")
    expect(page.get_by_text("李**")).to_be_visible()
    assert str(group.public_id) in page.locator("#share-link").input_value()
    screenshot(page, "activities-group-390")

    page.goto(f"{base}/challenges/{challenge.public_id}/")
    expect(page.get_by_test_id("streak")).to_have_text("连续 3 天")
    page.get_by_role("button", name="今日打卡").click()
    expect(page.get_by_test_id("streak")).to_have_text("连续 4 天")
    expect(page.get_by_role("button", name="今日已打卡")).to_be_disabled()
    assert page.locator(".streak-calendar td.checked").count() >= 1
    screenshot(page, "activities-streak-390")


def test_the_consoles_group_buys_and_challenges_at_1366(live_server, world, browser):
    campaign, _group, _challenge = _activities(world)
    manager = world.clinic_a_manager
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=manager, secret=secret, code=pyotp.TOTP(secret).now())
    with checked_page(browser, width=1366, height=900) as page:
        base = live_server.url
        page.goto(f"{base}/console/login/")
        page.fill("input[name=phone]", manager.phone)
        page.fill("input[name=password]", f.STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
        page.click("button[type=submit]")
        clinic = world.clinic_a.public_id
        page.goto(f"{base}/console/clinic/{clinic}/group-buys/")
        expect(page.get_by_role("heading", name="新建拼团")).to_be_visible()
        screenshot(page, "activities-console-group-buys-1366")
        page.get_by_role("link", name="3 人成团种植牙").click()
        expect(page.get_by_text("张** (团长)")).to_be_visible()
        screenshot(page, "activities-console-group-buy-1366")
        page.goto(f"{base}/console/clinic/{clinic}/challenges/")
        page.get_by_role("link", name="连续 7 天刷牙打卡").click()
        expect(page.get_by_role("cell", name="张**")).to_be_visible()
        screenshot(page, "activities-console-challenge-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/console/clinic/{clinic}/group-buys/{campaign.public_id}/")
        screenshot(page, "activities-console-group-buy-390")

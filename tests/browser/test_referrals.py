"""Referrals in the browser: a patient's invite page with its QR poster, a friend who signs
up through the link, and the manager's campaigns and fraud review queue, at 390 and 1366 px."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from tests.browser.test_patient_app_on_a_phone import TARGETS
from tests.browser.test_patient_books import sms_code
from yachi.accounts import staff_auth
from yachi.growth.facade import invite_code_for
from yachi.growth.models import Referral
from yachi.growth.tests.referral_helpers import campaign, first_visit, sign_up

pytestmark = pytest.mark.browser


def _log_in(page, base, phone):
    page.fill("input[name=phone]", phone)
    page.click("button:has-text('获取验证码')")
    page.fill("input[name=code]", sms_code(phone))
    page.click("button:has-text('登录')")


def test_a_patient_shares_an_invitation_and_a_friend_signs_up_with_it(live_server, world, browser):
    campaign()
    friend, _ = sign_up(inviter=world.patient_parent)
    sign_up(inviter=friend)
    code = invite_code_for(world.patient_parent)
    base = live_server.url
    with checked_page(browser, width=390, height=844) as page:
        page.goto(f"{base}/login/")
        _log_in(page, base, world.patient_parent.phone)
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/me/")
        page.get_by_role("link", name="邀请好友").click()
        expect(page.get_by_role("heading", name="邀请好友")).to_be_visible()
        expect(page.get_by_test_id("invite-code")).to_have_text(code)
        expect(page.get_by_test_id("first-level")).to_have_text("1")
        expect(page.get_by_test_id("second-level")).to_have_text("1")
        expect(page.locator(".invite-qr svg")).to_be_visible()
        assert page.evaluate(TARGETS) == []
        screenshot(page, "patient-invite-390")
        page.set_viewport_size({"width": 1366, "height": 900})
        screenshot(page, "patient-invite-1366")

    with checked_page(browser, width=390, height=844) as page:
        page.goto(f"{base}/i/{code}/")
        expect(page.locator("input[name=invite_code]")).to_have_value(code)
        screenshot(page, "friend-login-with-invite-390")
        _log_in(page, base, "13912349876")
        expect(page.get_by_text("欢迎！你通过")).to_be_visible()
        screenshot(page, "friend-signed-up-390")
    from yachi.accounts.facade import patient_user_by_phone

    joined = Referral.objects.get(invitee=patient_user_by_phone("13912349876"))
    assert joined.inviter == world.patient_parent and joined.status == "pending"
    assert joined.device_hash  # the page sent the device's signals


def test_a_manager_reviews_held_rewards_and_keeps_campaigns(live_server, world, browser):
    manager = world.clinic_a_manager
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=manager, secret=secret, code=pyotp.TOTP(secret).now())
    campaign()
    farmer, _ = sign_up()
    farm = [sign_up(inviter=farmer, device="one-phone")[0] for _ in range(5)]
    for account in farm:
        first_visit(account)
    ordinary, _ = sign_up(inviter=world.other_patient)
    first_visit(ordinary)
    with checked_page(browser, width=1366, height=900) as page:
        page.goto(f"{live_server.url}/console/login/")
        page.fill("input[name=phone]", manager.phone)
        page.fill("input[name=password]", f.STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
        page.click("button[type=submit]")
        page.wait_for_url("**/console/**")
        page.click("text=邀请活动")
        expect(page.get_by_role("heading", name="邀请活动")).to_be_visible()
        expect(page.locator("table tbody tr")).to_have_count(1)
        screenshot(page, "console-referral-campaigns-1366")
        page.get_by_role("link", name="新建活动").click()
        screenshot(page, "console-referral-campaign-form-1366")
        page.goto(f"{live_server.url}/console/fraud/")
        cards = page.locator("article.review")
        expect(cards).to_have_count(5)
        expect(cards.first).to_contain_text("同一设备上有")
        screenshot(page, "console-fraud-review-1366")
        cards.first.get_by_role("button", name="批准并发放").click()
        expect(page.get_by_text("已批准：奖励已发放。")).to_be_visible()
        second = page.locator("article.review").nth(1)
        second.get_by_label("原因").fill("一台设备注册多个账号")
        second.get_by_role("button", name="驳回").click()
        expect(page.get_by_text("已驳回：奖励不予发放。")).to_be_visible()
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        screenshot(page, "console-fraud-review-390")
        page.goto(f"{live_server.url}/console/referrals/")
        screenshot(page, "console-referral-campaigns-390")

"""我的 → 登录设备: a patient sees the phones their account is logged in on and logs a
lost one out."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_patient_app_on_a_phone import TARGETS
from tests.browser.test_patient_books import log_in
from yachi.accounts.services import token_issue, token_user

pytestmark = pytest.mark.browser


def test_a_patient_logs_a_lost_phone_out(live_server, world, phone_page):
    lost = token_issue(user=world.patient_parent, label="sms-login", device="Android/mini-program")
    token_issue(user=world.patient_parent, label="wechat-login", device="iPhone/wechat")
    page, base = phone_page, live_server.url
    log_in(page, base, world.patient_parent.phone)
    page.wait_for_selector("text=待就诊")
    page.goto(f"{base}/me/")
    page.get_by_role("link", name="登录设备").click()
    expect(page.get_by_role("heading", name="登录设备")).to_be_visible()
    rows = page.locator("ul.list li")
    expect(rows).to_have_count(2)
    assert page.evaluate(TARGETS) == []
    screenshot(page, "patient-devices")

    page.locator("li", has_text="Android").get_by_role("button", name="退出登录").click()
    page.get_by_role("dialog").get_by_role("button", name="确定").click()
    expect(page.get_by_text("该设备已退出登录。")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("iPhone · 微信（微信登录）")
    assert token_user(lost) is None

"""The front desk settles a bill with medical insurance on its computer (1366 px) and
reverses it; the same screens and the catalogue page on a phone-sized window (390 px)."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from yachi.accounts import staff_auth
from yachi.insurance.tests.conftest import (
    CREDENTIAL,
    bill,
    platform,  # noqa: F401 - the fake, as a fixture
    set_up_clinic,
)

pytestmark = pytest.mark.browser


def _log_in(page, base, user, secret):
    page.goto(f"{base}/console/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", f.STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button[type=submit]")


def test_the_desk_checks_identity_pre_settles_settles_and_reverses_at_1366_and_390(
    live_server,
    world,
    browser,
    platform,  # noqa: F811
):
    set_up_clinic(world)
    desk = world.clinic_a_manager
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=desk, secret=secret, code=pyotp.TOTP(secret).now())
    first, second = bill(world, "filling", "cleaning"), bill(world, "filling")
    base = live_server.url
    with checked_page(browser, width=1366, height=900) as page:
        _log_in(page, base, desk, secret)
        page.goto(f"{base}/console/payments/{first.public_id}/insurance/")
        page.get_by_label("医保电子凭证码").fill(CREDENTIAL)
        page.get_by_role("button", name="核验身份").click()
        expect(page.get_by_test_id("insured")).to_contain_text("李秀英")
        page.get_by_role("button", name="预结算").click()
        expect(page.get_by_test_id("fund")).to_have_text("¥371.00")
        screenshot(page, "insurance-pre-settled-1366")
        page.get_by_test_id("settle").click()
        expect(page.get_by_test_id("bill-total")).to_have_text("¥129.00")
        page.goto(f"{base}/console/payments/{first.public_id}/insurance/")
        settled = page.get_by_test_id("settlement-settled")
        settled.get_by_label("原因").first.fill("选错参保人")
        settled.get_by_role("button", name="冲正（当日）").click()
        page.get_by_role("dialog").get_by_role("button", name="确定").click()
        expect(page.get_by_test_id("settlement-reversed")).to_be_visible()
        expect(page.get_by_test_id("due")).to_have_text("¥550.00")
        screenshot(page, "insurance-reversed-1366")
        page.goto(f"{base}/console/clinic/{world.clinic_a.public_id}/insurance/catalogue/")
        expect(page.get_by_test_id("unmapped")).to_contain_text("未对照")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/console/payments/{second.public_id}/insurance/")
        page.get_by_label("医保电子凭证码").fill(CREDENTIAL)
        page.get_by_role("button", name="核验身份").click()
        page.get_by_role("button", name="预结算").click()
        expect(page.get_by_test_id("self")).to_be_visible()
        screenshot(page, "insurance-pre-settled-390")
        page.goto(f"{base}/console/clinic/{world.clinic_a.public_id}/insurance/catalogue/")
        expect(page.get_by_test_id("item-service-filling")).to_be_visible()
        screenshot(page, "insurance-catalogue-390")

"""The console's clinic switch names the clinic and the role held there in full, on a
phone as on the desk's computer; a manager's pages pass the accessibility check."""

import time

import pyotp
import pytest

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from yachi.accounts import staff_auth
from yachi.core.roles import ChainRole

pytestmark = pytest.mark.browser

# The selected option's text against the room the select gives it (less its arrow).
FITS = """
(select) => {
  const context = document.createElement("canvas").getContext("2d");
  context.font = getComputedStyle(select).font;
  const text = context.measureText(select.selectedOptions[0].text).width;
  const style = getComputedStyle(select);
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
  return [select.selectedOptions[0].text, Math.ceil(text), Math.floor(room)];
}
"""


def test_the_clinic_switch_shows_the_whole_role_at_390_and_1366_px(live_server, world, browser):
    user = f.StaffFactory(name="林峰")
    f.chain_role(user, world.chain, ChainRole.REGIONAL_MANAGER, [world.clinic_a, world.clinic_b])
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    with checked_page(browser, width=390, height=844) as page:
        base = live_server.url
        page.goto(f"{base}/console/login/")
        page.fill("input[name=phone]", user.phone)
        page.fill("input[name=password]", f.STAFF_PASSWORD)
        page.click("button[type=submit]")
        # The code of the next 30-second window: the current one was spent on enrolment.
        page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
        page.click("button[type=submit]")
        switch = page.locator(".clinic-switch select")
        # Logged in only once the console has come: a reload while the log-in's redirect is
        # still on its way finds no page to reload.
        switch.wait_for(state="attached")
        for width, height in ((390, 844), (1366, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            label, text, room = switch.evaluate(FITS)
            assert "区域经理" in label
            assert text <= room, (width, label, text, room)
            screenshot(page, f"console-clinic-switch-{width}")

        # The manager's own pages, checked for accessibility as they open.
        for path in (
            "audit/",
            f"points/?phone={world.patient_parent.phone}",
            "shop/products/",
            "patients/?q=张",
        ):
            page.goto(f"{base}/console/{path}")


def test_on_a_phone_the_sections_wait_behind_the_menu_and_on_the_desk_they_are_in_view(
    live_server, world, browser
):
    for width, height in ((390, 844), (1366, 900)):
        with checked_page(browser, width=width, height=height) as page:
            page.goto(f"{live_server.url}/console/login/")
            page.fill("input[name=phone]", world.clinic_a_front_desk.phone)
            page.fill("input[name=password]", f.STAFF_PASSWORD)
            page.click("button[type=submit]")
            payments = page.get_by_role("link", name="支付")
            log_out = page.get_by_role("button", name="退出登录")
            if width == 390:
                assert not payments.is_visible() and not log_out.is_visible()
                # The page itself starts near the top, not below thirty links.
                assert page.locator("main h1").bounding_box()["y"] < 200
                page.get_by_text("菜单").click()
            assert payments.is_visible() and log_out.is_visible()
            screenshot(page, f"console-menu-{width}")
            payments.click()
            page.wait_for_url("**/payments/")

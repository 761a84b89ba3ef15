"""A manager's dashboards on the desk's computer and on a phone: the figures load behind
an indicator, the charts draw, a figure opens the patients behind it. Every page opened
passes the accessibility check."""

import time

import pyotp
import pytest

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from yachi.accounts import staff_auth
from yachi.crm.tests.reports.data import a_week

pytestmark = pytest.mark.browser


def test_a_managers_dashboard_at_1366_and_390_px(live_server, world, browser):
    week = a_week(world)
    manager = world.clinic_a_manager
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=manager, secret=secret, code=pyotp.TOTP(secret).now())
    base = live_server.url
    query = f"clinic_id={world.clinic_a.public_id}&date_from={week['from']}&date_to={week['to']}"
    with checked_page(browser, width=1366, height=900) as page:
        page.goto(f"{base}/console/login/")
        page.fill("input[name=phone]", manager.phone)
        page.fill("input[name=password]", f.STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
        page.click("button[type=submit]")
        page.goto(f"{base}/console/reports/?{query}")
        page.wait_for_selector(".kpis")
        page.wait_for_selector("[data-chart] canvas")
        assert "¥148.00" in page.locator(".kpis").inner_text()
        screenshot(page, "console-dashboards-1366")
        page.click(".kpi:has-text('新患者')")
        page.wait_for_selector("table.week")
        assert "张小宝" in page.locator("table.week").inner_text()
        screenshot(page, "console-dashboard-list-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/console/reports/?{query}")
        page.wait_for_selector("[data-chart] canvas")
        screenshot(page, "console-dashboards-390")

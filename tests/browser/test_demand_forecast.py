"""The front desk opens the demand forecast from the console on the desk's computer and on
a phone: the chart of forecast against bookings, the table per skill and the backtest's
error, in Chinese; the page passes the accessibility check."""

from datetime import timedelta

import pytest

from tests.browser.conftest import checked_page, console_log_in, screenshot
from yachi.rostering.tests.helpers import forecast_history, this_monday

pytestmark = pytest.mark.browser


def test_the_front_desk_reads_last_weeks_forecast_against_bookings(live_server, world, browser):
    forecast_history(world)
    week = this_monday() - timedelta(weeks=1)
    with checked_page(browser, width=1366, height=900) as page:
        console_log_in(page, live_server.url, world.clinic_a_front_desk)
        page.click("nav >> text=需求预测")
        page.wait_for_url("**/forecast/")
        page.goto(f"{page.url}?week={week.isoformat()}")
        assert page.locator("h1").inner_text().startswith("需求预测")
        # ECharts drew the chart: booked bars beside the forecast and last week's lines.
        page.wait_for_selector(".chart canvas, .chart svg")
        rows = page.locator("table.week").first.locator("tbody tr")
        assert rows.count() == 2  # 综合 and 种植
        assert "平均绝对误差" in page.content()
        for width, height in ((390, 844), (1366, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            page.wait_for_selector(".chart canvas, .chart svg")
            screenshot(page, f"console-demand-forecast-{width}")

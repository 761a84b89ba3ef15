"""A patient books an appointment on their phone, from login to confirmation."""

import re

import pytest
from playwright.sync_api import expect

from conftest import tomorrow_at
from tests.browser.conftest import screenshot
from yachi.booking.models import Appointment
from yachi.messaging.providers.local import MemoryProvider

pytestmark = pytest.mark.browser


def sms_code(phone: str) -> str:
    text = [m.text for m in MemoryProvider.outbox if m.phone == phone][-1]
    return re.search(r"\d{6}", text).group()


def pick_tomorrow(page) -> None:
    """Click tomorrow in the 7-day grid and wait until its slots have replaced today's."""
    with page.expect_response(lambda r: "day=" in r.url):
        page.locator("a.day").nth(1).click()
    # The response arrives before htmx swaps it in; the assertion waits for the swap.
    expect(page.locator("a.day").nth(1)).to_have_attribute("aria-selected", "true")


def log_in(page, base: str, phone: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=phone]", phone)
    page.click("button:has-text('获取验证码')")
    page.fill("input[name=code]", sms_code(phone))
    page.click("button:has-text('登录')")


def test_patient_books_a_cleaning_through_the_app(live_server, world, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, world.patient_parent.phone)
    page.get_by_role("link", name="立即预约").click()

    page.get_by_role("link", name=re.compile("静安店")).click()
    page.get_by_role("link", name=re.compile("洁牙")).click()
    page.get_by_role("link", name=re.compile("王医生")).click()
    pick_tomorrow(page)
    screenshot(page, "patient-slots")
    page.locator("a.slot", has_text="10:00").click()

    page.wait_for_selector("text=确认预约")
    screenshot(page, "patient-confirm")
    page.get_by_role("button", name="确认预约").click()

    page.wait_for_selector("text=预约成功")
    screenshot(page, "patient-booked")
    assert page.get_by_test_id("status").inner_text() == "已预约"
    appointment = Appointment.objects.get()
    assert appointment.patient == world.parent
    assert appointment.doctor == world.clinic_a_doctor
    assert appointment.start == tomorrow_at(10)
    assert page.locator("text=10:00–10:30").count() == 1

    # The booked time is no longer offered.
    page.goto(page.url.split("/appointments/")[0] + "/book/")
    page.get_by_role("link", name=re.compile("静安店")).click()
    page.get_by_role("link", name=re.compile("洁牙")).click()
    page.get_by_role("link", name=re.compile("王医生")).click()
    pick_tomorrow(page)
    assert page.locator("a.slot", has_text="10:30").count() == 1
    assert page.locator("a.slot", has_text="10:00").count() == 0


def test_a_parent_books_themselves_and_a_child_back_to_back(live_server, world, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, world.patient_parent.phone)
    page.goto(f"{base}/book/")
    page.get_by_role("link", name=re.compile("静安店")).click()
    page.get_by_role("link", name=re.compile("洁牙")).click()
    page.get_by_role("link", name=re.compile("王医生")).click()
    with page.expect_response(lambda r: "who=" in r.url):
        page.locator("label.chip", has_text="张小宝").click()
    # The response arrives before htmx swaps the grid in; until then the day links
    # still book the holder alone.
    child = str(world.patient_child.public_id)
    expect(page.locator("a.day").nth(1)).to_have_attribute("href", re.compile(child))
    pick_tomorrow(page)
    page.locator("a.slot", has_text="14:00").click()
    page.wait_for_selector("text=确认预约")
    assert page.locator("text=14:30–15:00").count() == 1
    page.get_by_role("button", name="确认预约").click()
    page.wait_for_selector("text=预约成功")
    booked = Appointment.objects.order_by("start")
    assert [(a.patient, a.start) for a in booked] == [
        (world.parent, tomorrow_at(14)),
        (world.patient_child, tomorrow_at(14, 30)),
    ]

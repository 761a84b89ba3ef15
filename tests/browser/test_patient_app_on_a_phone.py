"""The patient app on a phone: icons drawn as SVG, targets a thumb can hit, text that
grows with the phone's font size, and confirmations asked in a dialog of the page."""

import pytest
from playwright.sync_api import expect

from conftest import tomorrow_at
from tests.browser.conftest import screenshot
from tests.browser.test_patient_books import log_in
from yachi.booking.services import appointments_book

pytestmark = pytest.mark.browser

# Every visible link, button and field a thumb aims at, with its size; links inside a
# sentence are exempt (WCAG 2.5.8), as are fields inside a label the size of a target.
TARGETS = """
() => [...document.querySelectorAll("a[href], button, select, input:not([type=hidden]), label.chip")]
  .filter((el) => el.offsetParent !== null && !el.closest("p, dialog:not([open]), .sr-only, .chip"))
  .map((el) => { const box = el.getBoundingClientRect();
    return [el.outerHTML.slice(0, 90), Math.round(box.width), Math.round(box.height)]; })
  .filter(([, width, height]) => width < 44 || height < 44)
"""


def test_tabs_targets_and_text_size_suit_a_phone(live_server, world, phone_page):
    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    )
    page, base = phone_page, live_server.url
    log_in(page, base, world.patient_parent.phone)
    page.wait_for_selector("text=待就诊")

    # The tab bar's icons are SVG, not characters of a font.
    tabs = page.locator("nav.tabbar a")
    expect(tabs).to_have_count(6)
    assert page.locator("nav.tabbar a > svg.icon use").count() == 6
    assert [tab.inner_text().strip() for tab in tabs.all()] == [
        "首页",
        "预约",
        "我的预约",
        "活动",
        "商城",
        "我的",
    ]

    visit = page.url
    for path in ("/", "/me/", "/family/", "/appointments/", "/book/", "/privacy/"):
        page.goto(base + path)
        assert page.evaluate(TARGETS) == [], path
    page.goto(base + "/appointments/")
    page.locator("a.appointment").first.click()
    page.wait_for_selector("[data-testid=status]")
    assert page.evaluate(TARGETS) == [], page.url
    assert page.locator(".topbar .back").bounding_box()["height"] >= 44
    screenshot(page, "patient-appointment-back-button")

    # The page may be zoomed, and its text follows the phone's font size.
    viewport = page.locator("meta[name=viewport]").get_attribute("content")
    assert "user-scalable" not in viewport and "maximum-scale" not in viewport
    page.goto(visit)
    sizes = "() => [document.body, document.querySelector('.topbar h1'), document.querySelector('.tabbar a')].map((el) => parseFloat(getComputedStyle(el).fontSize))"
    before = page.evaluate(sizes)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24}})
    page.reload()
    after = page.evaluate(sizes)
    assert [round(b / a, 2) for a, b in zip(before, after, strict=True)] == [1.5, 1.5, 1.5]


def test_a_confirmation_is_asked_in_a_dialog_of_the_page(live_server, world, phone_page):
    page, base = phone_page, live_server.url
    browser_dialogs = []
    page.on("dialog", lambda dialog: (browser_dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, base, world.patient_parent.phone)
    page.wait_for_selector("text=待就诊")
    page.goto(f"{base}/me/")
    everywhere = page.get_by_role("button", name="退出所有设备")

    everywhere.click()
    dialog = page.get_by_role("dialog", name="确定在所有手机和电脑上退出登录吗？")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="返回")).to_be_focused()
    page.evaluate("window.__yachiAxeCheck('dialog')")  # the open dialog passes axe too
    screenshot(page, "patient-confirm-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(everywhere).to_be_focused()
    assert page.url.endswith("/me/")

    everywhere.click()
    page.get_by_role("dialog").get_by_role("button", name="确定").click()
    page.wait_for_selector("text=已经是我们的患者？登录查看您的预约。")
    page.goto(f"{base}/me/")
    assert "/login/" in page.url
    assert browser_dialogs == []

"""The doctor opens a child's X-rays in the console and the parent in the app: dwv draws
two dates side by side, its tools answer, and the page stays within the Content Security
Policy; the page passes the accessibility check."""

from datetime import datetime

import pytest

from conftest import book_seen
from tests.browser.conftest import checked_page, console_log_in, screenshot
from tests.browser.test_patient_books import log_in
from yachi.imaging.dicom.synthetic import Picture, part10
from yachi.imaging.services import instance_receive

pytestmark = pytest.mark.browser


def _two_dates(world):
    book_seen(world)
    for day, seed in ((datetime(2026, 5, 4, 9), 1), (datetime(2026, 11, 2, 9), 2)):  # noqa: DTZ001
        instance_receive(
            clinic=world.clinic_a,
            data=part10(
                Picture(
                    patient_id=world.patient_child.chart_number,
                    taken_at=day,
                    rows=200,
                    columns=260,
                    seed=seed,
                )
            ),
        )


def _drawn(page):
    page.wait_for_function(
        "() => document.querySelectorAll('[data-xray-pane][data-loaded=true]').length === 2"
    )
    assert page.locator(".xray-layer canvas").count() >= 2


def test_the_desk_compares_two_dates_and_measures(live_server, world, browser):
    _two_dates(world)
    refused = []
    with checked_page(browser, width=1366, height=900) as page:
        page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
        console_log_in(page, live_server.url, world.clinic_a_front_desk)
        page.goto(f"{live_server.url}/console/patients/{world.patient_child.public_id}/xrays/")
        _drawn(page)
        left, right = page.locator("select[data-xray-choice]").all()
        assert left.input_value() != right.input_value()  # two dates side by side
        page.click("button[data-xray-tool=Draw]")
        box = page.locator(".xray-layer").first.bounding_box()
        page.mouse.move(box["x"] + 40, box["y"] + 40)
        page.mouse.down()
        page.mouse.move(box["x"] + 160, box["y"] + 120, steps=5)
        page.mouse.up()
        page.click("button[data-xray-tool=WindowLevel]")
        page.mouse.move(box["x"] + 100, box["y"] + 100)
        page.mouse.down()
        page.mouse.move(box["x"] + 150, box["y"] + 160, steps=5)
        page.mouse.up()
        screenshot(page, "console-xray-viewer")
    assert not [text for text in refused if "Content Security Policy" in text], refused


def test_the_parent_sees_the_childs_xrays_in_the_app(live_server, world, browser):
    _two_dates(world)
    with checked_page(browser, width=390, height=844) as page:
        log_in(page, live_server.url, world.patient_parent.phone)
        page.wait_for_selector("nav.tabbar")
        page.goto(f"{live_server.url}/xrays/{world.patient_child.public_id}/")
        _drawn(page)
        screenshot(page, "app-xray-viewer")

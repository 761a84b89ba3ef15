"""A doctor reviews the model's caries marks on a bitewing: confirms one, rejects one,
draws a box round a lesion the model missed; the agreement dashboard then shows the
version's figures. The same screens on a phone, and the patient's confirmed marks."""

from datetime import datetime

import pytest

from conftest import book_seen
from tests.browser.conftest import checked_page, console_log_in, screenshot
from tests.browser.test_patient_books import log_in
from yachi.imaging.caries.choices import NOTICE
from yachi.imaging.caries.models import CariesMark
from yachi.imaging.dicom.synthetic import Picture, part10
from yachi.imaging.services import instance_receive

pytestmark = pytest.mark.browser


def _marked_bitewing(world):
    """The mother's bitewing with two drawn lesions; the job marks it as it arrives."""
    book_seen(world)
    image = instance_receive(
        clinic=world.clinic_a,
        data=part10(
            Picture(
                modality="IO",
                patient_id=world.parent.chart_number,
                taken_at=datetime(2026, 11, 20, 9, 30),  # noqa: DTZ001
                teeth=("16", "15", "14"),
                rows=240,
                columns=320,
                seed=1,
                lesion_rate=0.5,
            )
        ),
    ).image
    assert CariesMark.objects.filter(image=image).count() == 2
    return image


def _doctor_logs_in(page, url, world):
    console_log_in(page, url, world.clinic_a_doctor.user)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_doctor_reviews_the_marks_and_adds_a_missed_lesion(live_server, world, browser, width):
    image = _marked_bitewing(world)
    with checked_page(browser, width=width, height=900 if width > 400 else 844) as page:
        _doctor_logs_in(page, live_server.url, world)
        page.goto(f"{live_server.url}/console/xray-images/{image.public_id}/caries/")
        assert NOTICE in page.locator(".caries-notice").inner_text()
        assert page.locator("[data-caries-mark]").count() == 2
        page.get_by_role("button", name="确认标记 1").click()
        page.wait_for_selector("text=已确认标记")
        page.get_by_role("button", name="驳回标记 2").click()
        page.wait_for_selector("g.caries-rejected")
        # Drag a box round the lesion the model was never shown: top right of tooth 14.
        picture = page.locator("[data-caries-picture]").bounding_box()
        scale = picture["width"] / 320
        page.mouse.move(picture["x"] + 250 * scale, picture["y"] + 40 * scale)
        page.mouse.down()
        page.mouse.move(picture["x"] + 290 * scale, picture["y"] + 80 * scale, steps=4)
        page.mouse.up()
        assert 245 <= int(page.input_value("input[name=x0]")) <= 255
        page.fill("input[name=tooth]", "14")
        page.get_by_role("button", name="添加标记").click()
        page.wait_for_selector("g.caries-source-doctor")
        assert sorted(CariesMark.objects.values_list("source", "status")) == [
            ("ai", "confirmed"),
            ("ai", "rejected"),
            ("doctor", "confirmed"),
        ]
        no_overflow = page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        )
        assert no_overflow
        screenshot(page, f"console-caries-review-{width}")
        page.goto(f"{live_server.url}/console/clinic/{world.clinic_a.public_id}/caries/")
        page.wait_for_selector("[data-chart][data-drawn] canvas")
        assert "caries-synthetic-v1" in page.locator("main").inner_text()
        assert "50%" in page.locator("table").first.inner_text()
        screenshot(page, f"console-caries-agreement-{width}")


def test_the_patient_sees_the_confirmed_mark_on_a_phone(live_server, world, phone_page):
    image = _marked_bitewing(world)
    mark = CariesMark.objects.filter(image=image).order_by("x0").first()
    from yachi.imaging.caries.services import mark_decide

    mark_decide(actor=world.clinic_a_doctor.user, mark=mark, status="confirmed")
    log_in(phone_page, live_server.url, world.patient_parent.phone)
    phone_page.wait_for_selector("nav.tabbar")
    phone_page.goto(f"{live_server.url}/xrays/{world.parent.public_id}/")
    assert phone_page.locator("[data-caries-mark]").count() == 1
    assert NOTICE in phone_page.locator(".caries-notice").inner_text()
    screenshot(phone_page, "app-caries-marks")

"""Booking straight from a treatment-plan procedure: the front desk in the console and the
parent in the app pick a day and a time for the filling the plan holds, with its doctor
preset, on a desk screen (1366 px) and on a phone (390 px)."""

from datetime import datetime

import pytest

from conftest import tomorrow_at
from tests.browser.conftest import checked_page, console_log_in, screenshot
from tests.browser.test_patient_books import log_in
from yachi.booking.services import appointments_book
from yachi.clinical import services
from yachi.clinical.access import chart_write_access
from yachi.clinical.models import PlanItem

pytestmark = pytest.mark.browser

WIDTHS = {"desk": (1366, 900), "phone": (390, 844)}


def _accepted_plan(world):
    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    )
    doctor = world.clinic_a_doctor.user
    patient, clinic_ids = chart_write_access(actor=doctor, patient_id=world.parent.public_id)
    plan = services.plan_create(actor=doctor, patient=patient, clinic_ids=clinic_ids, title="补牙")
    services.plan_item_add(
        actor=doctor,
        plan=plan,
        phase=1,
        service_code="filling",
        tooth="26",
        surfaces="O",
        result="filling",
    )
    plan = services.plan_propose(actor=doctor, plan=plan)
    return services.plan_accept(
        actor=world.patient_parent,
        plan=plan,
        revision=plan.revision,
        signature="张妈妈",
        agree=True,
    )


def _pick_a_time(page, name: str) -> str:
    booking = page.get_by_test_id("plan-booking")
    assert "王医生" in booking.inner_text() and "26 号牙" in booking.inner_text()
    page.locator("nav.days a.day").nth(1).click()
    page.wait_for_selector("nav.days a.day[aria-current=date]")
    slot = page.locator("a.slot").first
    start = slot.get_attribute("data-start")
    slot.click()
    page.wait_for_selector("[data-testid=plan-booking-confirm]")
    screenshot(page, name)
    page.get_by_role("button", name="预约此项治疗").click()
    return start


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_the_front_desk_books_the_plans_filling(live_server, world, browser, screen):
    plan = _accepted_plan(world)
    width, height = WIDTHS[screen]
    with checked_page(browser, width=width, height=height) as page:
        console_log_in(page, live_server.url, world.clinic_a_front_desk)
        page.goto(f"{live_server.url}/console/patients/{world.parent.public_id}/treatment-plans/")
        page.get_by_test_id("book-item").click()
        start = _pick_a_time(page, f"console-book-from-plan-{screen}")
        page.wait_for_selector("text=已预约补牙")
    item = PlanItem.objects.get(phase__plan=plan)
    assert item.status == "scheduled"
    assert item.appointment.start == datetime.fromisoformat(start)
    assert item.appointment.doctor == world.clinic_a_doctor


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_the_parent_books_the_plans_filling_in_the_app(live_server, world, browser, screen):
    plan = _accepted_plan(world)
    width, height = WIDTHS[screen]
    with checked_page(browser, width=width, height=height) as page:
        log_in(page, live_server.url, world.patient_parent.phone)
        page.goto(f"{live_server.url}/family/{world.parent.public_id}/treatment-plans/")
        page.get_by_test_id("book-item").click()
        _pick_a_time(page, f"patient-book-from-plan-{screen}")
        page.wait_for_selector("text=已预约补牙")
    item = PlanItem.objects.get(phase__plan=plan)
    assert item.status == "scheduled" and item.appointment.patient == world.parent

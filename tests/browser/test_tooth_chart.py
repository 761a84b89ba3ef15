"""A doctor records a finding on the tooth chart with the keyboard alone; the patient
reads their chart on a phone, with explanations in Chinese, and accepts the plan."""

import pytest

from conftest import tomorrow_at
from tests.browser.conftest import console_log_in, screenshot
from tests.browser.test_patient_books import log_in
from yachi.booking.services import appointments_book
from yachi.clinical import services
from yachi.clinical.access import chart_write_access
from yachi.clinical.models import ChartEntry, TreatmentPlan

pytestmark = pytest.mark.browser


def _seen(world):
    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    )


def test_a_doctor_records_caries_on_a_surface_with_the_keyboard(live_server, world, desk_page):
    _seen(world)
    page = desk_page
    console_log_in(page, live_server.url, world.clinic_a_doctor.user)
    page.goto(f"{live_server.url}/console/patients/{world.parent.public_id}/tooth-chart/")
    surface = page.locator('g[data-tooth="16"] a[data-surface="O"]')
    surface.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#tooth-panel form")
    assert page.locator('#tooth-panel input[value="O"]').is_checked()
    page.select_option("#tooth-panel select[name=kind]", "caries")
    page.locator("#tooth-panel button[type=submit]").first.click()
    page.wait_for_selector("text=检查记录已保存")
    assert ChartEntry.objects.filter(tooth="16", kind="caries", surfaces="O").exists()
    assert page.locator('g[data-tooth="16"] polygon.caries').count() == 1
    screenshot(page, "console-tooth-chart")


def test_the_patient_reads_their_chart_and_accepts_the_plan(live_server, world, phone_page):
    _seen(world)
    actor = world.clinic_a_doctor.user
    patient, clinic_ids = chart_write_access(actor=actor, patient_id=world.parent.public_id)
    services.finding_record(
        actor=actor, patient=patient, clinic_ids=clinic_ids, tooth="26", kind="caries", surfaces="O"
    )
    plan = services.plan_create(actor=actor, patient=patient, clinic_ids=clinic_ids, title="补牙")
    services.plan_item_add(
        actor=actor,
        plan=plan,
        phase=1,
        service_code="filling",
        tooth="26",
        surfaces="O",
        result="filling",
    )
    services.plan_propose(actor=actor, plan=plan)
    page, base = phone_page, live_server.url
    log_in(page, base, world.patient_parent.phone)
    page.goto(f"{base}/family/{world.parent.public_id}/teeth/?view=risk")
    assert "蛀洞" in page.locator("[data-testid=explanations]").inner_text()
    screenshot(page, "patient-tooth-chart")
    page.goto(f"{base}/family/{world.parent.public_id}/treatment-plans/")
    page.check("input[name=agree]")
    page.fill("input[name=signature]", "张妈妈")
    page.get_by_role("button", name="确认方案").click()
    page.wait_for_selector("text=方案已确认")
    assert TreatmentPlan.objects.get().status == "accepted"

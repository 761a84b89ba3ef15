"""The desk compares two visits' intraoral scans with linked cameras; the parent sees the
child's scans and the 3D arch in the app, and a patient with an aligner plan plays the
staging, labelled as an illustration. WebGL draws in software; each page passes the
accessibility check and stays within the Content Security Policy."""

import datetime

import pytest

from conftest import book_seen
from tests import factories as f
from tests.browser.conftest import checked_page, console_log_in, screenshot
from tests.browser.test_patient_books import log_in
from yachi.clinical import services as clinical
from yachi.clinical.access import chart_write_access
from yachi.imaging.facade import arch_setup_record, scan_upload, synthetic_jaw
from yachi.imaging.scans.models import Scan

pytestmark = pytest.mark.browser

TEETH = {f"{q}{p}" for q in (1, 2, 3, 4) for p in range(1, 8)}
MOVES = {"11": [0, 1.2, 0, 10], "21": [0, 0.8, 0, -12], "31": [0, 0.8, 0, 15]}


def _two_visits(world):
    book_seen(world)
    for day, share in ((datetime.date(2026, 6, 1), 0.0), (datetime.date(2026, 11, 1), 1.0)):
        for jaw in ("upper", "lower"):
            scan_upload(
                actor=world.clinic_a_doctor.user,
                patient=world.patient_child,
                clinic=world.clinic_a,
                upload=synthetic_jaw(present=TEETH, jaw=jaw, movements=MOVES, share_done=share),
                jaw=jaw,
                taken_on=day,
                synthetic=True,
            )


def _drawn(page):
    # Selectors rather than a function: the page's policy allows no eval.
    page.wait_for_selector("[data-scan-pane][data-loaded=true] >> nth=1")
    assert page.locator(".scan-canvas canvas").count() == 2


def _cameras(page):
    return [c.get_attribute("data-camera") for c in page.locator("[data-scan-canvas]").all()]


def test_the_desk_compares_two_visits_with_linked_cameras(live_server, world, browser):
    _two_visits(world)
    errors = []
    with checked_page(browser, width=1366, height=900) as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        console_log_in(page, live_server.url, world.clinic_a_front_desk)
        page.goto(f"{live_server.url}/console/patients/{world.patient_child.public_id}/scans/")
        _drawn(page)
        left, right = page.locator("select[data-scan-choice]").all()
        assert left.input_value() != right.input_value()  # two visits side by side
        before = _cameras(page)
        box = page.locator("[data-scan-canvas]").first.bounding_box()
        page.mouse.move(box["x"] + 100, box["y"] + 150)
        page.mouse.down()
        page.mouse.move(box["x"] + 220, box["y"] + 110, steps=8)
        page.mouse.up()
        after = _cameras(page)
        assert after[0] != before[0] and after[0] == after[1]  # turned together
        page.click("button[data-scan-jaw=lower]")
        assert page.get_attribute("button[data-scan-jaw=lower]", "aria-pressed") == "true"
        screenshot(page, "console-scan-viewer")
    assert not [e for e in errors if "Content Security Policy" in e or "WebGL" in e], errors


def test_the_parent_sees_the_scans_and_plays_the_staging_on_a_phone(live_server, world, browser):
    _two_visits(world)
    doctor = world.clinic_a_doctor.user
    f.ServiceFactory(clinic=world.clinic_a, code="aligner", name="隐形矫正", price_fen=2_800_000)
    patient, clinic_ids = chart_write_access(actor=doctor, patient_id=world.patient_child.public_id)
    clinical.finding_record(
        actor=doctor,
        patient=patient,
        clinic_ids=clinic_ids,
        tooth="16",
        kind="caries",
        surfaces="O",
    )
    plan = clinical.plan_create(
        actor=doctor, patient=patient, clinic_ids=clinic_ids, title="隐形矫正"
    )
    clinical.plan_item_add(actor=doctor, plan=plan, phase=1, service_code="aligner")
    clinical.plan_propose(actor=doctor, plan=plan)
    arch_setup_record(actor=doctor, plan_id=plan.public_id, movements=MOVES)
    with checked_page(browser, width=390, height=844) as page:
        log_in(page, live_server.url, world.patient_parent.phone)
        page.wait_for_selector("nav.tabbar")
        page.goto(f"{live_server.url}/scans/{world.patient_child.public_id}/")
        _drawn(page)
        assert page.locator("form.scan-upload").count() == 0  # read-only
        screenshot(page, "app-scan-viewer")
        page.goto(f"{live_server.url}/arch/{world.patient_child.public_id}/")
        page.wait_for_selector("[data-arch-viewer][data-ready=true]")
        assert page.locator("[data-arch-illustration]").inner_text() == "示意图，非治疗效果预测"
        stages = int(page.get_attribute("[data-arch-stage]", "max"))
        assert stages >= 5
        page.click("button[data-arch-play]")
        page.wait_for_selector(f"[data-arch-viewer][data-stage='{stages}']")
        page.fill("[data-arch-stage]", "2")
        assert page.get_attribute("[data-arch-viewer]", "data-stage") == "2"
        screenshot(page, "app-arch-staging")


def test_the_desk_sees_the_upload_wait_and_then_the_scan(live_server, world, browser, tmp_path):
    book_seen(world)
    export = tmp_path / "upper.stl"
    export.write_bytes(synthetic_jaw(present=TEETH, jaw="upper").read())
    with checked_page(browser, width=390, height=844) as page:
        # The form is held back once the page's own script has seen the submission (a
        # listener after the page's), so the waiting form can be looked at.
        page.add_init_script(
            "window.addEventListener('submit', (e) => { if (!window.released) e.preventDefault(); });"
        )
        page.goto(f"{live_server.url}/console/login/")
        page.fill("input[name=phone]", world.clinic_a_front_desk.phone)
        page.fill("input[name=password]", f.STAFF_PASSWORD)
        page.evaluate("() => { window.released = true; }")
        page.click("button[type=submit]")
        page.wait_for_url("**/console/**")
        page.goto(f"{live_server.url}/console/patients/{world.patient_child.public_id}/scans/")
        page.set_input_files("#scan-file", str(export))
        page.click("form.scan-upload button[type=submit]")
        page.wait_for_selector("form.scan-upload [data-busy-status] progress")
        assert "正在上传并转换口扫" in page.inner_text("form.scan-upload [role=status]")
        assert page.locator("form.scan-upload button[type=submit]").is_disabled()
        screenshot(page, "console-scan-uploading")
        with page.expect_navigation():
            page.evaluate(
                "() => { window.released = true; document.querySelector('form.scan-upload').submit(); }"
            )
        assert "口扫已上传" in page.inner_text(".flash")
    assert Scan.objects.filter(patient=world.patient_child, jaw="upper").count() == 1

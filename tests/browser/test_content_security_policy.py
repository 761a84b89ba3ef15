"""The Content-Security-Policy blocks nothing the application itself does.

A real Chromium opens the patient app, the front desk's calendar, the admin and the
API docs, with every policy violation and script error recorded; the confirmation
before a cancellation (a dialog of the page), the autosubmitting selects and the panel's close button keep
working without inline script.
"""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from conftest import tomorrow_at
from tests.browser.conftest import screenshot
from tests.browser.test_patient_books import log_in, pick_tomorrow
from tests.factories import STAFF_PASSWORD, StaffFactory
from yachi.accounts import staff_auth
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book
from yachi.core.roles import Role

pytestmark = pytest.mark.browser

# Injected before any page script, outside the page's policy.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watch:
    """Everything a page reports that would mean the policy broke something."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if message.type == "error" and ("Security Policy" in text or "Permissions" in text):
            self.problems.append(f"console: {text}")

    def check(self, label: str) -> None:
        violations = self.page.evaluate("window.__violations || []")
        assert not violations and not self.problems, (label, violations, self.problems)


@pytest.fixture
def visit(world):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


def test_the_patient_app_runs_under_the_policy(live_server, world, visit, phone_page):
    page, base = phone_page, live_server.url
    watch = Watch(page)
    log_in(page, base, world.patient_parent.phone)
    page.wait_for_selector("text=待就诊")
    watch.check("home")

    page.goto(f"{base}/book/")
    page.get_by_role("link", name=re.compile("静安店")).click()
    page.get_by_role("link", name=re.compile("洁牙")).click()
    page.get_by_role("link", name=re.compile("王医生")).click()
    pick_tomorrow(page)  # an htmx swap
    watch.check("booking grid")
    for path in ("/appointments/", "/family/", "/family/add/"):
        page.goto(base + path)
        watch.check(path)

    # Cancelling asks first, in a dialog of the page; saying no changes nothing.
    page.goto(f"{base}/appointments/{visit.public_id}/")
    page.get_by_role("button", name="取消预约").click()
    page.get_by_role("dialog", name="确定取消这个预约吗？").get_by_role(
        "button", name="返回"
    ).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    visit.refresh_from_db()
    assert visit.status == "booked"
    page.get_by_role("button", name="取消预约").click()
    page.get_by_role("dialog", name="确定取消这个预约吗？").get_by_role(
        "button", name="确定"
    ).click()
    page.wait_for_selector("[data-testid=status] >> text=已取消")
    visit.refresh_from_db()
    assert visit.status == "cancelled"
    watch.check("cancel")

    # The language select submits itself.
    page.goto(f"{base}/me/")
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("h1:has-text('Me')")
    screenshot(page, "csp-patient-me-english")
    watch.check("language")


def test_the_console_calendar_runs_under_the_policy(live_server, world, visit, desk_page):
    page = desk_page
    watch = Watch(page)
    base = live_server.url
    page.goto(f"{base}/console/login/")
    page.fill("input[name=phone]", world.clinic_a_front_desk.phone)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_selector(".daygrid")
    day = tomorrow_at(9).date().isoformat()
    page.goto(f"{base}/console/clinic/{world.clinic_a.public_id}/calendar/?date={day}")
    block = page.get_by_test_id("block").first
    # Placed by its style attribute: level with 10:00, in its doctor's column.
    top = block.bounding_box()["y"]
    assert abs(top - page.locator(".hour", has_text="10:00").bounding_box()["y"]) < 4
    column = page.locator(".colhead", has_text="王医生").bounding_box()
    assert column["x"] <= block.bounding_box()["x"] < column["x"] + column["width"]

    block.click()
    page.wait_for_selector("#panel .panel-inner")
    screenshot(page, "csp-console-calendar")
    page.get_by_role("button", name="关闭").click()
    assert page.locator("#panel .panel-inner").count() == 0

    block.click()
    page.wait_for_selector("#panel .panel-inner")
    page.locator("#panel button[value=cancelled]").click()
    page.get_by_role("dialog").get_by_role("button", name="返回").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert Appointment.objects.get(pk=visit.pk).status == "booked"
    page.locator("#panel button[value=cancelled]").click()
    # A plain form post: the step, then a redirect back to the calendar.
    with page.expect_navigation(url=lambda url: "/calendar/" in url):
        page.get_by_role("dialog").get_by_role("button", name="确定").click()
    assert Appointment.objects.get(pk=visit.pk).status == "cancelled"
    watch.check("calendar")

    page.goto(f"{base}/console/clinic/{world.clinic_a.public_id}/book/")
    page.select_option("select[name=service]", str(world.cleaning_a.public_id))
    page.wait_for_selector("select[name=doctor] option >> nth=1", state="attached")
    watch.check("desk booking")


def test_the_admin_and_the_api_docs_run_under_the_policy(live_server, world, desk_page):
    administrator = StaffFactory(role=Role.ADMIN, is_superuser=True)
    page = desk_page
    watch = Watch(page)
    base = live_server.url

    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30000)
    page.wait_for_selector(".opblock-summary-path[data-path='/api/v1/appointments']")
    assert "Yachi API" in page.locator(".swagger-ui .info .title").inner_text()
    screenshot(page, "csp-api-docs")
    watch.check("api docs")

    # Administrators sign in through the console, with their second factor.
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=administrator, secret=secret, code=pyotp.TOTP(secret).now())
    page.goto(f"{base}/admin/")
    page.fill("input[name=phone]", administrator.phone)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("input[name=code]")
    # The code of the next 30-second window: the current one was spent on enrolment.
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button[type=submit]")
    page.wait_for_selector("#content-main")
    page.goto(f"{base}/admin/clinics/clinic/")
    page.goto(f"{base}/admin/clinics/clinic/{world.clinic_a.pk}/change/")
    page.wait_for_selector("#clinic_form")
    screenshot(page, "csp-admin-clinic")
    watch.check("admin")

"""A clinic manager's CRM screens on the desk's computer and on a phone: tag definitions
and a patient's 360 page with its tags and reasons, the no-show backtest and policy,
the segment builder's live count and a campaign, the repurchase playbook and a
follow-up call recorded. Every page opened passes the accessibility check; each screen
is photographed at 1366 × 900 and 390 × 844."""

import time

import pyotp
import pytest

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from yachi.accounts import staff_auth
from yachi.crm.playbook.models import FollowUpTask
from yachi.crm.tags.services import tags_refresh
from yachi.crm.tests.history import follow_up_task
from yachi.crm.tests.noshow_history import history, trained  # noqa: F401 - fixtures
from yachi.crm.tests.reports.data import a_week

pytestmark = pytest.mark.browser

SIZES = ((1366, 900), (390, 844))


def _log_in(page, base, user):
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    page.goto(f"{base}/console/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", f.STAFF_PASSWORD)
    page.click("button[type=submit]")
    # The code of the next 30-second window: the current one was spent on enrolment.
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button[type=submit]")
    page.wait_for_selector("main h1")


def _both_sizes(page, url: str, name: str, ready: str = "main h1") -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_selector(ready)
        screenshot(page, f"{name}-{width}")


def test_tag_definitions_and_a_patients_360_with_tags_and_reasons(live_server, world, browser):
    a_week(world)
    tags_refresh()
    base = live_server.url
    with checked_page(browser, width=1366, height=900) as page:
        _log_in(page, base, world.clinic_a_manager)
        _both_sizes(page, f"{base}/console/crm/tags/", "console-crm-tags")
        assert page.locator("input[value='较高消费']").count() == 1
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{base}/console/crm/patients/?q=张")
        page.click(f"a[href='/console/crm/patients/{world.parent.public_id}/']")
        page.wait_for_selector(".tag-reasons")
        shown = page.locator("main").inner_text()
        assert "RFM 评分" in shown and "下次建议护理" in shown
        assert "计划中的治疗" in shown
        _both_sizes(
            page,
            f"{base}/console/crm/patients/{world.parent.public_id}/",
            "console-crm-patient-360",
            ".tag-reasons",
        )


@pytest.mark.usefixtures("trained")
def test_the_no_show_backtest_against_the_baseline_and_the_policy(live_server, world, browser):
    base = live_server.url
    url = f"{base}/console/clinic/{world.clinic_a.public_id}/no-show/"
    with checked_page(browser, width=1366, height=900) as page:
        _log_in(page, base, world.clinic_a_manager)
        page.goto(url)
        shown = page.locator("main").inner_text()
        assert "AUC" in shown
        page.check("input[name=extra_reminder]")
        page.click("[data-testid=policy] button.primary")
        page.wait_for_selector(".flash")
        assert page.is_checked("input[name=extra_reminder]")
        _both_sizes(page, url, "console-crm-no-show")


def test_a_segment_counted_live_saved_and_sent_a_campaign(live_server, world, browser):
    a_week(world)
    base = live_server.url
    clinic = world.clinic_a.public_id
    with checked_page(browser, width=1366, height=900) as page:
        _log_in(page, base, world.clinic_a_manager)
        page.goto(f"{base}/console/clinic/{clinic}/crm/segments/new/")
        page.fill("input[name=name]", "本周来过的患者")
        page.select_option("select[name=add-0]", "last_visit")
        page.click("button[value='add:0']")
        page.wait_for_selector(".criterion")
        page.select_option(".criterion select", "within")
        page.fill(".criterion input[type=number]", "30")
        page.wait_for_function(
            "() => /\\d/.test(document.querySelector('#segment-count').textContent)"
        )
        screenshot(page, "console-crm-segment-1366")
        page.click("button[value=save]")
        page.wait_for_selector(".flash")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "console-crm-segment-390")
        _both_sizes(page, f"{base}/console/clinic/{clinic}/crm/campaigns/", "console-crm-campaigns")


def test_the_playbook_effects_and_a_follow_up_call_recorded(live_server, world, browser):
    task = follow_up_task(world.clinic_a, world.other)
    base = live_server.url
    clinic = world.clinic_a.public_id
    with checked_page(browser, width=1366, height=900) as page:
        _log_in(page, base, world.clinic_a_manager)
        _both_sizes(page, f"{base}/console/clinic/{clinic}/crm/playbook/", "console-crm-playbook")
        shown = page.locator("main").inner_text()
        assert "洁牙" in shown and " pp" not in shown
        _both_sizes(
            page, f"{base}/console/clinic/{clinic}/crm/follow-ups/", "console-crm-follow-ups"
        )
        assert "138****0002" in page.locator("main").inner_text()
        page.set_viewport_size({"width": 1366, "height": 900})
        page.click(f"a[href$='/follow-ups/{task.public_id}/']")
        page.wait_for_selector("input[name=outcome]")
        screenshot(page, "console-crm-follow-up-1366")
        page.check("input[name=outcome][value=well]")
        page.fill("textarea[name=note]", "恢复良好，已嘱软食")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".flash")
        task.refresh_from_db()
        assert (task.status, task.outcome) == ("done", "well")
        assert FollowUpTask.objects.filter(status="open").count() == 0

"""An administrator opens Backups in the console on a phone and on the desk's computer:
the last backup, its size and status, the chart and the history, in Chinese; the page
passes the accessibility check."""

import time

import pyotp
import pytest

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from yachi.accounts import staff_auth
from yachi.core.roles import Role
from yachi.operations.backups.services import backup_nightly

pytestmark = pytest.mark.browser


def test_an_administrator_sees_the_last_backups_at_390_and_1366_px(
    live_server, world, browser, settings, tmp_path
):
    administrator = f.StaffFactory(role=Role.ADMIN, is_superuser=True, name="系统管理员")
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=administrator, secret=secret, code=pyotp.TOTP(secret).now())
    settings.YACHI_BACKUP_DIR = tmp_path
    backup_nightly()
    (tmp_path / "blocked").write_text("a file where a directory should be")
    settings.YACHI_BACKUP_DIR = tmp_path / "blocked" / "backups"
    backup_nightly()
    settings.YACHI_BACKUP_DIR = tmp_path

    with checked_page(browser, width=1366, height=900) as page:
        page.goto(f"{live_server.url}/console/login/")
        page.fill("input[name=phone]", administrator.phone)
        page.fill("input[name=password]", f.STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
        page.click("button[type=submit]")
        page.wait_for_url("**/console/**")
        page.click("text=数据备份")
        page.wait_for_url("**/console/backups/")
        assert page.locator("[role=alert]").inner_text().startswith("最近一次备份")
        assert page.locator("table tbody tr").count() == 2
        assert page.locator(".backup-chart rect").count() == 2
        for width, height in ((390, 844), (1366, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            screenshot(page, f"console-backups-{width}")

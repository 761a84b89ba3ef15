"""Headless Chromium (Debian's package) driven by Playwright for Python."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import factories as f
from tests.browser.axe import Accessibility

CHROMIUM = os.environ.get("YACHI_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
# Without these, Chromium reaches for Google's services at start and, with no
# internet, waits on them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # WebGL (the 3D scan and arch viewers) without a GPU: Chromium's software renderer.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the whole process: its sync API keeps an event loop running in
    this thread, and a second one cannot start beside it."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make install-test` (installs it)")
    from playwright.sync_api import sync_playwright

    # Django's ORM calls made by the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@contextmanager
def checked_page(browser, *, width: int, height: int):
    """A page in its own context, Chinese like a phone in China; every page it opens is
    checked for accessibility, and the test fails at its end on any violation."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    accessibility = Accessibility(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    accessibility.watch(page)
    try:
        yield page
        accessibility.assert_clean(context.pages)
    finally:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page."""
    with checked_page(browser, width=390, height=844) as page:
        yield page


@pytest.fixture
def desk_page(browser):
    """A front-desk computer's window."""
    with checked_page(browser, width=1366, height=900) as page:
        yield page


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def console_log_in(page, base: str, user) -> None:
    """Log in to the console as ``user`` (a role that needs no second step)."""
    page.goto(f"{base}/console/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", f.STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/**")

"""Every patient and console page a browser test opens is checked with axe-core against
WCAG 2 A and AA (ADR 0033).

axe-core comes from npm (package.json, installed by ``make install-test``). Its source
and ``axe_check.js`` run in each page before the page's own scripts; each loaded page,
and each htmx swap, reports its violations here, and the test fails at its end if any
page had one. Django's admin and the API docs are not ours to restyle and are skipped.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHECK = Path(__file__).with_name("axe_check.js")
NOT_OURS = ("/admin/", "/api/")


def _script() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run `make install-test` (npm ci)")
    return AXE.read_text() + "\n" + CHECK.read_text()


class Accessibility:
    """The pages checked in one browser context, and what was wrong with them."""

    def __init__(self, context):
        self.checked: list[str] = []
        self.violations: list[tuple[str, str, dict]] = []
        context.expose_binding("__yachiAxeReport", self._report)
        context.add_init_script(_script())

    def _report(self, _source, url, reason, violations):
        if url.startswith(NOT_OURS):
            return
        self.checked.append(url)
        self.violations.extend((url, reason, violation) for violation in violations)

    def watch(self, page) -> None:
        """``page.goto`` waits for the check of the page it leaves."""
        goto = page.goto

        def goto_when_checked(url, **kwargs):
            settle(page)
            return goto(url, **kwargs)

        page.goto = goto_when_checked

    def assert_clean(self, pages) -> None:
        for page in pages:
            settle(page)
        problems = [
            f"{url} ({reason}): {v['id']} [{v['impact']}] {v['help']}\n      "
            + "\n      ".join(v["nodes"])
            for url, reason, v in self.violations
        ]
        assert not problems, "accessibility violations:\n  " + "\n  ".join(problems)


def settle(page) -> None:
    """Wait until the page's running check, if any, is done."""
    if page.is_closed():
        return
    try:
        page.wait_for_load_state("load")
        page.evaluate("() => window.__yachiAxeIdle ? window.__yachiAxeIdle() : null")
    except PlaywrightError:
        return  # the page is navigating: the next page is checked when it has loaded

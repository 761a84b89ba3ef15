"""Every response tells the browser what it may load and do; pages carry no inline script.

The browser side (no policy violation on real pages) is in
``tests/browser/test_content_security_policy.py``.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "path", ["/", "/login/", "/console/login/", "/api/v1/health", "/api/v1/no-such-thing"]
)
def test_pages_and_api_answers_carry_the_security_headers(client, db, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "style-src-attr" not in policy
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions
    assert "microphone=()" in permissions
    assert "geolocation=(self)" in permissions
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_only_the_console_calendar_may_use_style_attributes(client, world):
    client.force_login(world.clinic_a_front_desk)
    clinic = world.clinic_a.public_id
    calendar = client.get(f"/console/clinic/{clinic}/calendar/")
    assert directives(calendar)["style-src-attr"] == ["'unsafe-inline'"]
    assert directives(calendar)["script-src"] == ["'self'"]
    for page in (f"/console/clinic/{clinic}/book/", f"/console/clinic/{clinic}/saturation/"):
        assert "style-src-attr" not in directives(client.get(page))


def test_https_answers_ask_browsers_to_stay_on_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    assert client.get("/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/")


@pytest.mark.parametrize(
    ("environment", "seconds"),
    [
        ({"YACHI_ENV": "production"}, 31536000),
        ({"YACHI_ENV": "production", "YACHI_HSTS_SECONDS": "600"}, 600),
        ({}, 0),
    ],
)
def test_hsts_is_a_year_in_production_unless_configured(tmp_path, environment, seconds):
    env = {
        "PATH": "/usr/bin:/bin",
        "YACHI_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "clinic.example",
        **environment,
    }
    code = "from config import settings; print(settings.SECURE_HSTS_SECONDS)"
    out = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(seconds)


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")", re.I)


# The viewers' import maps are the only inline scripts: the pages that include one allow
# it, and only it, by its hash (yachi/imaging/viewer.py, checked in imaging's tests).
HASHED_IMPORT_MAPS = {
    ROOT / "yachi/imaging/templates/imaging/partials/viewer_scripts.html",  # X-rays (dwv)
    ROOT / "yachi/imaging/templates/imaging/scans/partials/scripts.html",  # scans (three.js)
}


def test_no_template_has_inline_script_that_the_policy_would_block():
    templates = sorted(ROOT.glob("yachi/*/templates/**/*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        if template in HASHED_IMPORT_MAPS:
            text = text.replace('<script type="importmap">{{ importmap|safe }}</script>', "", 1)
        assert not INLINE_HANDLER.search(text), template
        assert not INLINE_SCRIPT.search(text), template

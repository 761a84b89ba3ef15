"""What every page carries: the icon of the site, the privacy policy a patient agrees to
when logging in, and names a screen reader speaks for controls drawn as symbols."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

ICONS = (
    'rel="icon" href="/static/web/favicon.svg" type="image/svg+xml"',
    'rel="icon" href="/static/web/favicon.png" type="image/png"',
)


def test_patient_and_console_pages_carry_the_site_icon_in_svg_and_png(client):
    for url in (reverse("web:login"), reverse("console:login")):
        page = client.get(url).content.decode()
        for link in ICONS:
            assert link in page, url
    svg, png = finders.find("web/favicon.svg"), finders.find("web/favicon.png")
    assert Path(svg).read_text(encoding="utf-8").startswith("<svg")
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_browser_asking_for_favicon_ico_gets_the_png(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/web/favicon.png"


def test_the_login_page_links_the_privacy_policy_it_asks_to_agree_to(client):
    page = client.get(reverse("web:login")).content.decode()
    link = f'<a href="{reverse("web:policy")}">牙齿口腔隐私政策</a>'
    assert link in page
    assert client.get(reverse("web:policy")).status_code == 200


def test_the_audit_trails_page_arrows_are_named(client, world):
    from yachi.compliance.facade import AuditAction, audit_record

    for _ in range(51):
        audit_record(action=AuditAction.LOGIN, actor=world.clinic_a_manager, clinic=world.clinic_a)
    client.force_login(world.clinic_a_manager)
    page = client.get(reverse("console:audit"), {"page": 2}).content.decode()
    assert 'aria-label="上一页">‹</a>' in page
    page = client.get(reverse("console:audit")).content.decode()
    assert 'aria-label="下一页">›</a>' in page

"""Articles, a case contest and channel ROI on a phone and on the desk's computer: the
patient reads an article and shares it, enters a contest under its separate consent; a
manager sees the content check's reasons in the editor and the ROI chart. Every page
opened passes the accessibility check."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from yachi.accounts import staff_auth
from yachi.growth.articles import services as articles
from yachi.growth.attribution import services as attribution
from yachi.growth.cases import services as cases

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("YACHI_SHOTS", "")) if os.environ.get("YACHI_SHOTS") else None


def shot(page, name: str) -> None:
    screenshot(page, name)
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _picture() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (210, 190, 180)).save(buffer, format="JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def _content(world):
    manager = world.clinic_a_manager
    article = articles.article_publish(
        actor=manager,
        article=articles.article_save(
            actor=manager,
            category="education",
            title="智齿要不要拔？3 个自测方法",
            summary="反复发炎、顶到邻牙、刷不干净：在家先看一看。",
            body="## 自测一：是否反复发炎\n\n智齿周围**反复肿痛**，建议到店检查。\n\n"
            "## 自测二：是否顶到邻牙\n\n- 咬合时有异物感\n- 邻牙有龋坏\n\n"
            "## 自测三：能否刷干净\n\n牙刷够不到、牙线难以通过，都说明清洁困难。",
        ),
    )
    articles.article_save(
        actor=manager,
        category="offers",
        title="种植牙限时优惠",
        summary="",
        body="全市最先进设备，保证效果，无效退款",
    )
    today = timezone.localdate()
    contest = cases.contest_save(
        actor=manager,
        title="隐形矫正病例征集",
        description="分享您的矫正历程，参与评选。",
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=30),
        prize_pool_fen=1_000_000,
        winners=3,
        split_rule="scores",
        prize_kind="points",
    )
    cases.contest_move(actor=manager, contest=contest, step="open")
    entrant = f.patient_user("13900001111", name="林女士")
    cases.entry_submit(
        user=entrant,
        contest=contest,
        story="矫正一年",
        consent=True,
        before=[_picture()],
        after=[_picture()],
    )
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    for index, (name, kind) in enumerate(
        (
            ("抖音", "douyin"),
            ("百度", "baidu"),
            ("小红书", "xiaohongshu"),
            ("地推传单", "offline_flyer"),
        )
    ):
        channel = attribution.channel_save(actor=manager, name=name, kind=kind)
        link = attribution.link_create(
            actor=manager, channel=channel, campaign="699 元新人礼包", target="/articles/"
        )
        for person in range(index + 1):
            user = f.patient_user(f"1380009{index}{person:03d}")
            attribution.touch_record(
                link=link,
                visitor=f"{index}{person}".ljust(32, "x"),
                user=user,
                at=now - timedelta(days=2),
            )
            attribution.conversion_record(
                user=user, kind="signup", reference=f"s:{user.pk}", at=now
            )
            attribution.conversion_record(
                user=user,
                kind="revenue",
                reference=f"r:{user.pk}",
                at=now,
                amount_fen=69900 * (4 - index),
            )
        attribution.spend_set(
            actor=manager, channel=channel, month=month, amount_fen=50_000 * (index + 1)
        )
    return article, contest, link


def _staff_login(page, base, user):
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    page.goto(f"{base}/console/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", f.STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button[type=submit]")


def test_articles_cases_and_roi_at_390_and_1366_px(live_server, world, browser):
    article, contest, link = _content(world)
    base = live_server.url
    with checked_page(browser, width=390, height=844) as page:
        page.goto(f"{base}/articles/")
        assert "智齿要不要拔" in page.content()
        shot(page, "articles-list-390")
        page.goto(f"{base}/articles/{article.public_id}/?invite=ABCD2345")
        assert page.locator(".article-body h2").first.inner_text() == "自测一：是否反复发炎"
        shot(page, "article-visitor-390")
        # A patient shares it: the card with their invite code.
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
        page.goto(f"{base}/t/{link.code}")
        assert page.url.endswith("/articles/")
    user = world.patient_parent
    with checked_page(browser, width=390, height=844) as page:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "yachi.accounts.backends.PhoneBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        page.context.add_cookies([{"name": "sessionid", "value": session.session_key, "url": base}])
        page.goto(f"{base}/articles/{article.public_id}/")
        page.click("text=分享给好友")
        page.wait_for_selector(".share-card")
        assert "invite=" in page.locator(".share-card input").input_value()
        shot(page, "article-share-390")
        page.goto(f"{base}/cases/{contest.public_id}/")
        assert "单独同意" in page.content()
        shot(page, "case-contest-390")
    manager = f.staff_member(world.clinic_a, role="manager")
    with checked_page(browser, width=1366, height=900) as page:
        _staff_login(page, base, manager)
        page.goto(f"{base}/console/articles/")
        shot(page, "console-articles-1366")
        page.click("text=种植牙限时优惠")
        assert "最先进" in page.content() and "广告法" in page.content()
        shot(page, "console-article-check-1366")
        page.goto(f"{base}/console/cases/{contest.public_id}/")
        shot(page, "console-case-contest-1366")
        page.goto(f"{base}/console/channels/roi/")
        page.wait_for_selector("[data-chart] canvas")
        shot(page, "console-roi-1366")
        page.goto(f"{base}/console/channels/links/{link.public_id}/")
        shot(page, "console-tracked-link-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/console/channels/roi/")
        page.wait_for_selector("[data-chart] canvas")
        shot(page, "console-roi-390")

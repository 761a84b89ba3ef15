"""Articles: written in the console, published only after the content check, read in the
app and the API, shared with the sharer's invite code, counted without a write per view."""

import pytest

from tests.apiclient import ApiClient
from yachi.compliance.models import AuditEntry
from yachi.growth.articles import counters, services
from yachi.growth.articles.models import Article, ArticleStatus
from yachi.growth.articles.render import markdown_to_html
from yachi.growth.promotion import ContentRefused
from yachi.growth.referrals.services import invite_code_for

pytestmark = pytest.mark.django_db

WISDOM = "## 自测一：是否反复发炎\n\n智齿周围**反复肿痛**，建议到店检查。\n\n- 自测二：是否顶到邻牙\n- 自测三：能否刷干净"


def draft(world, **fields) -> Article:
    values = {
        "category": "education",
        "title": "智齿要不要拔？3 个自测方法",
        "summary": "三个方法，在家先看看",
        "body": WISDOM,
    }
    values.update(fields)
    return services.article_save(actor=world.clinic_a_manager, **values)


def published(world, **fields) -> Article:
    return services.article_publish(actor=world.clinic_a_manager, article=draft(world, **fields))


def test_markdown_is_rendered_without_scripts_pictures_or_bad_links():
    html = markdown_to_html(
        "**粗体** <script>alert(1)</script> [x](javascript:alert(1)) ![p](a.jpg) [ok](https://a.cn)"
    )
    assert "<strong>粗体</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html
    assert 'href="https://a.cn"' in html and "nofollow" in html


def test_a_clean_article_is_published_and_audited(world):
    article = published(world)
    assert article.status == ArticleStatus.PUBLISHED and article.published_at
    assert AuditEntry.objects.filter(
        action="content_published", object_id=str(article.public_id)
    ).exists()


def test_an_article_with_claims_stays_a_draft_with_every_reason(world):
    article = draft(world, title="隐形矫正全国第一", body="保证效果，无效退款。治愈率 99%。")
    assert {h["rule"] for h in article.check_hits} == {"superlative", "guarantee", "cure_rate"}
    with pytest.raises(ContentRefused) as refused:
        services.article_publish(actor=world.clinic_a_manager, article=article)
    assert "无效退款" in str(refused.value.message) and "第一" in str(refused.value.message)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT and article.published_at is None
    assert not AuditEntry.objects.filter(action="content_published").exists()


def test_a_published_article_keeps_its_text_when_the_new_one_breaks_the_rules(world):
    article = published(world)
    with pytest.raises(ContentRefused):
        services.article_save(
            actor=world.clinic_a_manager,
            article=article,
            category="education",
            title=article.title,
            summary="",
            body="患者评价：效果很好",
        )
    article.refresh_from_db()
    assert article.body == WISDOM and article.status == ArticleStatus.PUBLISHED


def test_the_api_lists_published_articles_by_category_and_shows_one(world):
    shown = published(world)
    published(world, category="offers", title="洁牙季：预约立减 30 元", body="到店出示即可。")
    draft(world, title="还没发布")
    api = ApiClient()
    listed = api.get("/articles").json()
    assert {a["title"] for a in listed} == {shown.title, "洁牙季：预约立减 30 元"}
    assert [a["title"] for a in api.get("/articles", {"category": "education"}).json()] == [
        shown.title
    ]
    assert api.get("/articles", {"category": "gossip"}).status_code == 422
    one = api.get(f"/articles/{shown.public_id}").json()
    assert "<h2>自测一：是否反复发炎</h2>" in one["html"] and one["category_display"]
    hidden = draft(world, title="草稿")
    assert api.get(f"/articles/{hidden.public_id}").json()["code"] == "article_not_found"
    assert api.get("/articles/not-an-id").status_code == 404


def test_views_are_counted_in_batches_not_per_view(world, django_assert_max_num_queries):
    article = published(world)
    counters.counters_flush()
    api = ApiClient()
    for _ in range(3):
        api.get(f"/articles/{article.public_id}")
    article.refresh_from_db()
    assert article.view_count == 0  # nothing written yet
    assert counters.pending("views", article.pk) == 3
    counters.counters_flush()
    article.refresh_from_db()
    assert article.view_count == 3 and counters.pending("views", article.pk) == 0


def test_a_patients_share_card_carries_their_invite_code(world):
    article = published(world)
    counters.counters_flush()
    api = ApiClient().as_user(world.patient_parent)
    card = api.post(f"/articles/{article.public_id}/share").json()
    code = invite_code_for(world.patient_parent)
    assert card["invite_code"] == code and f"invite={code}" in card["link"]
    assert card["title"] == article.title and card["summary"] == article.summary
    counters.counters_flush()
    article.refresh_from_db()
    assert article.share_count == 1
    staff = ApiClient().as_user(world.clinic_a_manager)
    assert staff.post(f"/articles/{article.public_id}/share").status_code == 403


def test_a_visitor_by_a_shared_link_is_offered_to_sign_up_with_the_code(client, world):
    article = published(world)
    code = invite_code_for(world.patient_parent)
    page = client.get(f"/articles/{article.public_id}/?invite={code}").content.decode()
    assert f"/i/{code}/" in page and "<h2>自测一：是否反复发炎</h2>" in page
    assert client.get("/articles/").status_code == 200


def test_the_console_shows_the_reasons_and_refuses_to_publish(client, world):
    client.force_login(world.clinic_a_manager)
    response = client.post(
        "/console/articles/new/",
        {"category": "offers", "title": "种植牙根治缺牙", "summary": "", "body": "最先进设备"},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and article.status == ArticleStatus.DRAFT
    page = client.get(f"/console/articles/{article.public_id}/").content.decode()
    assert "根治" in page and "最先进" in page and "广告法" in page
    client.post(f"/console/articles/{article.public_id}/publish/", {"action": "publish"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    preview = client.post("/console/articles/preview/", {"title": "t", "body": "**好**"})
    assert "<strong>好</strong>" in preview.content.decode()


def test_articles_are_written_by_managers_only(client, world):
    client.force_login(world.clinic_a_front_desk)
    assert client.get("/console/articles/").status_code == 403
    assert client.post("/console/articles/new/", {"title": "x"}).status_code == 403
    assert not Article.objects.exists()

"""The app's articles (科普 / 促销 / 剧情): a list by category and an article page, open to
anyone (a shared link reaches people who are not patients yet); a patient's share card
carries their invite code, and a visitor who came by one is offered to sign up with it."""

import segno
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import htmx_partial, patient_required
from yachi.growth.articles import access, selectors, services
from yachi.growth.articles.models import ArticleCategory
from yachi.growth.articles.render import markdown_to_html
from yachi.growth.referrals import codes as invite_codes
from yachi.growth.referrals.services import invite_code_for


def articles_page(request):
    category = request.GET.get("category")
    if category not in ArticleCategory.values:
        category = None
    return render(
        request,
        "growth/articles/list.html",
        {
            "articles": selectors.published_articles(category=category),
            "categories": ArticleCategory.choices,
            "current": category,
            "tab": "home",
        },
    )


def tab_section(request) -> dict:
    """The 活动 tab's part: the newest articles, and the way to all of them."""
    return {"articles": list(selectors.published_articles(limit=3))}


def article_page(request, article_id):
    article = access.access_published_article(article_id=article_id)
    services.article_viewed(article)
    invite = invite_codes.normalize(request.GET.get("invite", ""))
    return render(
        request,
        "growth/articles/article.html",
        {
            "article": article,
            "html": mark_safe(markdown_to_html(article.body)),  # noqa: S308 - sanitized by nh3
            "invite": invite if invite and not request.user.is_authenticated else "",
            "tab": "home",
        },
    )


def _qr_svg(link: str) -> str:
    return mark_safe(  # noqa: S308 - segno's own markup of a link we made
        segno.make(link, error="m").svg_inline(
            scale=4, border=2, dark="#111827", light="#ffffff", omitsize=True
        )
    )


@patient_required
@require_POST
def article_share(request, article_id):
    article = access.access_published_article(article_id=article_id)
    context = {"article": article}
    try:
        card = services.article_share(
            user=request.user, article=article, invite_code=invite_code_for(request.user)
        )
    except DomainError as exc:
        context["error"] = exc.message
    else:
        context.update(card=card, qr=_qr_svg(card.link))
    template = htmx_partial(
        request, "growth/articles/partials/share_card.html", "growth/articles/share.html"
    )
    return render(request, template, context)


patient_patterns = [
    path("articles/", articles_page, name="articles"),
    path("articles/<str:article_id>/", article_page, name="article"),
    path("articles/<str:article_id>/share/", article_share, name="article_share"),
]

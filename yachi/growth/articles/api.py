"""Articles in the JSON API: published ones for anyone (they are shared beyond the app),
and a patient's share card with their invite code."""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as HttpStatus

from yachi.core.errors import patients_only
from yachi.core.schemas import errors
from yachi.growth.articles import access, selectors, services
from yachi.growth.articles.schemas import ArticleListOut, ArticleOut, ArticleQuery, ShareCardOut
from yachi.growth.referrals.services import invite_code_for

router = Router(tags=["articles"])


@router.get("/articles", auth=None, response={200: list[ArticleListOut], **errors(422)})
def articles(request, query: Query[ArticleQuery]):
    """Published articles, newest first; `category` is `education` (科普), `offers` (促销)
    or `stories` (剧情)."""
    return selectors.published_articles(category=query.category, limit=query.limit)


@router.get("/articles/{article_id}", auth=None, response={200: ArticleOut, **errors(404)})
def article(request, article_id: str):
    """One published article, its Markdown rendered to sanitized HTML; counts one view."""
    found = access.access_published_article(article_id=article_id)
    services.article_viewed(found)
    return found


@router.post("/articles/{article_id}/share", response={201: ShareCardOut, **errors(401, 403, 404)})
def share(request, article_id: str):
    """The caller's share card of an article: its link carries their invite code. Counts
    one share."""
    patients_only(request.user, _("Articles are shared by patients."))
    found = access.access_published_article(article_id=article_id)
    card = services.article_share(
        user=request.user, article=found, invite_code=invite_code_for(request.user)
    )
    return HttpStatus(201, card)

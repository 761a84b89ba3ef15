"""The only ways a request reaches an article: patients and visitors see published ones;
managers (of any clinic: articles are the chain's, like coupons) see and edit every one.
An article that is not there, or not published for a patient, is "not found"."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.growth.articles.models import Article, ArticleStatus


class ArticleNotFound(NotFound):
    code = "article_not_found"

    def __init__(self):
        super().__init__(_("No such article."))


def require_editor(actor) -> None:
    if not clinics.anywhere(actor, clinics.Duty.MANAGE):
        raise PermissionDenied(_("Articles are written by clinic managers."), code="managers_only")


def access_article_for_editor(*, actor, article_id) -> Article:
    require_editor(actor)
    public_id = as_public_id(article_id)
    article = Article.objects.filter(public_id=public_id).first() if public_id else None
    if article is None:
        raise ArticleNotFound()
    return article


def access_published_article(*, article_id) -> Article:
    public_id = as_public_id(article_id)
    article = (
        Article.objects.filter(public_id=public_id, status=ArticleStatus.PUBLISHED).first()
        if public_id
        else None
    )
    if article is None:
        raise ArticleNotFound()
    return article

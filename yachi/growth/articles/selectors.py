"""Reads of articles: the patient app's list (published, newest first) and the console's."""

from yachi.growth.articles import counters
from yachi.growth.articles.models import Article, ArticleCategory, ArticleStatus

LIST_LIMIT = 50


def published_articles(*, category: str | None = None, limit: int = LIST_LIMIT):
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    if category in ArticleCategory.values:
        articles = articles.filter(category=category)
    return list(
        articles.defer("body", "check_hits").order_by("-published_at", "-pk")[: max(1, limit)]
    )


def articles_for_console(*, status: str | None = None):
    articles = Article.objects.defer("body")
    if status in ArticleStatus.values:
        articles = articles.filter(status=status)
    return list(articles.order_by("status", "-published_at", "-created_at")[:500])


def counts_of(article: Article) -> tuple[int, int]:
    """Views and shares, with what the counters hold that is not yet in the row."""
    return (
        article.view_count + counters.pending("views", article.pk),
        article.share_count + counters.pending("shares", article.pk),
    )
